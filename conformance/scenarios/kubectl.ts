// The real kubectl against the cluster: api-versions, cluster-info, version, diff (server-side dry-run
// underneath), run, patch --dry-run=server, and proxy on a TCP port and on a unix socket.
import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api } from '@kubernetes/client-node';
import { assert } from '../framework/expect.ts';
import type { ScenarioContext } from '../framework/context.ts';
import { scenario } from '../framework/scenario.ts';
import { IMAGES } from './images.ts';

const FILE = 'test/e2e/kubectl/kubectl.go';
const POD_RUNNING_TIMEOUT = '--pod-running-timeout=2m0s';

/** GET over plain HTTP (kubectl proxy), on a TCP port or a unix socket; resolves with the parsed body. */
function httpGetJSON(target: { port: number } | { socketPath: string }, path: string): Promise<{ status: number; json: any; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ ...('port' in target ? { host: '127.0.0.1', port: target.port } : { socketPath: target.socketPath }), path, timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => {
        let json: unknown;
        try {
          json = JSON.parse(body);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, json, body });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${path} through kubectl proxy: no answer`)));
    req.on('error', reject);
  });
}

/** checkContainersImage: every container runs `image`. */
async function expectPodImage(ctx: ScenarioContext, name: string, image: string): Promise<void> {
  const pod = await ctx.api(CoreV1Api).readNamespacedPod({ name, namespace: ctx.namespace });
  const images = (pod.spec?.containers ?? []).map((c) => c.image);
  assert.ok(images.length > 0 && images.every((i) => i === image), `pod ${name} runs ${images.join(', ')}, expected ${image}`);
}

/** testing-manifests/kubectl/httpd-deployment3.yaml with the given image. */
const httpdDeployment = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: httpd-deployment
spec:
  selector:
    matchLabels:
      app: httpd
  template:
    metadata:
      labels:
        app: httpd
    spec:
      containers:
      - name: httpd
        image: ${image}
        ports:
        - containerPort: 80
`;

export const kubectlScenarios = [
  scenario(
    { codename: '[sig-cli] Kubectl client Kubectl api-versions should check if v1 is in available api versions  [Conformance]', testname: 'Kubectl, check version v1', release: 'v1.9', file: FILE },
    async (ctx) => {
      const out = await ctx.kubectl.ok(['-n', ctx.namespace, 'api-versions']);
      assert.ok(out.split('\n').includes('v1'), `No v1 in kubectl api-versions: ${out.trim().replace(/\n/g, ' ')}`);
    },
  ),

  scenario(
    { codename: '[sig-cli] Kubectl client Kubectl cluster-info should check if Kubernetes control plane services is included in cluster-info  [Conformance]', testname: 'Kubectl, cluster info', release: 'v1.9', file: FILE },
    async (ctx) => {
      const out = await ctx.kubectl.ok(['-n', ctx.namespace, 'cluster-info']);
      for (const item of ['Kubernetes control plane', 'is running at']) assert.ok(out.includes(item), `Missing ${item} in kubectl cluster-info: ${out.trim()}`);
    },
  ),

  scenario(
    { codename: '[sig-cli] Kubectl client Kubectl version should check is all data is printed  [Conformance]', testname: 'Kubectl, version', release: 'v1.9', file: FILE },
    async (ctx) => {
      const out = await ctx.kubectl.ok(['-n', ctx.namespace, 'version']);
      for (const item of ['Client Version: ', 'Server Version: ']) {
        const old = new RegExp(`${item}version.Info\\{Major:"\\d", Minor:"\\d+\\+?", GitVersion:"v\\d\\.\\d+\\.[\\d\\w\\-\\.\\+]+", GitCommit:"[0-9a-f]+"`);
        const short = new RegExp(`${item}v\\d\\.\\d+\\.[\\d\\w\\-\\.\\+]+`);
        assert.ok(old.test(out) || short.test(out), `Item ${item} value is not valid in ${out.trim()}`);
      }
    },
  ),

  scenario(
    { codename: '[sig-cli] Kubectl client Kubectl diff should check if kubectl diff finds a difference for Deployments [Conformance]', testname: 'Kubectl, diff Deployment', release: 'v1.19', file: FILE },
    async (ctx) => {
      const live = httpdDeployment(IMAGES.httpd);
      await ctx.kubectl.ok(['-n', ctx.namespace, 'create', '-f', '-'], { input: live });
      const declared = httpdDeployment(IMAGES.busybox);
      const r = await ctx.kubectl(['-n', ctx.namespace, 'diff', '-f', '-'], { input: declared });
      // kubectl diff exits 1 when it found differences, above 1 on errors.
      assert.equal(r.code, 1, `kubectl diff exit code (stderr: ${r.stderr.trim()})`);
      for (const image of [IMAGES.httpd, IMAGES.busybox]) assert.ok(r.stdout.includes(image), `Missing ${image} in kubectl diff output:\n${r.stdout}`);
      await ctx.kubectl.ok(['-n', ctx.namespace, 'delete', '-f', '-'], { input: declared });
    },
  ),

  scenario(
    { codename: '[sig-cli] Kubectl client Kubectl run pod should create a pod from an image when restart is Never  [Conformance]', testname: 'Kubectl, run pod', release: 'v1.9', file: FILE },
    async (ctx) => {
      const name = 'e2e-test-httpd-pod';
      await ctx.kubectl.ok(['-n', ctx.namespace, 'run', name, '--restart=Never', POD_RUNNING_TIMEOUT, `--image=${IMAGES.httpd}`]);
      await expectPodImage(ctx, name, IMAGES.httpd);
      const pod = await ctx.api(CoreV1Api).readNamespacedPod({ name, namespace: ctx.namespace });
      assert.equal(pod.spec?.restartPolicy, 'Never', 'Failed creating a pod with correct restart policy for --restart=Never');
      await ctx.kubectl.ok(['-n', ctx.namespace, 'delete', 'pods', name]);
    },
    { timeoutMs: 120_000 },
  ),

  scenario(
    { codename: '[sig-cli] Kubectl client Kubectl server-side dry-run should check if kubectl can dry-run update Pods [Conformance]', testname: 'Kubectl, server-side dry-run Pod', release: 'v1.19', file: FILE },
    async (ctx) => {
      const name = 'e2e-test-httpd-pod';
      await ctx.kubectl.ok(['-n', ctx.namespace, 'run', name, `--image=${IMAGES.httpd}`, POD_RUNNING_TIMEOUT, `--labels=run=${name}`]);
      const specImage = JSON.stringify({ spec: { containers: [{ name, image: IMAGES.busybox }] } });
      await ctx.kubectl.ok(['-n', ctx.namespace, 'patch', 'pod', name, '-p', specImage, '--dry-run=server']);
      await expectPodImage(ctx, name, IMAGES.httpd);
      await ctx.kubectl.ok(['-n', ctx.namespace, 'delete', 'pods', name]);
    },
    { timeoutMs: 120_000 },
  ),

  scenario(
    { codename: '[sig-cli] Kubectl client Proxy server should support proxy with --port 0  [Conformance]', testname: 'Kubectl, proxy port zero', release: 'v1.9', file: FILE },
    async (ctx) => {
      const proxy = ctx.kubectl.spawn(['-n', ctx.namespace, 'proxy', '-p', '0', '--disable-filter']);
      ctx.defer(() => proxy.stop());
      const line = await proxy.waitForLine(/Starting to serve on .*:\d+/);
      const port = Number(/:(\d+)\s*$/.exec(line)?.[1]);
      const res = await httpGetJSON({ port }, '/api/');
      assert.equal(res.status, 200, `GET /api/ through kubectl proxy: ${res.body.slice(0, 200)}`);
      assert.ok((res.json?.versions ?? []).length >= 1, `Expected at least one supported apiversion, got ${res.body.slice(0, 200)}`);
    },
  ),

  scenario(
    { codename: '[sig-cli] Kubectl client Proxy server should support --unix-socket=/path  [Conformance]', testname: 'Kubectl, proxy socket', release: 'v1.9', file: FILE },
    async (ctx) => {
      const dir = await mkdtemp(join(tmpdir(), 'kubectl-proxy-unix'));
      ctx.defer(() => rm(dir, { recursive: true, force: true }));
      const socketPath = join(dir, 'test');
      const proxy = ctx.kubectl.spawn(['-n', ctx.namespace, 'proxy', `--unix-socket=${socketPath}`]);
      ctx.defer(() => proxy.stop());
      await proxy.waitForLine(/Starting to serve on/);
      const res = await httpGetJSON({ socketPath }, '/api');
      assert.equal(res.status, 200, `GET /api through kubectl proxy on ${socketPath}: ${res.body.slice(0, 200)}`);
      assert.ok((res.json?.versions ?? []).length >= 1, `Expected at least one supported apiversion, got ${res.body.slice(0, 200)}`);
    },
  ),
];
