// Reads are served from the stored JSON text (get, list, watch) instead of re-encoding a parsed copy.
// What a client receives must be byte for byte what encoding the object would give: the same key
// order, escapes and list envelope, for small and large lists, old revisions, selectors, converted
// resources, and for every watcher of one change whatever its format.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { parseAllDocuments } from 'yaml';
import { createNamespace, readKubeconfig, startTestServer, waitFor, type TestServer } from '../helpers/index.ts';

const T = { timeout: 90_000 };

let server: TestServer;
before(async () => { server = await startTestServer(); });
after(async () => { await server?.close(); });

/** The pretty form is encoded afresh from the object; its compact re-encoding is what the fast path must send. */
async function assertServedAsEncoded(path: string): Promise<any> {
  const compact = await server.request('GET', path);
  const pretty = await server.request('GET', `${path}${path.includes('?') ? '&' : '?'}pretty=true`);
  assert.equal(compact.status, 200, compact.body);
  assert.equal(pretty.status, 200, pretty.body);
  assert.notEqual(compact.body, pretty.body, 'the pretty answer is a separate encoding');
  assert.equal(compact.body, `${JSON.stringify(JSON.parse(pretty.body))}\n`);
  assert.equal(compact.headers['content-type'], 'application/json');
  assert.equal(Number(compact.headers['content-length']), Buffer.byteLength(compact.body));
  return compact.json;
}

interface Stream { lines: string[]; close(): void }

/** A raw watch: the exact lines (or YAML text) the server writes. */
function openWatch(path: string, accept = 'application/json'): Promise<Stream> {
  const creds = readKubeconfig(server.kubeconfigPath);
  const url = new URL(creds.server);
  return new Promise((resolve, reject) => {
    const req = https.request({
      host: url.hostname, port: url.port, path, headers: { Accept: accept },
      ca: creds.ca, cert: creds.cert, key: creds.key, agent: false,
    }, (res) => {
      if (res.statusCode !== 200) { reject(new Error(`watch ${path}: ${res.statusCode}`)); return; }
      const s: Stream = { lines: [], close: () => req.destroy() };
      let buffered = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffered += chunk;
        if (accept !== 'application/json') { s.lines = [buffered]; return; }
        let nl: number;
        while ((nl = buffered.indexOf('\n')) >= 0) {
          s.lines.push(buffered.slice(0, nl + 1));
          buffered = buffered.slice(nl + 1);
        }
      });
      res.on('error', () => {});
      resolve(s);
    });
    req.on('error', () => {});
    req.end();
  });
}

