// Two guarantees controllers build on: a watch resumed from a resourceVersion (after a server restart)
// sees exactly the writes after it, in order; and optimistic concurrency never loses an update, however
// many writers race — the losers get 409 Conflict and retry.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { Watch, type KubeConfig, type V1ConfigMap } from '@kubernetes/client-node';
import { clientFor, createNamespace, readKubeconfig, startTestServer, waitFor, type TestServer } from '../helpers/index.ts';

const T = { timeout: 180_000 };

interface Write {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  /** namespace/name */
  key: string;
  rv: string;
  /** Labels after the write (before, for a delete). */
  labels: Record<string, string>;
  prevLabels?: Record<string, string>;
}

const keyOf = (obj: { metadata?: { namespace?: string; name?: string } }) => `${obj.metadata?.namespace}/${obj.metadata?.name}`;
const line = (e: { type: string; key: string; rv: string }) => `${e.type} ${e.key} ${e.rv}`;

/** A streaming watch over raw HTTPS: records each JSON line's type, key and resourceVersion. */
function rawWatch(server: TestServer, path: string) {
  const creds = readKubeconfig(server.kubeconfigPath);
  const url = new URL(creds.server);
  const events: { type: string; key: string; rv: string }[] = [];
  let status = 0;
  let buf = '';
  const req = https.request({
    host: url.hostname, port: url.port, path, method: 'GET', ca: creds.ca, cert: creds.cert, key: creds.key, agent: false,
    headers: { Accept: 'application/json' },
  }, (res) => {
    status = res.statusCode ?? 0;
    res.setEncoding('utf8').on('data', (d: string) => {
      buf += d;
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const l of lines) {
        if (!l.trim()) continue;
        const ev = JSON.parse(l) as { type: string; object: V1ConfigMap };
        events.push({ type: ev.type, key: keyOf(ev.object), rv: ev.object.metadata?.resourceVersion ?? '' });
      }
    });
    res.on('error', () => {});
  });
  req.on('error', () => {});
  req.end();
  return { events, status: () => status, stop: () => req.destroy() };
}

/** A client-node Watch, as an informer would open it after a restart. */
async function clientWatch(kc: KubeConfig, path: string, query: Record<string, string>) {
  const events: { type: string; key: string; rv: string }[] = [];
  let ended: unknown = 'open';
  const controller = await new Watch(kc).watch(path, query,
    (type, obj: V1ConfigMap) => events.push({ type, key: keyOf(obj), rv: obj.metadata?.resourceVersion ?? '' }),
    (err) => { ended = err ?? null; });
  return { events, ended: () => ended, stop: () => controller.abort() };
}

/** What a watch with this label predicate must see: upstream's ADDED/DELETED on entering/leaving it. */
function expectedThrough(writes: Write[], match: (labels: Record<string, string>) => boolean): string[] {
  const out: string[] = [];
  for (const w of writes) {
    const now = match(w.labels);
    const before = w.prevLabels !== undefined && match(w.prevLabels);
    let type: string | undefined;
    if (w.type === 'ADDED') type = now ? 'ADDED' : undefined;
    else if (w.type === 'DELETED') type = now ? 'DELETED' : undefined;
    else if (now && before) type = 'MODIFIED';
    else if (now) type = 'ADDED';
    else if (before) type = 'DELETED';
    if (type) out.push(line({ type, key: w.key, rv: w.rv }));
  }
  return out;
}

