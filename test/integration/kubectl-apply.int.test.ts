// Declarative kubectl against k8ts: create/apply from files, diff, edit, explain, wait, raw OpenAPI
// and watches. Runs with the PATH kubectl (or $KUBECTL) and, when fetched, Debian's kubectl 1.20 (which
// reads /openapi/v2 as protobuf for validation, explain and apply); features an old kubectl lacks are
// skipped with the reason.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createConfigMap,
  createNamespace,
  debianKubectl,
  kubectl,
  kubectlVersionSync,
  spawnKubectl,
  startTestServer,
  type KubectlBinary,
  type KubectlResult,
  type TestServer,
} from '../helpers/index.ts';

/** Per-test timeout: generous for a loaded CI machine, short enough to surface a hang. Fixtures are
 * created through the JSON API, so kubectl's protobuf-bodied generators (≥ 1.32) are not involved. */
const T = { timeout: 90_000 };

let server: TestServer;
let scratch: string;
before(async () => {
  server = await startTestServer();
  scratch = await mkdtemp(join(tmpdir(), 'k8ts-apply-'));
});
after(async () => {
  await server?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

function ok(r: KubectlResult): string {
  assert.equal(r.code, 0, `kubectl exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r.stdout;
}

function configMapYaml(ns: string, name: string, data: Record<string, string>, labels: Record<string, string> = {}): string {
  const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', `  name: ${name}`, `  namespace: ${ns}`];
  if (Object.keys(labels).length) lines.push('  labels:', ...Object.entries(labels).map(([k2, v]) => `    ${k2}: "${v}"`));
  lines.push('data:', ...Object.entries(data).map(([k2, v]) => `  ${k2}: "${v}"`));
  return lines.join('\n') + '\n';
}

/** kubectl -v=6 logs each response; a watch request answered 200 means the watch is open. */
const WATCH_OPEN = /GET https:\/\/\S+[?&]watch=true\S* 200 OK/;

const binaries: KubectlBinary[] = [{ label: 'kubectl (PATH)', bin: process.env.KUBECTL ?? 'kubectl' }];
const debian = debianKubectl();
if (debian) binaries.push(debian);

for (const { label, bin } of binaries) {
  describe(`${label}: kubectl apply and friends`, { concurrency: 4 }, () => {
    const version = kubectlVersionSync(bin);
    /** A skip reason when this kubectl is older than 1.<minor>, else false. */
    const atLeast = (minor: number) => () => (version.major > 1 || version.minor >= minor ? false : `kubectl ${version.gitVersion} is older than 1.${minor}`);
    const k = (args: string[], opts: { input?: string; env?: Record<string, string> } = {}) =>
      kubectl(args, { kubeconfig: server.kubeconfigPath, bin, ...opts });

    test('create -f with a multi-document YAML creates each object in order', T, async () => {
      const ns = await createNamespace(server);
      const doc = [
        configMapYaml(ns, 'first', { a: '1' }),
        '---\n' + configMapYaml(ns, 'second', { b: '2' }),
        '---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: third\n  namespace: ' + ns + '\nstringData:\n  token: abc\n',
        '---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: fourth\n  namespace: ' + ns + '\nspec:\n  selector:\n    matchLabels: {app: fourth}\n  template:\n    metadata:\n      labels: {app: fourth}\n    spec:\n      containers:\n      - name: c\n        image: nginx\n',
      ].join('');
      const out = ok(await k(['create', '-f', '-'], { input: doc }));
      assert.equal(out, 'configmap/first created\nconfigmap/second created\nsecret/third created\ndeployment.apps/fourth created\n');
      assert.equal(ok(await k(['get', 'secret', 'third', '-n', ns, '-o', 'jsonpath={.data.token}'])), Buffer.from('abc').toString('base64'));
      assert.equal(ok(await k(['get', 'secret', 'third', '-n', ns, '-o', 'jsonpath={.type}'])), 'Opaque');
      const again = await k(['create', '-f', '-'], { input: doc });
      assert.notEqual(again.code, 0);
      assert.match(again.stderr, /Error from server \(AlreadyExists\).*configmaps "first" already exists/);
    });

    test('apply: created, unchanged, configured; last-applied annotation kept', T, async () => {
      const ns = await createNamespace(server);
      const file = join(scratch, `${ns}.yaml`);
      await writeFile(file, configMapYaml(ns, 'app', { mode: 'one' }, { tier: 'web' }));
      assert.equal(ok(await k(['apply', '-f', file])), 'configmap/app created\n');
      assert.equal(ok(await k(['apply', '-f', file])), 'configmap/app unchanged\n');
      await writeFile(file, configMapYaml(ns, 'app', { mode: 'two', extra: 'x' }, { tier: 'web' }));
      assert.equal(ok(await k(['apply', '-f', file])), 'configmap/app configured\n');
      const obj = JSON.parse(ok(await k(['get', 'cm', 'app', '-n', ns, '-o', 'json'])));
      assert.deepEqual(obj.data, { mode: 'two', extra: 'x' });
      const last = JSON.parse(obj.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']);
      assert.deepEqual(last.data, { mode: 'two', extra: 'x' });
      // A key dropped from the file is removed from the object (three-way merge).
      await writeFile(file, configMapYaml(ns, 'app', { mode: 'two' }, { tier: 'web' }));
      assert.equal(ok(await k(['apply', '-f', file])), 'configmap/app configured\n');
      assert.equal(ok(await k(['get', 'cm', 'app', '-n', ns, '-o', 'jsonpath={.data}'])).replace(/\s/g, ''), '{"mode":"two"}');
    });

    test('apply a deployment twice is unchanged; an image change is configured', T, async () => {
      const ns = await createNamespace(server);
      const dep = (image: string) =>
        `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: ${ns}\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n        image: ${image}\n        ports:\n        - containerPort: 80\n`;
      assert.equal(ok(await k(['apply', '-f', '-'], { input: dep('nginx:1.24') })), 'deployment.apps/web created\n');
      assert.equal(ok(await k(['apply', '-f', '-'], { input: dep('nginx:1.24') })), 'deployment.apps/web unchanged\n');
      assert.equal(ok(await k(['apply', '-f', '-'], { input: dep('nginx:1.25') })), 'deployment.apps/web configured\n');
      const d = JSON.parse(ok(await k(['get', 'deploy', 'web', '-n', ns, '-o', 'json'])));
      assert.equal(d.spec.template.spec.containers[0].image, 'nginx:1.25');
      assert.deepEqual(d.spec.template.spec.containers[0].ports, [{ containerPort: 80, protocol: 'TCP' }]);
      assert.equal(d.metadata.generation, 2);
    });

    test('apply of an invalid object prints the Invalid status', T, async () => {
      const ns = await createNamespace(server);
      const r = await k(['apply', '-f', '-'], { input: configMapYaml(ns, 'Bad_Name', { a: 'b' }) });
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /The ConfigMap "Bad_Name" is invalid: metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of/);
    });

    test('apply --dry-run=server validates and defaults but stores nothing', T, async () => {
      const ns = await createNamespace(server);
      assert.equal(ok(await k(['apply', '--dry-run=server', '-f', '-'], { input: configMapYaml(ns, 'dry', { a: '1' }) })), 'configmap/dry created (server dry run)\n');
      const r = await k(['get', 'cm', 'dry', '-n', ns]);
      assert.equal(r.code, 1);
      assert.ok(r.stderr.split('\n').includes('Error from server (NotFound): configmaps "dry" not found'), r.stderr);
      const out = JSON.parse(ok(await k(['apply', '--dry-run=server', '-o', 'json', '-f', '-'], { input: configMapYaml(ns, 'dry', { a: '1' }) })));
      assert.match(out.metadata.uid ?? '', /^[0-9a-f-]{36}$/, 'a dry-run create still returns a filled-in object');
      const bad = await k(['apply', '--dry-run=server', '-f', '-'], { input: configMapYaml(ns, 'Bad_Name', { a: '1' }) });
      assert.notEqual(bad.code, 0, 'dry run still validates');
    });

    test('diff: exit 0 when in sync, 1 with a unified diff when not', T, async () => {
      const ns = await createNamespace(server);
      ok(await k(['apply', '-f', '-'], { input: configMapYaml(ns, 'cfg', { color: 'blue' }) }));
      const same = await k(['diff', '-f', '-'], { input: configMapYaml(ns, 'cfg', { color: 'blue' }) });
      assert.equal(same.code, 0, same.stderr);
      assert.equal(same.stdout, '');
      const changed = await k(['diff', '-f', '-'], { input: configMapYaml(ns, 'cfg', { color: 'green' }) });
      assert.equal(changed.code, 1, `diff exits 1 on differences\n${changed.stderr}`);
      assert.match(changed.stdout, /^-\s+color: blue$/m);
      assert.match(changed.stdout, /^\+\s+color: green$/m);
      assert.doesNotMatch(changed.stdout, /^[-+]\s+resourceVersion:/m, 'server dry-run keeps resourceVersion unless the object changed');
      assert.equal(ok(await k(['get', 'cm', 'cfg', '-n', ns, '-o', 'jsonpath={.data.color}'])), 'blue', 'diff changes nothing');
      const created = await k(['diff', '-f', '-'], { input: configMapYaml(ns, 'new-one', { a: 'b' }) });
      assert.equal(created.code, 1);
      assert.match(created.stdout, /^\+\s+name: new-one$/m);
    });

    test('edit with KUBE_EDITOR applies the edited object', T, async () => {
      const ns = await createNamespace(server);
      await createConfigMap(server, ns, 'ed', { greeting: 'hello' });
      const editor = join(scratch, `editor-${ns}.sh`);
      await writeFile(editor, '#!/bin/sh\nsed -i "s/greeting: hello/greeting: goodbye/" "$1"\n');
      await chmod(editor, 0o755);
      assert.equal(ok(await k(['edit', 'cm', 'ed', '-n', ns], { env: { KUBE_EDITOR: editor, EDITOR: editor } })), 'configmap/ed edited\n');
      assert.equal(ok(await k(['get', 'cm', 'ed', '-n', ns, '-o', 'jsonpath={.data.greeting}'])), 'goodbye');

      const noop = join(scratch, `noop-${ns}.sh`);
      await writeFile(noop, '#!/bin/sh\ntrue\n');
      await chmod(noop, 0o755);
      const r = await k(['edit', 'cm', 'ed', '-n', ns], { env: { KUBE_EDITOR: noop, EDITOR: noop } });
      assert.equal(r.code, 0);
      assert.match(r.stdout + r.stderr, /Edit cancelled, no changes made\./);
    });

    test('explain pod.spec.containers describes the field from the OpenAPI schema', T, async () => {
      const out = ok(await k(['explain', 'pod.spec.containers']));
      assert.match(out, /^KIND:\s+Pod$/m);
      assert.match(out, /^VERSION:\s+v1$/m);
      assert.match(out, /List of containers belonging to the pod\./);
      assert.match(out, /^\s+image\s+<string>/m);
      assert.match(out, /^\s+name\s+<string>( -required-)?/m);
      const dep = ok(await k(['explain', 'deployment.spec.replicas']));
      assert.match(dep, /^GROUP:\s+apps$|^KIND:\s+Deployment$/m);
      assert.match(dep, /<integer>/);
      const bad = await k(['explain', 'pod.spec.nope']);
      assert.notEqual(bad.code, 0);
      assert.match(bad.stderr, /field "nope" does not exist/);
    });

    test('wait --for=delete returns once the finalizer is removed', T, async () => {
      const ns = await createNamespace(server);
      const held = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: held\n  namespace: ' + ns + '\n  finalizers: ["example.com/hold"]\n';
      ok(await k(['create', '-f', '-'], { input: held }));
      ok(await k(['delete', 'cm', 'held', '-n', ns, '--wait=false']));
      const still = JSON.parse(ok(await k(['get', 'cm', 'held', '-n', ns, '-o', 'json'])));
      assert.ok(still.metadata.deletionTimestamp, 'a finalizer keeps the object with a deletionTimestamp');

      const waiter = spawnKubectl(['wait', '--for=delete', 'cm/held', '-n', ns, '--timeout=30s', '-v=6'], { kubeconfig: server.kubeconfigPath, bin });
      try {
        await waiter.waitForStderr(WATCH_OPEN);
        ok(await k(['patch', 'cm', 'held', '-n', ns, '--type', 'json', '-p', '[{"op":"remove","path":"/metadata/finalizers"}]']));
        await waiter.waitForLine(/^configmap\/held condition met$/);
        // kubectl prints the result before it exits: wait for the exit instead of killing it.
        assert.equal(await waiter.waitForExit(), 0, waiter.stderr());
      } finally {
        await waiter.stop();
      }
    });

    test('wait --for=jsonpath sees a later update', T, async (t) => {
      const skip = atLeast(23)();
      if (skip) return t.skip(skip);
      const ns = await createNamespace(server);
      await createConfigMap(server, ns, 'flag', { state: 'pending' });
      const waiter = spawnKubectl(['wait', '--for=jsonpath={.data.state}=ready', 'cm/flag', '-n', ns, '--timeout=30s', '-v=6'], { kubeconfig: server.kubeconfigPath, bin });
      try {
        await waiter.waitForStderr(WATCH_OPEN);
        ok(await k(['patch', 'cm', 'flag', '-n', ns, '--type', 'merge', '-p', '{"data":{"state":"ready"}}']));
        await waiter.waitForLine(/^configmap\/flag condition met$/);
        assert.equal(await waiter.waitForExit(), 0, waiter.stderr());
      } finally {
        await waiter.stop();
      }
      assert.equal(waiter.child.exitCode, 0, waiter.stderr());
      const timeout = await k(['wait', '--for=jsonpath={.data.state}=never', 'cm/flag', '-n', ns, '--timeout=1s']);
      assert.notEqual(timeout.code, 0);
      assert.match(timeout.stderr, /timed out waiting for the condition/);
    });

    test('get --raw /openapi/v3 lists group-version paths', T, async () => {
      const doc = JSON.parse(ok(await k(['get', '--raw', '/openapi/v3'])));
      assert.ok(doc.paths?.['api/v1']?.serverRelativeURL, 'api/v1 path');
      assert.ok(doc.paths?.['apis/apps/v1']?.serverRelativeURL, 'apis/apps/v1 path');
      const core = JSON.parse(ok(await k(['get', '--raw', doc.paths['api/v1'].serverRelativeURL])));
      assert.match(core.openapi, /^3\.0/);
      assert.ok(core.components?.schemas?.['io.k8s.api.core.v1.Pod'], 'Pod schema');
    });

    describe('watch', () => {
      test('get -w prints the existing object then changes', T, async () => {
        const ns = await createNamespace(server);
        await createConfigMap(server, ns, 'w1', { a: '1' });
        const w = spawnKubectl(['get', 'cm', 'w1', '-n', ns, '-w'], { kubeconfig: server.kubeconfigPath, bin });
        try {
          await w.waitForLine(/^NAME\s+DATA\s+AGE/);
          await w.waitForLine(/^w1\s+1\s+\d+s/);
          ok(await k(['patch', 'cm', 'w1', '-n', ns, '--type', 'merge', '-p', '{"data":{"b":"2"}}']));
          await w.waitForLine(/^w1\s+2\s+\d+s/);
        } finally {
          await w.stop();
        }
      });

      test('--watch-only --output-watch-events prints EVENT rows for new changes only', T, async () => {
        const ns = await createNamespace(server);
        await createConfigMap(server, ns, 'before', {});
        const w = spawnKubectl(['get', 'cm', '-n', ns, '--watch-only', '--output-watch-events', '--field-selector=metadata.name!=kube-root-ca.crt', '-v=6'], { kubeconfig: server.kubeconfigPath, bin });
        try {
          await w.waitForStderr(WATCH_OPEN);
          await createConfigMap(server, ns, 'during', { x: 'y' });
          await w.waitForLine(/^ADDED\s+during\s+1\s+\d+s/);
          ok(await k(['label', 'cm', 'during', '-n', ns, 'a=b']));
          await w.waitForLine(/^MODIFIED\s+during\s+1\s+\d+s/);
          ok(await k(['delete', 'cm', 'during', '-n', ns]));
          await w.waitForLine(/^DELETED\s+during\s+1\s+\d+s/);
          assert.match(w.lines[0] ?? '', /^EVENT\s+NAME\s+DATA\s+AGE/);
          assert.ok(!w.lines.some((l) => /\bbefore\b/.test(l)), `--watch-only must not list existing objects:\n${w.lines.join('\n')}`);
        } finally {
          await w.stop();
        }
      });

      test('-w -o json --output-watch-events prints typed watch events', T, async () => {
        const ns = await createNamespace(server);
        const w = spawnKubectl(['get', 'cm', '-n', ns, '-w', '-o', 'json', '--output-watch-events', '--field-selector=metadata.name=evt'], { kubeconfig: server.kubeconfigPath, bin });
        try {
          await createConfigMap(server, ns, 'evt', {});
          // One event object per line (compact JSON), as kubectl prints watch events.
          const line = await w.waitForLine(/"type": ?"ADDED"/);
          const event = JSON.parse(line);
          assert.equal(event.type, 'ADDED');
          assert.equal(event.object.kind, 'ConfigMap');
          assert.equal(event.object.metadata.name, 'evt');
        } finally {
          await w.stop();
        }
      });
    });
  });
}