describe('reads served from the stored JSON', { concurrency: 1 }, () => {
  test('get answers the exact encoding of the object, also for unusual text and key order', T, async () => {
    const ns = await createNamespace(server);
    const cms = `/api/v1/namespaces/${ns}/configmaps`;
    const created = await server.request('POST', cms, {
      body: `{"metadata":{"name":"odd","labels":{"b":"2","a":"1","10":"ten"}},"data":{"quote":"\\"q\\"","nl":"a\\nb","uni":"grüße ✓ 🚀","ls":"\\u2028","html":"</script>"},"kind":"ConfigMap","apiVersion":"v1"}`,
    });
    assert.equal(created.status, 201, created.body);
    const got = await assertServedAsEncoded(`${cms}/odd`);
    assert.deepEqual(got.data, { quote: '"q"', nl: 'a\nb', uni: 'grüße ✓ 🚀', ls: '\u2028', html: '</script>' });
    assert.deepEqual(Object.keys(got).slice(0, 2), ['metadata', 'data'], 'the order the client sent is kept');
  });

  test('lists, small and large (written in pieces), pages, selectors and old revisions are the exact encoding', T, async () => {
    const ns = await createNamespace(server);
    const cms = `/api/v1/namespaces/${ns}/configmaps`;
    const big = 'x'.repeat(1500);
    for (let i = 0; i < 120; i++) {
      const r = await server.request('POST', cms, {
        body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${String(i).padStart(3, '0')}`, labels: { parity: i % 2 ? 'odd' : 'even' } }, data: { big, i: String(i), uni: 'é' } },
      });
      assert.equal(r.status, 201, r.body);
    }
    const all = await assertServedAsEncoded(cms);
    const names = all.items.map((o: any) => o.metadata.name).filter((n: string) => n.startsWith('cm-'));
    assert.equal(names.length, 120);
    assert.ok(JSON.stringify(all).length > 128 * 1024, 'large enough to be written in pieces');

    const rv = all.metadata.resourceVersion;
    await server.request('DELETE', `${cms}/cm-000`);
    await server.request('PATCH', `${cms}/cm-001`, { body: { data: { i: 'changed' } }, contentType: 'application/merge-patch+json' });

    const page = await assertServedAsEncoded(`${cms}?limit=7`);
    assert.equal(page.items.length, 7);
    assert.ok(page.metadata.continue && page.metadata.remainingItemCount > 0);
    await assertServedAsEncoded(`${cms}?limit=7&continue=${encodeURIComponent(page.metadata.continue)}`);
    const odd = await assertServedAsEncoded(`${cms}?labelSelector=parity%3Dodd`);
    assert.equal(odd.items.length, 60);
    const before = await assertServedAsEncoded(`${cms}?resourceVersion=${rv}&resourceVersionMatch=Exact`);
    assert.deepEqual(before, all, 'the list at the old revision is the list that was served then');
    const empty = await assertServedAsEncoded(`${cms}?labelSelector=parity%3Dnone`);
    assert.deepEqual(empty.items, []);
  });

  test('a converted resource (events.k8s.io Events share core storage) is served in its own version', T, async () => {
    const ns = await createNamespace(server);
    const r = await server.request('POST', `/api/v1/namespaces/${ns}/events`, {
      body: {
        apiVersion: 'v1', kind: 'Event', metadata: { name: 'ev' }, involvedObject: { kind: 'Pod', name: 'p', namespace: ns },
        reason: 'Tested', message: 'hello', type: 'Normal', firstTimestamp: '2024-01-01T00:00:00Z', lastTimestamp: '2024-01-01T00:00:00Z',
      },
    });
    assert.equal(r.status, 201, r.body);
    const ev = await assertServedAsEncoded(`/apis/events.k8s.io/v1/namespaces/${ns}/events/ev`);
    assert.equal(ev.apiVersion, 'events.k8s.io/v1');
    assert.equal(ev.note, 'hello');
    const list = await assertServedAsEncoded(`/apis/events.k8s.io/v1/namespaces/${ns}/events`);
    assert.equal(list.items[0].apiVersion, 'events.k8s.io/v1');
    await assertServedAsEncoded(`/api/v1/namespaces/${ns}/events/ev`);
  });

  test('every watcher of a change gets the same bytes: the object as a get encodes it; YAML and selectors agree', T, async () => {
    const ns = await createNamespace(server);
    const cms = `/api/v1/namespaces/${ns}/configmaps`;
    const rv = (await server.request('GET', cms)).json.metadata.resourceVersion;
    const from = `${cms}?watch=1&resourceVersion=${rv}&fieldSelector=metadata.name%3Dw`;
    const [a, b, yaml, selected] = await Promise.all([
      openWatch(from), openWatch(from), openWatch(from, 'application/yaml'),
      openWatch(`${cms}?watch=1&resourceVersion=${rv}&labelSelector=pick%3Dyes`),
    ]);
    try {
      const seen: string[] = [];
      const step = async (method: string, path: string, body?: unknown, contentType?: string) => {
        const r = await server.request(method, path, { body, contentType });
        assert.ok(r.status < 300, r.body);
        seen.push(JSON.stringify(r.json));
      };
      await step('POST', cms, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'w' }, data: { n: '1' } });
      await step('PATCH', `${cms}/w`, { metadata: { labels: { pick: 'yes' } } }, 'application/merge-patch+json');
      await step('PATCH', `${cms}/w`, { data: { n: '2' } }, 'application/merge-patch+json');
      await step('PATCH', `${cms}/w`, { metadata: { labels: { pick: 'no' } } }, 'application/merge-patch+json');
      assert.equal((await server.request('DELETE', `${cms}/w`)).status, 200);
      await waitFor(() => a.lines.length >= 5 && b.lines.length >= 5 && selected.lines.length >= 3, { message: 'watch events' });
      assert.deepEqual(a.lines, b.lines);
      const types = ['ADDED', 'MODIFIED', 'MODIFIED', 'MODIFIED'];
      // Each line is exactly the encoding of {type, object}, the object being what the write answered.
      assert.deepEqual(a.lines.slice(0, 4), types.map((type, i) => `{"type":"${type}","object":${seen[i]}}\n`));
      // DELETED carries the last state at the delete's resourceVersion.
      const deleted = JSON.parse(a.lines[4]!);
      const last = JSON.parse(seen[3]!);
      assert.equal(a.lines[4], `${JSON.stringify(deleted)}\n`);
      assert.equal(deleted.type, 'DELETED');
      assert.ok(Number(deleted.object.metadata.resourceVersion) > Number(last.metadata.resourceVersion));
      assert.deepEqual(deleted.object, { ...last, metadata: { ...last.metadata, resourceVersion: deleted.object.metadata.resourceVersion } });
      // The selector sees the object enter, change and leave it.
      assert.deepEqual(selected.lines, [`{"type":"ADDED","object":${seen[1]}}\n`, `{"type":"MODIFIED","object":${seen[2]}}\n`, `{"type":"DELETED","object":${seen[3]}}\n`]);
      await waitFor(() => parseAllDocuments(yaml.lines[0] ?? '').length >= 5, { message: 'yaml events' });
      const docs = parseAllDocuments(yaml.lines[0]!).map((d) => d.toJS());
      assert.deepEqual(docs, a.lines.map((l) => JSON.parse(l)));
    } finally {
      for (const s of [a, b, yaml, selected]) s.close();
    }
  });
});