describe('a resumed watch after a server restart', () => {
  let server: TestServer;
  before(async () => { server = await startTestServer(); });
  after(async () => { await server?.close(); });

  test('receives exactly the events written after its resourceVersion, in order; a label selector gets exactly the matching subset', T, async () => {
    const [ns1, ns2] = [await createNamespace(server, 'wr'), await createNamespace(server, 'wr')];
    const labelsOf = new Map<string, Record<string, string>>();
    const writes: Write[] = [];
    const cmPath = (ns: string, name?: string) => `/api/v1/namespaces/${ns}/configmaps${name ? `/${name}` : ''}`;
    const currentRevision = async () => (await server.request('GET', '/api/v1/configmaps?limit=1')).json.metadata.resourceVersion as string;

    const create = async (ns: string, name: string, labels: Record<string, string>, data: Record<string, string> = {}) => {
      const res = await server.request('POST', cmPath(ns), { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data } });
      assert.equal(res.status, 201, res.body);
      labelsOf.set(`${ns}/${name}`, labels);
      writes.push({ type: 'ADDED', key: `${ns}/${name}`, rv: res.json.metadata.resourceVersion, labels });
    };
    const update = async (ns: string, name: string, data: Record<string, string>) => {
      const cur = (await server.request('GET', cmPath(ns, name))).json;
      const res = await server.request('PUT', cmPath(ns, name), { body: { ...cur, data } });
      assert.equal(res.status, 200, res.body);
      const labels = labelsOf.get(`${ns}/${name}`)!;
      writes.push({ type: 'MODIFIED', key: `${ns}/${name}`, rv: res.json.metadata.resourceVersion, labels, prevLabels: labels });
    };
    const relabel = async (ns: string, name: string, labels: Record<string, string>) => {
      const res = await server.request('PATCH', cmPath(ns, name), { body: { metadata: { labels } }, contentType: 'application/merge-patch+json' });
      assert.equal(res.status, 200, res.body);
      const prevLabels = labelsOf.get(`${ns}/${name}`)!;
      const next = res.json.metadata.labels ?? {};
      labelsOf.set(`${ns}/${name}`, next);
      writes.push({ type: 'MODIFIED', key: `${ns}/${name}`, rv: res.json.metadata.resourceVersion, labels: next, prevLabels });
    };
    const remove = async (ns: string, name: string) => {
      const res = await server.request('DELETE', cmPath(ns, name));
      assert.equal(res.status, 200, res.body);
      // A ConfigMap delete answers with a Status; nothing else writes on this server, so the
      // current revision is the delete's.
      const labels = labelsOf.get(`${ns}/${name}`)!;
      writes.push({ type: 'DELETED', key: `${ns}/${name}`, rv: await currentRevision(), labels, prevLabels: labels });
    };

    // Before R.
    await create(ns1, 'a1', { app: 'web', color: 'red' });
    await create(ns1, 'a2', { app: 'web', color: 'blue' });
    await create(ns2, 'b1', { app: 'db' });
    await update(ns1, 'a1', { v: '1' });
    const R = await currentRevision();
    assert.equal(R, writes.at(-1)!.rv, 'R is the revision of the last write');
    const beforeR = writes.length;

    // After R: creates, updates, relabels (in and out of the selector) and deletes in two namespaces.
    await create(ns1, 'c1', { app: 'web', color: 'red' }, { v: '0' });
    await update(ns1, 'a1', { v: '2' });
    await create(ns2, 'd1', { app: 'db', color: 'blue' });
    await relabel(ns2, 'b1', { app: 'db', color: 'red' });
    await remove(ns1, 'a2');
    await update(ns1, 'c1', { v: '1' });
    await remove(ns2, 'd1');
    await create(ns2, 'e1', { color: 'red' });
    await relabel(ns1, 'c1', { app: 'web', color: 'blue' });
    await update(ns2, 'b1', { v: '9' });
    await remove(ns2, 'b1');
    await remove(ns1, 'a1');
    const after = writes.slice(beforeR);
    const rvs = after.map((w) => Number(w.rv));
    assert.ok(rvs.every((rv, i) => rv > (i === 0 ? Number(R) : rvs[i - 1]!)), `write revisions increase: ${rvs.join(',')}`);

    await server.restart();
    const kc = clientFor(server.kubeconfigPath);
    const all = await clientWatch(kc, '/api/v1/configmaps', { resourceVersion: R });
    const red = await clientWatch(kc, '/api/v1/configmaps', { resourceVersion: R, labelSelector: 'color=red' });
    const raw = rawWatch(server, `/api/v1/configmaps?watch=true&resourceVersion=${R}`);
    const rawRed = rawWatch(server, `/api/v1/configmaps?watch=true&resourceVersion=${R}&labelSelector=color%3Dred`);
    try {
      // A write after the restart closes each stream's expected history: whatever came before it
      // is everything the watch will ever show from the past.
      await waitFor(() => raw.status() === 200 && rawRed.status() === 200, { message: 'raw watches open' });
      const sentinel = await server.request('POST', cmPath(ns1), { body: { metadata: { name: 'sentinel', labels: { color: 'red' } } } });
      assert.equal(sentinel.status, 201, sentinel.body);
      const last = `ADDED ${ns1}/sentinel ${sentinel.json.metadata.resourceVersion}`;
      const upToSentinel = (events: { type: string; key: string; rv: string }[]) => {
        const lines = events.map(line);
        const i = lines.indexOf(last);
        return i < 0 ? undefined : lines.slice(0, i);
      };
      for (const [name, w] of [['client-node', all], ['client-node color=red', red], ['raw', raw], ['raw color=red', rawRed]] as const) {
        await waitFor(() => upToSentinel(w.events), { message: `${name} watch reaches the sentinel (seen: ${w.events.map(line).join('; ')})`, timeoutMs: 20_000 });
      }
      const expectedAll = after.map(line);
      const expectedRed = expectedThrough(after, (l) => l.color === 'red');
      assert.deepEqual(upToSentinel(all.events), expectedAll, 'client-node watch from R');
      assert.deepEqual(upToSentinel(raw.events), expectedAll, 'raw HTTPS watch from R');
      assert.deepEqual(upToSentinel(red.events), expectedRed, 'client-node watch from R with color=red');
      assert.deepEqual(upToSentinel(rawRed.events), expectedRed, 'raw HTTPS watch from R with color=red');
      // The selector case must exercise every transition, or it proves little.
      assert.deepEqual([...new Set(expectedRed.map((l) => l.split(' ')[0]))].sort(), ['ADDED', 'DELETED', 'MODIFIED']);
      assert.ok(expectedRed.length < expectedAll.length);
      assert.equal(all.ended(), 'open', 'the watch is still open');
    } finally {
      all.stop();
      red.stop();
      raw.stop();
      rawRed.stop();
    }
  });
});

