// kubectl ≥ 1.32 sends its typed create commands' bodies as Kubernetes protobuf
// (application/vnd.kubernetes.protobuf). Each command must succeed with upstream's output line, and the
// stored object must hold exactly what kubectl meant to send: `--dry-run=client -o json` prints Go's
// JSON of that very object, so every field it prints must come back from `kubectl get -o json`.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import protobuf from 'protobufjs';
import {
  createNamespace,
  kubectl,
  kubectlBinaries,
  kubectlVersionSync,
  startTestServer,
  type KubectlResult,
  type TestServer,
} from '../helpers/index.ts';

const T = { timeout: 120_000 };

let server: TestServer;
let fileDir: string;
before(async () => {
  server = await startTestServer();
  fileDir = await mkdtemp(join(tmpdir(), 'k8ts-protobuf-'));
  // Not valid UTF-8: kubectl puts such files in binaryData, sent as protobuf bytes.
  await writeFile(join(fileDir, 'blob.bin'), Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x41]));
});
after(async () => {
  await server?.close();
  if (fileDir) await rm(fileDir, { recursive: true, force: true });
});

function ok(r: KubectlResult, what: string): string {
  assert.equal(r.code, 0, `${what} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r.stdout;
}

/**
 * Every value the client sent is stored unchanged. Nulls and empty objects/lists in the dry-run
 * output are Go zero values (creationTimestamp: null, status: {}), not something sent; list items are
 * compared in order and may gain server defaults, as objects may.
 */
function assertSentFieldsStored(sent: unknown, stored: unknown, path = ''): void {
  if (sent === null || isEmpty(sent)) return;
  if (Array.isArray(sent)) {
    assert.ok(Array.isArray(stored), `${path}: sent a list, stored ${JSON.stringify(stored)}`);
    assert.equal(stored.length, sent.length, `${path}: list length`);
    sent.forEach((item, i) => assertSentFieldsStored(item, stored[i], `${path}[${i}]`));
  } else if (typeof sent === 'object') {
    assert.ok(stored !== null && typeof stored === 'object' && !Array.isArray(stored), `${path}: sent an object, stored ${JSON.stringify(stored)}`);
    for (const [k, v] of Object.entries(sent as Record<string, unknown>)) {
      assertSentFieldsStored(v, (stored as Record<string, unknown>)[k], `${path}.${k}`);
    }
  } else {
    assert.deepEqual(stored, sent, `${path}: stored value differs from the sent one`);
  }
}

function isEmpty(v: unknown): boolean {
  return (Array.isArray(v) && v.length === 0) || (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0);
}

interface CreateCase {
  what: string;
  /** Arguments after `kubectl`; `{ns}` is the test's namespace, `{u}` a per-run suffix for cluster-scoped names. */
  args: string[];
  /** What kubectl prints on success, e.g. "configmap/x created". */
  line: string;
  /** `kubectl get` target of the created object. */
  get: string;
  namespaced?: false;
}

const CASES: CreateCase[] = [
  { what: 'namespace', args: ['create', 'namespace', 'pb-{u}'], line: 'namespace/pb-{u} created', get: 'namespace/pb-{u}', namespaced: false },
  { what: 'configmap with an empty value', args: ['create', 'configmap', 'cm', '--from-literal=a=1', '--from-literal=empty='], line: 'configmap/cm created', get: 'configmap/cm' },
  { what: 'configmap with binaryData', args: ['create', 'configmap', 'bin', '--from-file=blob={dir}/blob.bin'], line: 'configmap/bin created', get: 'configmap/bin' },
  { what: 'secret generic', args: ['create', 'secret', 'generic', 'creds', '--from-literal=password=s3cret', '--type=example.com/token'], line: 'secret/creds created', get: 'secret/creds' },
  { what: 'secret docker-registry', args: ['create', 'secret', 'docker-registry', 'reg', '--docker-server=registry.example.com', '--docker-username=u', '--docker-password=p'], line: 'secret/reg created', get: 'secret/reg' },
  { what: 'deployment --replicas=0', args: ['create', 'deployment', 'web', '--image=nginx:1.25', '--replicas=0', '--port=80'], line: 'deployment.apps/web created', get: 'deployment/web' },
  { what: 'deployment with a command', args: ['create', 'deployment', 'cmd', '--image=busybox', '--', 'sleep', '3600'], line: 'deployment.apps/cmd created', get: 'deployment/cmd' },
  { what: 'service clusterip', args: ['create', 'service', 'clusterip', 'svc', '--tcp=80:8080'], line: 'service/svc created', get: 'service/svc' },
  { what: 'service clusterip headless', args: ['create', 'service', 'clusterip', 'headless', '--clusterip=None'], line: 'service/headless created', get: 'service/headless' },
  { what: 'service externalname', args: ['create', 'service', 'externalname', 'ext', '--external-name=example.com'], line: 'service/ext created', get: 'service/ext' },
  { what: 'job', args: ['create', 'job', 'once', '--image=busybox', '--', 'echo', 'hi'], line: 'job.batch/once created', get: 'job/once' },
  { what: 'cronjob', args: ['create', 'cronjob', 'tick', '--image=busybox', '--schedule=*/5 * * * *', '--restart=OnFailure', '--', 'date'], line: 'cronjob.batch/tick created', get: 'cronjob/tick' },
  { what: 'role', args: ['create', 'role', 'reader', '--verb=get,list', '--resource=pods,deployments.apps', '--resource-name=one'], line: 'role.rbac.authorization.k8s.io/reader created', get: 'role/reader' },
  { what: 'rolebinding', args: ['create', 'rolebinding', 'read', '--role=reader', '--user=alice', '--group=devs', '--serviceaccount={ns}:default'], line: 'rolebinding.rbac.authorization.k8s.io/read created', get: 'rolebinding/read' },
  { what: 'clusterrole', args: ['create', 'clusterrole', 'pb-{u}', '--verb=get', '--resource=nodes', '--non-resource-url=/healthz'], line: 'clusterrole.rbac.authorization.k8s.io/pb-{u} created', get: 'clusterrole/pb-{u}', namespaced: false },
  { what: 'clusterrolebinding', args: ['create', 'clusterrolebinding', 'pb-{u}', '--clusterrole=view', '--user=bob'], line: 'clusterrolebinding.rbac.authorization.k8s.io/pb-{u} created', get: 'clusterrolebinding/pb-{u}', namespaced: false },
  { what: 'quota', args: ['create', 'quota', 'q', '--hard=cpu=1,memory=1G,pods=10', '--scopes=NotTerminating'], line: 'resourcequota/q created', get: 'resourcequota/q' },
  { what: 'priorityclass --value=0', args: ['create', 'priorityclass', 'pb-{u}', '--value=0', '--description=zero', '--preemption-policy=Never'], line: 'priorityclass.scheduling.k8s.io/pb-{u} created', get: 'priorityclass/pb-{u}', namespaced: false },
  { what: 'poddisruptionbudget --min-available', args: ['create', 'poddisruptionbudget', 'min', '--selector=app=web', '--min-available=1'], line: 'poddisruptionbudget.policy/min created', get: 'pdb/min' },
  { what: 'poddisruptionbudget --max-unavailable', args: ['create', 'poddisruptionbudget', 'max', '--selector=app=web', '--max-unavailable=50%'], line: 'poddisruptionbudget.policy/max created', get: 'pdb/max' },
  { what: 'serviceaccount', args: ['create', 'serviceaccount', 'robot'], line: 'serviceaccount/robot created', get: 'serviceaccount/robot' },
  { what: 'ingress', args: ['create', 'ingress', 'ing', '--class=nginx', '--rule=foo.com/bar=svc:80', '--rule=tls.com/*=svc:http,tls=cert', '--default-backend=svc:80', '--annotation=a=b'], line: 'ingress.networking.k8s.io/ing created', get: 'ingress/ing' },
];

/** Flags go before a `--` that starts a container command. */
function withFlags(args: string[], flags: string[]): string[] {
  const dd = args.indexOf('--');
  return dd < 0 ? [...args, ...flags] : [...args.slice(0, dd), ...flags, ...args.slice(dd)];
}

const protobufKubectls = kubectlBinaries().filter(({ bin }) => kubectlVersionSync(bin).minor >= 32);

for (const { label, bin } of protobufKubectls) {
  describe(`${label}: typed create commands send protobuf`, { concurrency: 4 }, () => {
    for (const c of CASES) {
      test(`create ${c.what}`, T, async () => {
        const ns = await createNamespace(server);
        const u = ns.slice(-8);
        const fill = (s: string) => s.replaceAll('{ns}', ns).replaceAll('{u}', u).replaceAll('{dir}', fileDir);
        const nsArgs = c.namespaced === false ? [] : ['-n', ns];
        const args = [...nsArgs, ...c.args.map(fill)];
        const k = (a: string[]) => kubectl(a, { kubeconfig: server.kubeconfigPath, bin });

        const sent = JSON.parse(ok(await k(withFlags(args, ['--dry-run=client', '-o', 'json'])), 'dry-run'));
        const created = await k(withFlags(args, ['-v=8']));
        ok(created, 'create');
        assert.equal(created.stdout, `${fill(c.line)}\n`);
        // -v=8 logs request headers: the body went out as protobuf (else this test proves nothing).
        assert.match(created.stderr, /Content-Type: application\/vnd\.kubernetes\.protobuf$/m);
        const stored = JSON.parse(ok(await k(['get', fill(c.get), ...nsArgs, '-o', 'json']), 'get'));
        assertSentFieldsStored(sent, stored);
        assert.match(stored.metadata.uid, /^[0-9a-f-]{36}$/);
        assert.match(stored.metadata.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      });
    }
  });
}

/** A protobuf body written field by field: [number, string | number | bytes | nested fields]. */
type Field = [number, string | number | Uint8Array | Field[]];
function message(fields: Field[]): Uint8Array {
  const w = protobuf.Writer.create();
  for (const [num, v] of fields) {
    if (typeof v === 'string') w.uint32((num << 3) | 2).string(v);
    else if (typeof v === 'number') w.uint32(num << 3).int64(v);
    else if (v instanceof Uint8Array) w.uint32((num << 3) | 2).bytes(v);
    else w.uint32((num << 3) | 2).bytes(message(v));
  }
  return w.finish();
}
const MAGIC = Buffer.from('k8s\0', 'latin1');
const envelope = (apiVersion: string, kind: string, raw: Uint8Array) => Buffer.concat([MAGIC, message([[1, [[1, apiVersion], [2, kind]]], [2, raw]])]);
const PROTOBUF = 'application/vnd.kubernetes.protobuf';
const configMap = (name: string, data: Record<string, string>, resourceVersion?: string) =>
  message([[1, [[1, name], ...(resourceVersion ? [[6, resourceVersion] as Field] : [])]], ...Object.entries(data).map(([k, v]) => [2, [[1, k], [2, v]]] as Field)]);

describe('protobuf bodies over raw HTTPS', { concurrency: 4 }, () => {
  test('corrupt bodies are a 400 Status naming the problem', T, async () => {
    const ns = await createNamespace(server);
    const path = `/api/v1/namespaces/${ns}/configmaps`;
    const cases: Array<[string, Buffer, RegExp]> = [
      ['bad magic', Buffer.from('{"kind":"ConfigMap"}'),
        /^the object provided is unrecognized \(must be of type ConfigMap\): provided data does not appear to be a protobuf message, expected prefix \[107 56 115 0\] \(\{"kind":"ConfigMap"\}\)$/],
      ['truncated envelope', envelope('v1', 'ConfigMap', configMap('x', { a: '1' })).subarray(0, 24),
        /^the object provided is unrecognized \(must be of type ConfigMap\): unexpected EOF \([0-9a-f]+\)$/],
      ['truncated object', envelope('v1', 'ConfigMap', configMap('x', { a: '1' }).subarray(0, 6)),
        /^ConfigMap in version "v1" cannot be handled as a ConfigMap: unexpected EOF$/],
      ['unknown kind', envelope('v1', 'Nonsense', configMap('x', {})), /^Nonsense in version "v1" cannot be handled as a ConfigMap: no kind "Nonsense" is registered for version "v1"/],
      ['another kind than the URL', envelope('v1', 'Secret', configMap('x', {})), /Secret/],
      ['empty', Buffer.alloc(0), /^the object provided is unrecognized \(must be of type ConfigMap\): empty data \(<empty>\)$/],
    ];
    for (const [what, body, message] of cases) {
      const res = await server.request('POST', path, { body, contentType: PROTOBUF });
      assert.equal(res.status, 400, `${what}: ${res.body}`);
      assert.equal(res.json?.kind, 'Status', what);
      assert.equal(res.json?.reason, 'BadRequest', what);
      assert.match(res.json?.message, message, what);
    }
    const still = await server.request('GET', path);
    assert.equal(still.status, 200, 'the server keeps serving');
    assert.deepEqual(still.json.items.map((i: any) => i.metadata.name).filter((n: string) => n !== 'kube-root-ca.crt'), [], 'nothing was created');
  });

  test('PUT takes a protobuf body; PATCH refuses it with 415', T, async () => {
    const ns = await createNamespace(server);
    const path = `/api/v1/namespaces/${ns}/configmaps`;
    const created = await server.request('POST', path, { body: envelope('v1', 'ConfigMap', configMap('cfg', { a: '1' })), contentType: PROTOBUF });
    assert.equal(created.status, 201, created.body);
    assert.deepEqual(created.json.data, { a: '1' });

    const rv = created.json.metadata.resourceVersion as string;
    const updated = await server.request('PUT', `${path}/cfg`, { body: envelope('v1', 'ConfigMap', configMap('cfg', { a: '2', b: '3' }, rv)), contentType: PROTOBUF });
    assert.equal(updated.status, 200, updated.body);
    assert.deepEqual(updated.json.data, { a: '2', b: '3' });
    const stale = await server.request('PUT', `${path}/cfg`, { body: envelope('v1', 'ConfigMap', configMap('cfg', { a: '4' }, rv)), contentType: PROTOBUF });
    assert.equal(stale.status, 409, 'the resourceVersion sent in protobuf is honoured');

    const wrongName = await server.request('PUT', `${path}/cfg`, { body: envelope('v1', 'ConfigMap', configMap('other', {})), contentType: PROTOBUF });
    assert.equal(wrongName.status, 400);
    assert.equal(wrongName.json.message, 'the name of the object (other) does not match the name on the URL (cfg)');

    const patched = await server.request('PATCH', `${path}/cfg`, { body: envelope('v1', 'ConfigMap', configMap('cfg', {})), contentType: PROTOBUF });
    assert.equal(patched.status, 415);
    assert.equal(patched.json.reason, 'UnsupportedMediaType');
  });

  test('pods/binding and DeleteOptions take protobuf bodies', T, async () => {
    const ns = await createNamespace(server);
    const pod = await server.request('POST', `/api/v1/namespaces/${ns}/pods`, {
      body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } },
    });
    assert.equal(pod.status, 201, pod.body);
    // Binding {metadata = 1, target = 2 (ObjectReference {kind = 1, name = 3})}
    const binding = envelope('v1', 'Binding', message([[1, [[1, 'p']]], [2, [[1, 'Node'], [3, 'node-a']]]]));
    const bound = await server.request('POST', `/api/v1/namespaces/${ns}/pods/p/binding`, { body: binding, contentType: PROTOBUF });
    assert.equal(bound.status, 201, bound.body);
    const got = await server.request('GET', `/api/v1/namespaces/${ns}/pods/p`);
    assert.equal(got.json.spec.nodeName, 'node-a');

    // DeleteOptions {preconditions = 2 {uid = 1}}: a wrong uid is a 409, as with JSON.
    const cm = await server.request('POST', `/api/v1/namespaces/${ns}/configmaps`, { body: envelope('v1', 'ConfigMap', configMap('gone', {})), contentType: PROTOBUF });
    assert.equal(cm.status, 201, cm.body);
    const wrongUid = envelope('meta.k8s.io/v1', 'DeleteOptions', message([[2, [[1, 'not-the-uid']]]]));
    const refused = await server.request('DELETE', `/api/v1/namespaces/${ns}/configmaps/gone`, { body: wrongUid, contentType: PROTOBUF });
    assert.equal(refused.status, 409, refused.body);
    assert.match(refused.json.message, /Precondition failed: UID in precondition: not-the-uid/);
    const rightUid = envelope('v1', 'DeleteOptions', message([[2, [[1, cm.json.metadata.uid]]]]));
    const deleted = await server.request('DELETE', `/api/v1/namespaces/${ns}/configmaps/gone`, { body: rightUid, contentType: PROTOBUF });
    assert.equal(deleted.status, 200, deleted.body);
  });
});
