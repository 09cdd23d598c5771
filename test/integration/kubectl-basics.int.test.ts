// Everyday kubectl commands against k8ts, with every kubectl version on this machine; the expected
// lines are what kubectl prints against a real kube-apiserver.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse as parseYaml } from 'yaml';
import {
  createConfigMap,
  createDeployment,
  createNamespace,
  DEBIAN_KUBECTL_LABEL,
  debianKubectl,
  kubectl,
  kubectlBinaries,
  kubectlVersionSync,
  missingKubectlVersions,
  startTestServer,
  uniqueName,
  type KubectlResult,
  type TestServer,
} from '../helpers/index.ts';

/** Per-test timeout: generous for a loaded CI machine, short enough to surface a hang. */
const T = { timeout: 90_000 };

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server?.close();
});

const AGE = String.raw`\d+s`;

/** Splits a kubectl table into rows of cells (columns are separated by 2+ spaces, or 3 for some). */
function rows(stdout: string): string[][] {
  return stdout
    .trimEnd()
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => l.trim().split(/\s{2,}/));
}

function ok(r: KubectlResult, what = 'kubectl'): string {
  assert.equal(r.code, 0, `${what} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r.stdout;
}

function failsWith(r: KubectlResult, line: RegExp | string) {
  assert.notEqual(r.code, 0, `expected failure, got exit 0\nstdout: ${r.stdout}`);
  if (typeof line === 'string') assert.ok(r.stderr.split('\n').includes(line), `stderr lacks line ${JSON.stringify(line)}:\n${r.stderr}`);
  else assert.match(r.stderr, line);
}

/** `configmap "x" deleted` (kubectl ≥ 1.34 adds ` from <ns> namespace`). */
function deletedLine(kind: string, name: string, ns?: string): RegExp {
  const nsPart = ns ? `( from ${ns} namespace)?` : '';
  return new RegExp(`^${kind.replace('.', '\\.')} "${name}" deleted${nsPart}$`, 'm');
}

for (const { label, bin } of kubectlBinaries()) {
  describe(label, { concurrency: 4 }, () => {
    const k = (args: string[], input?: string) => kubectl(args, { kubeconfig: server.kubeconfigPath, bin, input });
    const minor = kubectlVersionSync(bin).minor;

    test('version -o json shows client and server versions', T, async () => {
      const out = JSON.parse(ok(await k(['version', '-o', 'json'])));
      assert.ok(out.clientVersion?.gitVersion, 'clientVersion');
      assert.equal(out.serverVersion?.major, '1');
      assert.match(out.serverVersion?.minor ?? '', /^\d+\+?$/);
      assert.match(out.serverVersion?.gitVersion ?? '', /^v1\.\d+\.\d+/);
      assert.match(out.serverVersion?.platform ?? '', /^\w+\/\w+$/);
    });

    test('api-resources lists built-in kinds with upstream columns', T, async () => {
      const out = ok(await k(['api-resources']));
      assert.match(out, /^NAME\s+SHORTNAMES\s+APIVERSION\s+NAMESPACED\s+KIND\s*$/m);
      for (const row of [
        /^pods\s+po\s+v1\s+true\s+Pod\s*$/m,
        /^namespaces\s+ns\s+v1\s+false\s+Namespace\s*$/m,
        /^configmaps\s+cm\s+v1\s+true\s+ConfigMap\s*$/m,
        /^secrets\s+v1\s+true\s+Secret\s*$/m,
        /^services\s+svc\s+v1\s+true\s+Service\s*$/m,
        /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment\s*$/m,
      ]) {
        assert.match(out, row);
      }
      const clusterScoped = ok(await k(['api-resources', '--namespaced=false', '-o', 'name'])).split('\n');
      assert.ok(clusterScoped.includes('namespaces'), 'namespaces are cluster-scoped');
      assert.ok(!clusterScoped.includes('pods'), 'pods are namespaced');
      const names = ok(await k(['api-resources', '-o', 'name'])).split('\n');
      assert.ok(names.includes('deployments.apps'), 'grouped resources are printed as resource.group');
    });

    test('api-versions lists the core and apps groups', T, async () => {
      const versions = ok(await k(['api-versions'])).trim().split('\n');
      assert.ok(versions.includes('v1'), versions.join(','));
      assert.ok(versions.includes('apps/v1'), versions.join(','));
    });

    test('cluster-info names the control plane URL', T, async () => {
      // cluster-info colours its output even when stdout is not a terminal.
      const out = ok(await k(['cluster-info'])).replace(/\x1b\[[0-9;]*m/g, '');
      assert.match(out, /Kubernetes (control plane|master) is running at https:\/\/127\.0\.0\.1:\d+/);
    });

    test('get ns lists the four system namespaces as Active', T, async () => {
      const out = ok(await k(['get', 'ns']));
      assert.match(out, /^NAME\s+STATUS\s+AGE\s*$/m);
      for (const ns of ['default', 'kube-node-lease', 'kube-public', 'kube-system']) {
        assert.match(out, new RegExp(`^${ns}\\s+Active\\s+\\d+[smhd]`, 'm'), `${ns} missing:\n${out}`);
      }
    });

    test('create namespace, AlreadyExists on repeat, delete', T, async () => {
      const name = uniqueName('ns');
      assert.equal(ok(await k(['create', 'namespace', name])), `namespace/${name} created\n`);
      failsWith(await k(['create', 'namespace', name]), `Error from server (AlreadyExists): namespaces "${name}" already exists`);
      assert.equal(ok(await k(['get', 'ns', name, '-o', 'jsonpath={.status.phase}'])), 'Active');
      const labels = JSON.parse(ok(await k(['get', 'ns', name, '-o', 'json']))).metadata.labels;
      assert.equal(labels?.['kubernetes.io/metadata.name'], name, 'namespaces get their name label');
      assert.match(ok(await k(['delete', 'namespace', name, '--wait=false'])), deletedLine('namespace', name));
    });

    test('create configmap --from-literal, then get as table and json', T, async () => {
      const ns = await createNamespace(server);
      assert.equal(ok(await k(['create', 'configmap', 'cfg', '-n', ns, '--from-literal=a=1', '--from-literal=b=two'])), 'configmap/cfg created\n');
      const table = ok(await k(['get', 'configmap', 'cfg', '-n', ns]));
      assert.match(table, /^NAME\s+DATA\s+AGE\s*$/m);
      assert.match(table, new RegExp(`^cfg\\s+2\\s+${AGE}\\s*$`, 'm'));
      const obj = JSON.parse(ok(await k(['get', 'cm', 'cfg', '-n', ns, '-o', 'json'])));
      assert.equal(obj.kind, 'ConfigMap');
      assert.equal(obj.apiVersion, 'v1');
      assert.deepEqual(obj.data, { a: '1', b: 'two' });
      assert.equal(obj.metadata.namespace, ns);
      assert.match(obj.metadata.uid, /^[0-9a-f-]{36}$/);
      assert.match(obj.metadata.resourceVersion, /^\d+$/);
      assert.match(obj.metadata.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      // Since 1.21 create configmap words it as its own error; 1.20 still went through the generic
      // generator path and prints the server's Status.
      failsWith(
        await k(['create', 'configmap', 'cfg', '-n', ns]),
        minor >= 21 ? /^error: failed to create configmap: configmaps "cfg" already exists$/m : 'Error from server (AlreadyExists): configmaps "cfg" already exists',
      );
    });

    test('create secret generic stores base64 data and prints TYPE', T, async () => {
      const ns = await createNamespace(server);
      assert.equal(ok(await k(['create', 'secret', 'generic', 'creds', '-n', ns, '--from-literal=password=s3cret'])), 'secret/creds created\n');
      const table = ok(await k(['get', 'secret', 'creds', '-n', ns]));
      assert.match(table, /^NAME\s+TYPE\s+DATA\s+AGE\s*$/m);
      assert.match(table, new RegExp(`^creds\\s+Opaque\\s+1\\s+${AGE}\\s*$`, 'm'));
      assert.equal(ok(await k(['get', 'secret', 'creds', '-n', ns, '-o', 'jsonpath={.data.password}'])), Buffer.from('s3cret').toString('base64'));
    });

    test('create deployment gets upstream defaults and wide columns', T, async () => {
      const ns = await createNamespace(server);
      assert.equal(ok(await k(['create', 'deployment', 'web', '-n', ns, '--image=nginx:1.25', '--replicas=2'])), 'deployment.apps/web created\n');
      const d = JSON.parse(ok(await k(['get', 'deployment', 'web', '-n', ns, '-o', 'json'])));
      assert.equal(d.apiVersion, 'apps/v1');
      assert.equal(d.spec.replicas, 2);
      assert.deepEqual(d.spec.selector, { matchLabels: { app: 'web' } });
      assert.deepEqual(d.spec.template.metadata.labels, { app: 'web' });
      assert.deepEqual(d.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
      assert.equal(d.spec.revisionHistoryLimit, 10);
      assert.equal(d.spec.progressDeadlineSeconds, 600);
      assert.equal(d.metadata.generation, 1);
      const pod = d.spec.template.spec;
      assert.equal(pod.restartPolicy, 'Always');
      assert.equal(pod.dnsPolicy, 'ClusterFirst');
      assert.equal(pod.terminationGracePeriodSeconds, 30);
      assert.equal(pod.schedulerName, 'default-scheduler');
      assert.deepEqual(pod.securityContext, {});
      const c = pod.containers[0];
      assert.equal(c.name, 'nginx');
      assert.equal(c.image, 'nginx:1.25');
      assert.equal(c.imagePullPolicy, 'IfNotPresent');
      assert.equal(c.terminationMessagePath, '/dev/termination-log');
      assert.equal(c.terminationMessagePolicy, 'File');

      const wide = ok(await k(['get', 'deploy', 'web', '-n', ns, '-o', 'wide']));
      assert.match(wide, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR\s*$/m);
      assert.match(wide, new RegExp(`^web\\s+\\d/2\\s+\\d+\\s+\\d+\\s+${AGE}\\s+nginx\\s+nginx:1\\.25\\s+app=web\\s*$`, 'm'));
      failsWith(await k(['get', 'deployment', 'nope', '-n', ns]), `Error from server (NotFound): deployments.apps "nope" not found`);
    });

    test('create service clusterip allocates an IP from the service range', T, async () => {
      const ns = await createNamespace(server);
      assert.equal(ok(await k(['create', 'service', 'clusterip', 'web', '-n', ns, '--tcp=80:8080'])), 'service/web created\n');
      const table = ok(await k(['get', 'svc', 'web', '-n', ns, '-o', 'wide']));
      assert.match(table, /^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE\s+SELECTOR\s*$/m);
      assert.match(table, new RegExp(`^web\\s+ClusterIP\\s+10\\.(9[6-9]|10\\d|11[01])\\.\\d+\\.\\d+\\s+<none>\\s+80/TCP\\s+${AGE}\\s+app=web\\s*$`, 'm'));
      const svc = JSON.parse(ok(await k(['get', 'service', 'web', '-n', ns, '-o', 'json'])));
      assert.equal(svc.spec.type, 'ClusterIP');
      assert.deepEqual(svc.spec.clusterIPs, [svc.spec.clusterIP]);
      assert.deepEqual(svc.spec.ports, [{ name: '80-8080', port: 80, protocol: 'TCP', targetPort: 8080 }]);
      assert.equal(svc.spec.sessionAffinity, 'None');
      assert.deepEqual(svc.spec.ipFamilies, ['IPv4']);
      assert.equal(svc.spec.ipFamilyPolicy, 'SingleStack');
      assert.equal(svc.spec.internalTrafficPolicy, 'Cluster');
    });

    test('get -o name|yaml|json|jsonpath|custom-columns', T, async () => {
      const ns = await createNamespace(server);
      await createConfigMap(server, ns, 'one', { k: 'v1' });
      await createConfigMap(server, ns, 'two', { k: 'v2' });
      const sel = ['-n', ns, '--field-selector=metadata.name!=kube-root-ca.crt'];

      assert.equal(ok(await k(['get', 'cm', 'one', '-n', ns, '-o', 'name'])), 'configmap/one\n');
      assert.equal(ok(await k(['get', 'cm', ...sel, '-o', 'name'])), 'configmap/one\nconfigmap/two\n');

      const y = parseYaml(ok(await k(['get', 'cm', 'one', '-n', ns, '-o', 'yaml'])));
      assert.equal(y.kind, 'ConfigMap');
      assert.deepEqual(y.data, { k: 'v1' });

      const list = JSON.parse(ok(await k(['get', 'cm', ...sel, '-o', 'json'])));
      assert.equal(list.kind, 'List');
      assert.equal(list.apiVersion, 'v1');
      assert.deepEqual(list.items.map((i: any) => i.metadata.name), ['one', 'two']);
      assert.ok(list.items.every((i: any) => i.kind === 'ConfigMap' && i.apiVersion === 'v1'), 'items carry kind and apiVersion');

      assert.equal(ok(await k(['get', 'cm', ...sel, '-o', 'jsonpath={.items[*].data.k}'])), 'v1 v2');
      assert.equal(ok(await k(['get', 'cm', 'two', '-n', ns, '-o', 'jsonpath={.metadata.name}={.data.k}'])), 'two=v2');

      const cc = rows(ok(await k(['get', 'cm', ...sel, '-o', 'custom-columns=NAME:.metadata.name,VALUE:.data.k,MISSING:.spec.x'])));
      assert.deepEqual(cc, [['NAME', 'VALUE', 'MISSING'], ['one', 'v1', '<none>'], ['two', 'v2', '<none>']]);
    });

    test('--show-labels, -L and -l selectors', T, async () => {
      const ns = await createNamespace(server);
      for (const [name, tier] of [['a', 'web'], ['b', 'db'], ['c', 'cache']] as const) {
        await createConfigMap(server, ns, name, {});
        ok(await k(['label', 'configmap', name, '-n', ns, 'app=shop', `tier=${tier}`]));
      }
      await createConfigMap(server, ns, 'plain', {});

      const shown = ok(await k(['get', 'cm', 'a', 'plain', '-n', ns, '--show-labels']));
      assert.match(shown, /^NAME\s+DATA\s+AGE\s+LABELS\s*$/m);
      assert.match(shown, new RegExp(`^a\\s+0\\s+${AGE}\\s+app=shop,tier=web\\s*$`, 'm'));
      assert.match(shown, new RegExp(`^plain\\s+0\\s+${AGE}\\s+<none>\\s*$`, 'm'));

      const col = ok(await k(['get', 'cm', 'a', 'plain', '-n', ns, '-L', 'tier']));
      assert.match(col, /^NAME\s+DATA\s+AGE\s+TIER\s*$/m);
      assert.match(col, new RegExp(`^a\\s+0\\s+${AGE}\\s+web\\s*$`, 'm'));

      const names = async (selector: string) => ok(await k(['get', 'cm', '-n', ns, '-l', selector, '-o', 'name'])).trim().split('\n').filter(Boolean);
      assert.deepEqual(await names('app=shop'), ['configmap/a', 'configmap/b', 'configmap/c']);
      assert.deepEqual(await names('app=shop,tier!=web'), ['configmap/b', 'configmap/c']);
      assert.deepEqual(await names('tier in (db,cache)'), ['configmap/b', 'configmap/c']);
      assert.deepEqual(await names('tier notin (db),app'), ['configmap/a', 'configmap/c']);
      assert.deepEqual((await names('!tier')).filter((n) => n !== 'configmap/kube-root-ca.crt'), ['configmap/plain']);
      failsWith(await k(['get', 'cm', '-n', ns, '-l', 'tier in (db']), /^Error from server \(BadRequest\)|unable to parse requirement/m);
    });

    test('-A lists across namespaces with a NAMESPACE column', T, async () => {
      const ns1 = await createNamespace(server);
      const ns2 = await createNamespace(server);
      const mark = uniqueName('m');
      for (const ns of [ns1, ns2]) {
        await createConfigMap(server, ns, 'shared', {});
        ok(await k(['label', 'cm', 'shared', '-n', ns, `mark=${mark}`]));
      }
      const out = ok(await k(['get', 'cm', '-A', '-l', `mark=${mark}`]));
      const r = rows(out);
      assert.deepEqual(r[0], ['NAMESPACE', 'NAME', 'DATA', 'AGE']);
      assert.deepEqual(r.slice(1).map((x) => [x[0], x[1]]).sort(), [[ns1, 'shared'], [ns2, 'shared']].sort());
    });

    test('--field-selector on metadata fields, and an unknown field is BadRequest', T, async () => {
      const ns = await createNamespace(server);
      await createConfigMap(server, ns, 'x', {});
      await createConfigMap(server, ns, 'y', {});
      assert.equal(ok(await k(['get', 'cm', '-n', ns, '--field-selector', 'metadata.name=y', '-o', 'name'])), 'configmap/y\n');
      assert.equal(ok(await k(['get', 'cm', '-A', '--field-selector', `metadata.namespace=${ns},metadata.name=x`, '-o', 'name'])), 'configmap/x\n');
      failsWith(await k(['get', 'cm', '-n', ns, '--field-selector', 'data.foo=bar']), /^Error from server \(BadRequest\): .*"data\.foo" is not a known field selector: only "metadata\.name", "metadata\.namespace"/m);
    });

    test('--chunk-size=2 pages through every item with one header', T, async () => {
      const ns = await createNamespace(server);
      const names = ['c1', 'c2', 'c3', 'c4', 'c5'];
      for (const n of names) await createConfigMap(server, ns, n, { x: 'y' });
      const out = ok(await k(['get', 'cm', '-n', ns, '--chunk-size=2', '--field-selector=metadata.name!=kube-root-ca.crt']));
      const r = rows(out);
      assert.deepEqual(r[0], ['NAME', 'DATA', 'AGE']);
      assert.deepEqual(r.slice(1).map((x) => x[0]), names);
      const json = JSON.parse(ok(await k(['get', 'cm', '-n', ns, '--chunk-size=2', '-o', 'json', '--field-selector=metadata.name!=kube-root-ca.crt'])));
      assert.deepEqual(json.items.map((i: any) => i.metadata.name), names);
    });

    test('an empty namespace prints "No resources found in <ns> namespace."', T, async () => {
      const ns = await createNamespace(server);
      const r = await k(['get', 'deployments', '-n', ns]);
      assert.equal(r.code, 0);
      assert.equal(r.stdout, '');
      assert.ok(r.stderr.split('\n').includes(`No resources found in ${ns} namespace.`), r.stderr);
    });

    test('NotFound errors for get and delete', T, async () => {
      const ns = await createNamespace(server);
      failsWith(await k(['get', 'pod', 'nope', '-n', ns]), `Error from server (NotFound): pods "nope" not found`);
      failsWith(await k(['delete', 'configmap', 'nope', '-n', ns]), `Error from server (NotFound): configmaps "nope" not found`);
      failsWith(await k(['get', 'namespace', 'nope-' + ns]), `Error from server (NotFound): namespaces "nope-${ns}" not found`);
      const ignored = await k(['delete', 'configmap', 'nope', '-n', ns, '--ignore-not-found']);
      assert.equal(ignored.code, 0, ignored.stderr);
    });

    test('an invalid name is rejected with the upstream validation message', T, async () => {
      const ns = await createNamespace(server);
      failsWith(
        await k(['create', 'configmap', 'Bad_Name', '-n', ns]),
        /ConfigMap "Bad_Name" is invalid: metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '\.', and must start and end with an alphanumeric character/,
      );
    });

    test('create -f validates fields: unknown and mistyped fields are rejected, --validate=false lets them through', T, async () => {
      const ns = await createNamespace(server);
      const cm = (name: string, extra: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: ${ns}\n${extra}data:\n  a: "1"\n`;
      const unknown = await k(['create', '-f', '-'], cm('unknown', 'bogus: 1\n'));
      const mistyped = await k(['create', '-f', '-'], cm('mistyped', 'immutable: "yes"\n'));
      if (minor < 25) {
        // Before server-side field validation kubectl validates against /openapi/v2 (protobuf) itself.
        const hint = '; if you choose to ignore these errors, turn validation off with --validate=false';
        failsWith(unknown, `error: error validating "STDIN": error validating data: ValidationError(ConfigMap): unknown field "bogus" in io.k8s.api.core.v1.ConfigMap${hint}`);
        failsWith(mistyped, `error: error validating "STDIN": error validating data: ValidationError(ConfigMap.immutable): invalid type for io.k8s.api.core.v1.ConfigMap.immutable: got "string", expected "boolean"${hint}`);
      } else {
        failsWith(unknown, `Error from server (BadRequest): error when creating "STDIN": ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "bogus"`);
        failsWith(mistyped, /^Error from server \(BadRequest\): error when creating "STDIN": ConfigMap in version "v1" cannot be handled as a ConfigMap: /m);
      }
      failsWith(await k(['get', 'cm', 'unknown', '-n', ns]), `Error from server (NotFound): configmaps "unknown" not found`);
      const lax = await k(['create', '--validate=false', '-f', '-'], cm('unknown', 'bogus: 1\n'));
      assert.equal(ok(lax), 'configmap/unknown created\n');
    });

    test('delete by name, -l, --all and --wait', T, async () => {
      const ns = await createNamespace(server);
      for (const n of ['d1', 'd2', 'd3', 'keep']) await createConfigMap(server, ns, n, {});
      for (const n of ['d1', 'd2']) ok(await k(['label', 'cm', n, '-n', ns, 'gone=yes']));

      const byLabel = ok(await k(['delete', 'cm', '-n', ns, '-l', 'gone=yes']));
      assert.match(byLabel, deletedLine('configmap', 'd1', ns));
      assert.match(byLabel, deletedLine('configmap', 'd2', ns));
      assert.match(ok(await k(['delete', 'cm', 'd3', '-n', ns, '--wait=true'])), deletedLine('configmap', 'd3', ns));

      const left = ok(await k(['get', 'cm', '-n', ns, '-o', 'name'])).trim().split('\n').filter((n) => n !== 'configmap/kube-root-ca.crt');
      assert.deepEqual(left, ['configmap/keep']);

      const all = ok(await k(['delete', 'cm', '--all', '-n', ns]));
      assert.match(all, deletedLine('configmap', 'keep', ns));
      const r = await k(['get', 'cm', 'keep', '-n', ns]);
      failsWith(r, `Error from server (NotFound): configmaps "keep" not found`);
    });

    test('label and annotate: add, refuse overwrite, overwrite, remove', T, async () => {
      const ns = await createNamespace(server);
      await createConfigMap(server, ns, 'l', {});
      assert.equal(ok(await k(['label', 'cm', 'l', '-n', ns, 'env=dev'])), 'configmap/l labeled\n');
      failsWith(await k(['label', 'cm', 'l', '-n', ns, 'env=prod']), `error: 'env' already has a value (dev), and --overwrite is false`);
      assert.equal(ok(await k(['label', 'cm', 'l', '-n', ns, 'env=prod', '--overwrite'])), 'configmap/l labeled\n');
      assert.equal(ok(await k(['get', 'cm', 'l', '-n', ns, '-o', 'jsonpath={.metadata.labels.env}'])), 'prod');
      // "unlabeled" is kubectl's own word since 1.23; older kubectl says "labeled" for a removal too.
      assert.equal(ok(await k(['label', 'cm', 'l', '-n', ns, 'env-'])), `configmap/l ${minor >= 23 ? 'unlabeled' : 'labeled'}\n`);
      assert.equal(ok(await k(['get', 'cm', 'l', '-n', ns, '-o', 'jsonpath={.metadata.labels}'])), '');

      // kubectl 1.27 itself prints "annotate" (its own wording, not the server's).
      assert.match(ok(await k(['annotate', 'cm', 'l', '-n', ns, 'note=hello world'])), /^configmap\/l annotated?\n$/);
      assert.equal(ok(await k(['get', 'cm', 'l', '-n', ns, '-o', 'jsonpath={.metadata.annotations.note}'])), 'hello world');
      failsWith(await k(['label', 'cm', 'l', '-n', ns, 'bad key=x']), /invalid|unknown label spec/i);
      const r = await k(['label', 'cm', 'l', '-n', ns, 'a=' + 'x'.repeat(64)]);
      assert.notEqual(r.code, 0, 'a 64-character label value is invalid');
    });

    test('scale a deployment through /scale', T, async () => {
      const ns = await createNamespace(server);
      await createDeployment(server, ns, 'sc', 'nginx');
      assert.equal(ok(await k(['scale', 'deployment', 'sc', '-n', ns, '--replicas=3'])), 'deployment.apps/sc scaled\n');
      assert.equal(ok(await k(['get', 'deploy', 'sc', '-n', ns, '-o', 'jsonpath={.spec.replicas}'])), '3');
      failsWith(await k(['scale', 'deployment', 'sc', '-n', ns, '--replicas=5', '--current-replicas=1']), /Expected replicas to be 1, was 3|precondition/i);
      assert.equal(ok(await k(['get', 'deploy', 'sc', '-n', ns, '-o', 'jsonpath={.spec.replicas}'])), '3');
    });

    test('patch --type merge|json|strategic', T, async () => {
      const ns = await createNamespace(server);
      await createConfigMap(server, ns, 'p', { a: '1' });
      assert.equal(ok(await k(['patch', 'cm', 'p', '-n', ns, '--type', 'merge', '-p', '{"data":{"b":"2"}}'])), 'configmap/p patched\n');
      assert.equal(ok(await k(['patch', 'cm', 'p', '-n', ns, '--type', 'merge', '-p', '{"data":{"b":"2"}}'])), 'configmap/p patched (no change)\n');
      assert.equal(ok(await k(['patch', 'cm', 'p', '-n', ns, '--type', 'json', '-p', '[{"op":"add","path":"/data/c","value":"3"},{"op":"remove","path":"/data/a"}]'])), 'configmap/p patched\n');
      assert.equal(ok(await k(['get', 'cm', 'p', '-n', ns, '-o', 'jsonpath={.data}'])).replace(/\s/g, ''), '{"b":"2","c":"3"}');
      // kubectl appends the Status message to "The request is invalid" since 1.25 (kubernetes#112150).
      failsWith(
        await k(['patch', 'cm', 'p', '-n', ns, '--type', 'json', '-p', '[{"op":"test","path":"/data/b","value":"nope"}]']),
        minor >= 25 ? /^The request is invalid: the server rejected our request due to an error in our request$/m : /^The request is invalid$/m,
      );

      await createDeployment(server, ns, 'sp', 'nginx:1.24');
      const strategic = '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.25"}]}}}}';
      assert.equal(ok(await k(['patch', 'deployment', 'sp', '-n', ns, '-p', strategic])), 'deployment.apps/sp patched\n');
      const d = JSON.parse(ok(await k(['get', 'deploy', 'sp', '-n', ns, '-o', 'json'])));
      assert.equal(d.spec.template.spec.containers.length, 1, 'containers merge by name');
      assert.equal(d.spec.template.spec.containers[0].image, 'nginx:1.25');
      assert.equal(d.metadata.generation, 2, 'a spec change bumps generation');
      const sidecar = '{"spec":{"template":{"spec":{"containers":[{"name":"side","image":"busybox"}]}}}}';
      ok(await k(['patch', 'deployment', 'sp', '-n', ns, '--type', 'strategic', '-p', sidecar]));
      const d2 = JSON.parse(ok(await k(['get', 'deploy', 'sp', '-n', ns, '-o', 'json'])));
      assert.deepEqual(d2.spec.template.spec.containers.map((c: any) => c.name).sort(), ['nginx', 'side']);
      failsWith(await k(['patch', 'cm', 'nope', '-n', ns, '--type', 'merge', '-p', '{}']), `Error from server (NotFound): configmaps "nope" not found`);
    });

    test('describe configmap and deployment', T, async () => {
      const ns = await createNamespace(server);
      await createConfigMap(server, ns, 'dc', { key: 'value' });
      const cm = ok(await k(['describe', 'configmap', 'dc', '-n', ns]));
      assert.match(cm, /^Name:\s+dc$/m);
      assert.match(cm, new RegExp(`^Namespace:\\s+${ns}$`, 'm'));
      assert.match(cm, /^Labels:\s+<none>$/m);
      assert.match(cm, /^key:\n-+\nvalue$/m);

      await createDeployment(server, ns, 'dd', 'nginx:1.25', 2);
      const d = ok(await k(['describe', 'deployment', 'dd', '-n', ns]));
      assert.match(d, /^Name:\s+dd$/m);
      assert.match(d, /^Selector:\s+app=dd$/m);
      assert.match(d, /^Replicas:\s+2 desired \| \d+ updated \| \d+ total \| \d+ available \| \d+ unavailable$/m);
      assert.match(d, /^StrategyType:\s+RollingUpdate$/m);
      assert.match(d, /^RollingUpdateStrategy:\s+25% max unavailable, 25% max surge$/m);
      assert.match(d, /^\s+Image:\s+nginx:1\.25$/m);
      failsWith(await k(['describe', 'configmap', 'nope', '-n', ns]), /configmaps "nope" not found/);
    });

    test('run a pod and list it with -o wide', T, async () => {
      const ns = await createNamespace(server);
      assert.equal(ok(await k(['run', 'p', '-n', ns, '--image=nginx', '--restart=Never'])), 'pod/p created\n');
      const wide = ok(await k(['get', 'pod', 'p', '-n', ns, '-o', 'wide']));
      assert.match(wide, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES\s*$/m);
      assert.match(wide, /^p\s+\d\/1\s+\w+/m);
      const pod = JSON.parse(ok(await k(['get', 'pod', 'p', '-n', ns, '-o', 'json'])));
      assert.equal(pod.spec.restartPolicy, 'Never');
      assert.deepEqual(pod.metadata.labels, { run: 'p' });
      assert.ok(pod.status?.phase, 'a pod has a phase from the start');
      assert.equal(pod.spec.enableServiceLinks, true);
      assert.equal(pod.spec.preemptionPolicy, 'PreemptLowerPriority');
      assert.equal(pod.spec.priority, 0);
      assert.ok(Array.isArray(pod.spec.tolerations) && pod.spec.tolerations.some((t: any) => t.key === 'node.kubernetes.io/not-ready'), 'default not-ready toleration');
    });
  });
}

if (!debianKubectl()) {
  test(DEBIAN_KUBECTL_LABEL, { skip: 'not fetched: scripts/fetch-kubectl-debian.sh unpacks it (CI runs it)' }, () => {});
}

const missing = missingKubectlVersions();
if (missing.length > 0) {
  test(`kubectl ${missing.join(', ')}`, { skip: `not installed at /usr/lib/google-cloud-sdk/bin/kubectl.<version>` }, () => {});
}