describe('50 concurrent writers updating one object with read-modify-write', () => {
  const WRITERS = 50;
  const ROUNDS = 3;
  let server: TestServer;
  let agent: https.Agent;
  before(async () => {
    server = await startTestServer();
    const creds = readKubeconfig(server.kubeconfigPath);
    // Keep-alive, as client libraries do: the test is about conflicts, not TLS handshakes.
    agent = new https.Agent({ keepAlive: true, maxSockets: WRITERS, ca: creds.ca, cert: creds.cert, key: creds.key });
  });
  after(async () => {
    agent?.destroy();
    await server?.close();
  });

  function call(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<{ status: number; json: any }> {
    const url = new URL(server.url);
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = https.request({
        host: url.hostname, port: url.port, path, method, agent,
        headers: { Accept: 'application/json', ...(payload ? { 'Content-Type': contentType, 'Content-Length': String(payload.length) } : {}) },
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(payload);
    });
  }

  const CONFLICT = 'Operation cannot be fulfilled on configmaps "x": the object has been modified; please apply your changes to the latest version and try again';

  for (const verb of ['PUT', 'merge-patch with metadata.resourceVersion'] as const) {
    test(`${verb}: every failure is a 409 Conflict, never a lost update`, T, async (t) => {
      const ns = await createNamespace(server, 'race');
      const path = `/api/v1/namespaces/${ns}/configmaps/x`;
      const created = await call('POST', `/api/v1/namespaces/${ns}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { counter: '0' } });
      assert.equal(created.status, 201);
      const startRv = Number(created.json.metadata.resourceVersion);
      const failures: { status: number; reason?: string; message?: string }[] = [];
      /** Each successful write: the resourceVersion it was based on and the one it produced. */
      const successes: { from: number; to: number }[] = [];

      await Promise.all(Array.from({ length: WRITERS }, async () => {
        for (let round = 0; round < ROUNDS; round++) {
          for (;;) {
            const cur = await call('GET', path);
            assert.equal(cur.status, 200);
            const next = String(Number(cur.json.data.counter) + 1);
            const res = verb === 'PUT'
              ? await call('PUT', path, { ...cur.json, data: { counter: next } })
              : await call('PATCH', path, { metadata: { resourceVersion: cur.json.metadata.resourceVersion }, data: { counter: next } }, 'application/merge-patch+json');
            if (res.status === 200) {
              successes.push({ from: Number(cur.json.metadata.resourceVersion), to: Number(res.json.metadata.resourceVersion) });
              break;
            }
            failures.push({ status: res.status, reason: res.json?.reason, message: res.json?.message });
            if (res.status !== 409) return; // reported below
          }
        }
      }));

      const unexpected = failures.filter((f) => f.status !== 409 || f.reason !== 'Conflict' || f.message !== CONFLICT);
      assert.deepEqual(unexpected.slice(0, 3), [], `${unexpected.length} of ${failures.length} failures were not the upstream 409 Conflict`);
      assert.ok(failures.length > 0, 'the writers did race');
      const final = await call('GET', path);
      assert.equal(final.json.data.counter, String(WRITERS * ROUNDS), 'no lost update');
      assert.equal(successes.length, WRITERS * ROUNDS);
      // One revision per successful write, and each success built on the one before it.
      const chain = [...successes].sort((a, b) => a.to - b.to);
      assert.equal(chain[0]!.from, startRv);
      for (let i = 0; i < chain.length; i++) {
        assert.equal(chain[i]!.to, startRv + i + 1, `write ${i + 1} got the next revision`);
        if (i > 0) assert.equal(chain[i]!.from, chain[i - 1]!.to, `write ${i + 1} was based on write ${i}`);
      }
      assert.equal(Number(final.json.metadata.resourceVersion), startRv + WRITERS * ROUNDS);
      t.diagnostic(`${WRITERS} writers × ${ROUNDS} rounds: ${successes.length} writes, ${failures.length} conflicts retried`);
    });
  }
});
