// The kubelet's acceptance suite (issue 4), run once per container runtime: k8ts started as a user
// starts it (`src/main.ts` with the kubelet), driven by the real kubectl; the runtime itself is asked
// (through the same RuntimeService the kubelet uses) what containers exist, to find leaks.
import { after, before, describe, test as nodeTest } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServerProcess, type ServerProcess } from '../../bench/server-process.ts';
import { buildImages } from '../../src/kubelet/images/index.ts';
import type { RuntimeService } from '../../src/kubelet/runtime/runtime-service.ts';
import { kubectl, kubectlBinaries, kubectlOk, spawnKubectl, type KubectlOptions } from './kubectl.ts';
import { waitFor } from './wait-for.ts';

type Obj = Record<string, any>;

export interface KubeletSuiteRuntime {
  name: 'containerd' | 'docker';
  /** Why the suite cannot run here, or undefined. */
  skipReason(): string | undefined;
  /** Extra k8ts flags (runtime selection) and set-up before k8ts starts (e.g. dockerd with a mirror). */
  prepare(imagesDir: string, dataDir: string): Promise<{ flags: string[]; cleanup(): Promise<void> }>;
  /** The same RuntimeService the kubelet uses, to look at what the runtime holds. */
  inspect(dataDir: string): Promise<{ runtime: RuntimeService; close(): Promise<void> }>;
  /** The pod network of this suite (distinct per runtime so both suites can run at once). */
  clusterCIDR: string;
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

export function kubeletAcceptanceSuite(rt: KubeletSuiteRuntime): void {
  const skip = rt.skipReason();
  describe(`kubelet on ${rt.name} (issue 4 acceptance)`, { skip: skip ? `skipped: ${skip}` : undefined, timeout: 900_000 }, () => {
    let root: string;
    let server: ServerProcess | undefined;
    let cleanup: (() => Promise<void>) | undefined;
    let serverArgs: string[] = [];
    let k: KubectlOptions;
    let node = '';
    // A failure shows the end of the server's log (kubelet and runtime lines), which says why.
    const test = (name: string, body: () => Promise<void>) => nodeTest(name, async () => {
      try {
        await body();
      } catch (err) {
        const tail = (server?.stderr() ?? '').split('\n').filter((l) => /kubelet|containerd|docker/.test(l)).slice(-40).join('\n');
        if (err instanceof Error) err.message += `\n--- server log (kubelet lines) ---\n${tail}`;
        throw err;
      }
    });
    const get = async (kind: string, name: string): Promise<Obj> => JSON.parse(await kubectlOk(['get', kind, name, '-o', 'json'], k));
    const podJson = (name: string) => get('pod', name);
    const waitRunning = (name: string, timeoutMs = 60_000) => waitFor(async () => {
      const p = await podJson(name);
      return p.status?.phase === 'Running' && p.status?.podIP && (p.status.conditions ?? []).some((c: Obj) => c.type === 'Ready' && c.status === 'True') ? p : undefined;
    }, { timeoutMs, intervalMs: 250, message: `pod ${name} Running and Ready` });
    const eventsFor = async (name: string): Promise<Obj[]> =>
      JSON.parse(await kubectlOk(['get', 'events', '--field-selector', `involvedObject.name=${name}`, '-o', 'json'], k)).items;
    const apply = (yaml: string) => kubectlOk(['apply', '-f', '-'], { ...k, input: yaml });
    const podUIDsInRuntime = async (): Promise<Map<string, { sandboxes: number; containers: number }>> => {
      const { runtime, close } = await rt.inspect(join(root, 'data'));
      try {
        const out = new Map<string, { sandboxes: number; containers: number }>();
        const at = (uid: string) => out.get(uid) ?? (out.set(uid, { sandboxes: 0, containers: 0 }), out.get(uid)!);
        for (const s of await runtime.listPodSandbox()) at(s.metadata.uid).sandboxes++;
        for (const c of await runtime.listContainers()) at(c.labels['io.kubernetes.pod.uid'] ?? '?').containers++;
        return out;
      } finally {
        await close();
      }
    };

    before(async () => {
      root = await mkdtemp(join(tmpdir(), `k8ts-kubelet-${rt.name}-`));
      const imagesDir = join(root, 'images');
      await buildImages(imagesDir);
      const prepared = await rt.prepare(imagesDir, join(root, 'data'));
      cleanup = prepared.cleanup;
      serverArgs = [
        '--components=apiserver,controller-manager,scheduler,kubelet', '--leader-elect=false',
        '--kubelet-port', '0', '--images-dir', imagesDir, '--cluster-cidr', rt.clusterCIDR,
        '--hostname-override', `k8ts-${rt.name}-node`, ...prepared.flags,
      ];
      server = await startServerProcess(root, serverArgs);
      k = { kubeconfig: join(root, 'admin.kubeconfig'), timeoutMs: 90_000 };
      node = await waitFor(async () => {
        const nodes = JSON.parse(await kubectlOk(['get', 'nodes', '-o', 'json'], k)).items as Obj[];
        const ready = nodes.find((n) => n.spec?.podCIDR && n.status?.conditions?.some((c: Obj) => c.type === 'Ready' && c.status === 'True'));
        return ready?.metadata.name as string | undefined;
      }, { timeoutMs: 60_000, intervalMs: 250, message: 'a Ready node with a pod CIDR' });
      // Pods are admitted once the default ServiceAccount exists.
      await waitFor(async () => (await kubectl(['get', 'serviceaccount', 'default'], k)).code === 0, { timeoutMs: 30_000 });
    });

    after(async () => {
      if (server) {
        // Pods first, so the runtime is left clean for the next suite on this machine.
        await kubectl(['delete', 'pods,deployments,services,pvc', '--all', '--wait=true', '--timeout=60s'], k).catch(() => {});
        await server.stop();
      }
      await cleanup?.();
      if (root) await rm(root, { recursive: true, force: true }).catch(() => {});
    });

    test('kubectl run busybox: Running with a pod IP; logs, exec, exec -i, cp both ways, port-forward and top', async () => {
      await kubectlOk(['run', 'b', '--image=busybox', '--', 'sh', '-c', 'echo hi; sleep 3600'], k);
      const pod = await waitRunning('b');
      assert.equal(pod.spec.nodeName, node);
      assert.match(pod.status.podIP, /^\d+\.\d+\.\d+\.\d+$/);
      assert.equal((await kubectlOk(['logs', 'b'], k)).trim(), 'hi');
      assert.equal((await kubectlOk(['exec', 'b', '--', 'cat', '/etc/hostname'], k)).trim(), 'b');
      // Every kubectl found: SPDY (≤ 1.29, Debian's 1.20) and WebSocket (≥ 1.30) through the API server to the kubelet.
      for (const { label, bin } of kubectlBinaries()) {
        assert.equal((await kubectlOk(['exec', '-i', 'b', '--', 'sh', '-c', 'cat; hostname'], { ...k, bin, input: `${label}\n` })), `${label}\nb\n`, label);
      }
      assert.equal((await kubectlOk(['exec', '-i', 'b', '--', 'sh'], { ...k, input: 'echo from stdin; exit 0\n' })).trim(), 'from stdin');
      const failed = await kubectl(['exec', 'b', '--', 'sh', '-c', 'exit 3'], k);
      assert.equal(failed.code, 3);
      assert.match(failed.stderr, /command terminated with exit code 3/);

      const local = join(root, 'up.txt');
      await writeFile(local, 'copied up\n');
      await kubectlOk(['cp', local, 'b:/tmp/up.txt'], k);
      assert.equal((await kubectlOk(['exec', 'b', '--', 'cat', '/tmp/up.txt'], k)), 'copied up\n');
      await kubectlOk(['exec', 'b', '--', 'sh', '-c', 'echo copied down > /tmp/down.txt'], k);
      await kubectlOk(['cp', 'b:/tmp/down.txt', join(root, 'down.txt')], k);
      assert.equal(await readFile(join(root, 'down.txt'), 'utf8'), 'copied down\n');

      await kubectlOk(['run', 'web', '--image=nginx'], k);
      await waitRunning('web');
      const port = await freePort();
      const pf = spawnKubectl(['port-forward', 'pod/web', `${port}:80`], k);
      try {
        await pf.waitForLine(/Forwarding from 127\.0\.0\.1/, 30_000);
        const page = await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/`)).text(), { timeoutMs: 10_000 });
        assert.match(page, /hostname: web/);
      } finally {
        await pf.stop();
      }

      // metrics.k8s.io needs two samples of the pod's CPU counter before it has a rate.
      const top = await waitFor(async () => {
        const r = await kubectl(['top', 'pod', 'b', '--no-headers'], k);
        return r.code === 0 && /^b\s+\d+m\s+\d+Mi/.test(r.stdout) ? r.stdout : undefined;
      }, { timeoutMs: 60_000, intervalMs: 1000, message: 'kubectl top pod b' });
      assert.match(top, /^b\s+\d+m\s+\d+Mi/);
      const topNode = await kubectlOk(['top', 'node', '--no-headers'], k);
      assert.match(topNode, new RegExp(`^${node}\\s+\\d+m\\s+\\d+%\\s+\\d+Mi\\s+\\d+%`));
    });

    test('an image no registry has: ErrImagePull, then ImagePullBackOff, with the runtime\'s message', async () => {
      await kubectlOk(['run', 'missing', '--image=docker.io/library/nosuch:1.0'], k);
      const seen = new Set<string>();
      await waitFor(async () => {
        const reason = (await podJson('missing')).status?.containerStatuses?.[0]?.state?.waiting?.reason as string | undefined;
        if (reason) seen.add(reason);
        return seen.has('ErrImagePull') && seen.has('ImagePullBackOff');
      }, { timeoutMs: 60_000, intervalMs: 200, message: 'ErrImagePull then ImagePullBackOff' });
      const events = await eventsFor('missing');
      assert.ok(events.some((e) => e.reason === 'Failed' && /^Failed to pull image "docker\.io\/library\/nosuch:1\.0": /.test(e.message)), JSON.stringify(events.map((e) => e.message)));
      assert.ok(events.some((e) => e.reason === 'BackOff' && e.message === 'Back-off pulling image "docker.io/library/nosuch:1.0"'), JSON.stringify(events.map((e) => e.message)));
      await kubectlOk(['delete', 'pod', 'missing', '--wait=true'], k);
    });

    test('init containers run in order before the app; postStart runs; runAsUser, env and limits reach the container', async () => {
      await apply(`
apiVersion: v1
kind: Pod
metadata: { name: shaped, labels: { tier: demo } }
spec:
  volumes: [{ name: work, emptyDir: {} }]
  initContainers:
  - { name: first, image: busybox, command: [sh, -c, 'echo first >> /scratch/order; chmod 666 /scratch/order'], volumeMounts: [{ name: work, mountPath: /scratch }] }
  - { name: second, image: busybox, command: [sh, -c, 'echo second >> /scratch/order'], volumeMounts: [{ name: work, mountPath: /scratch }] }
  containers:
  - name: app
    image: busybox
    command: [sh, -c, 'echo app >> /scratch/order; sleep 3600']
    env:
    - { name: POD_NAME, valueFrom: { fieldRef: { fieldPath: metadata.name } } }
    - { name: GREETING, value: 'hello $(POD_NAME)' }
    securityContext: { runAsUser: 1234, runAsGroup: 2345 }
    resources: { limits: { memory: 64Mi, cpu: 500m } }
    lifecycle: { postStart: { exec: { command: [sh, -c, 'echo poststart > /scratch/hook'] } } }
    volumeMounts: [{ name: work, mountPath: /scratch }]
`);
      const pod = await waitRunning('shaped');
      assert.deepEqual(pod.status.initContainerStatuses.map((c: Obj) => [c.name, c.state.terminated?.reason, c.state.terminated?.exitCode]), [['first', 'Completed', 0], ['second', 'Completed', 0]]);
      // The init containers have no limits, so the pod is Burstable although the app's limits would make it Guaranteed.
      assert.equal(pod.status.qosClass, 'Burstable');
      const exec = (cmd: string) => kubectlOk(['exec', 'shaped', '-c', 'app', '--', 'sh', '-c', cmd], k);
      assert.equal(await waitFor(async () => { const o = await exec('cat /scratch/order'); return o.includes('app') && o; }, { timeoutMs: 10_000 }), 'first\nsecond\napp\n');
      assert.equal(await waitFor(async () => exec('cat /scratch/hook'), { timeoutMs: 10_000 }), 'poststart\n');
      assert.equal(await exec('echo "$(id -u) $(id -g) $GREETING"'), '1234 2345 hello shaped\n');
      assert.equal((await exec('cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max')).trim(), String(64 * 1024 * 1024));
      const cpu = (await exec('cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/cpu/cpu.cfs_period_us 2>/dev/null || cat /sys/fs/cgroup/cpu.max')).trim().split(/\s+/).map(Number);
      assert.equal(cpu[0]! / cpu[1]!, 0.5, `cpu quota/period ${cpu.join(' ')}`);
      await kubectlOk(['delete', 'pod', 'shaped', '--wait=false'], k);
    });

    test('a sidecar (restartable init container) runs beside the app; a startup probe holds readiness; a tcpSocket readiness probe', async () => {
      await apply(`
apiVersion: v1
kind: Pod
metadata: { name: sidecar }
spec:
  initContainers:
  - { name: helper, image: busybox, restartPolicy: Always, command: [sh, -c, 'echo helper up; sleep 3600'] }
  containers:
  - name: web
    image: nginx
    startupProbe: { exec: { command: [sh, -c, 'test -e /tmp/started'] }, periodSeconds: 1, failureThreshold: 60 }
    readinessProbe: { tcpSocket: { port: 80 }, periodSeconds: 1 }
`);
      const started = await waitFor(async () => {
        const p = await podJson('sidecar');
        return p.status?.containerStatuses?.[0]?.state?.running && p;
      }, { timeoutMs: 60_000, intervalMs: 250, message: 'web running' });
      const sidecar = started.status.initContainerStatuses[0];
      assert.equal(sidecar.name, 'helper');
      assert.ok(sidecar.state.running, JSON.stringify(sidecar.state));
      assert.equal(sidecar.started, true);
      // Not started (startup probe failing) → neither started nor ready, however long it runs.
      await new Promise((r) => setTimeout(r, 2000));
      const held = (await podJson('sidecar')).status.containerStatuses[0];
      assert.deepEqual([held.started, held.ready], [false, false]);
      await kubectlOk(['exec', 'sidecar', '-c', 'web', '--', 'touch', '/tmp/started'], k);
      await waitRunning('sidecar');
      assert.equal(await kubectlOk(['logs', 'sidecar', '-c', 'helper'], k), 'helper up\n');
      await kubectlOk(['delete', 'pod', 'sidecar', '--wait=false'], k);
    });

    test('a container that exits 1 goes to CrashLoopBackOff with growing restarts and a back-off of 10 s, then 20 s', async () => {
      await kubectlOk(['run', 'crash', '--image=busybox', '--', 'sh', '-c', 'echo crashing; exit 1'], k);
      const seenBackOff = await waitFor(async () => {
        const p = await podJson('crash');
        const cs = p.status?.containerStatuses?.[0];
        return cs?.restartCount >= 2 && cs.state?.waiting?.reason === 'CrashLoopBackOff' ? cs : undefined;
      }, { timeoutMs: 90_000, intervalMs: 250, message: 'crash restarted twice and waiting in CrashLoopBackOff' });
      assert.equal(seenBackOff.lastState.terminated.exitCode, 1);
      assert.equal(seenBackOff.lastState.terminated.reason, 'Error');
      assert.match(seenBackOff.state.waiting.message, /^back-off (10|20)s restarting failed container=crash pod=crash_default\(/);
      assert.equal(await kubectlOk(['logs', 'crash', '--previous'], k), 'crashing\n');
      assert.match(await kubectlOk(['logs', 'crash', '--previous', '--timestamps'], k), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z crashing\n$/);
      const backOff = (await eventsFor('crash')).find((e) => e.reason === 'BackOff');
      assert.match(backOff?.message ?? '', /^Back-off restarting failed container crash in pod crash_default\(/);
    });

    test('a failing liveness probe restarts the container; a failing readiness probe keeps the pod out of Endpoints', async () => {
      await apply(`
apiVersion: v1
kind: Pod
metadata: { name: live, labels: { app: probes } }
spec:
  terminationGracePeriodSeconds: 2
  containers:
  - name: c
    image: busybox
    command: [sh, -c, 'touch /tmp/healthy; sleep 4; rm /tmp/healthy; sleep 3600']
    livenessProbe: { exec: { command: [cat, /tmp/healthy] }, periodSeconds: 1, failureThreshold: 1 }
---
apiVersion: v1
kind: Pod
metadata: { name: notready, labels: { app: probes } }
spec:
  containers:
  - name: web
    image: nginx
    readinessProbe: { httpGet: { path: /, port: 81 }, periodSeconds: 1 }
---
apiVersion: v1
kind: Pod
metadata: { name: ready, labels: { app: probes } }
spec:
  containers:
  - name: web
    image: nginx
    readinessProbe: { httpGet: { path: /, port: 80 }, periodSeconds: 1 }
---
apiVersion: v1
kind: Service
metadata: { name: probes }
spec: { selector: { app: probes }, ports: [{ port: 80 }] }
`);
      await waitFor(async () => (await podJson('live')).status?.containerStatuses?.[0]?.restartCount >= 1, { timeoutMs: 60_000, intervalMs: 500, message: 'live restarted by its liveness probe' });
      const events = await eventsFor('live');
      assert.ok(events.some((e) => e.reason === 'Unhealthy' && /^Liveness probe failed: cat: can't open '\/tmp\/healthy'/.test(e.message)), JSON.stringify(events.map((e) => e.message)));
      assert.ok(events.some((e) => e.reason === 'Killing' && /Container c failed liveness probe, will be restarted/.test(e.message)));

      const readyPod = await waitRunning('ready');
      const notReady = await podJson('notready');
      const eps = await waitFor(async () => {
        const e = await get('endpoints', 'probes');
        const s = e.subsets?.[0];
        return s?.addresses?.length === 1 && s?.notReadyAddresses?.some((a: Obj) => a.ip === notReady.status.podIP) ? s : undefined;
      }, { timeoutMs: 30_000, intervalMs: 500, message: 'Endpoints with ready and notready' });
      assert.deepEqual(eps.addresses.map((a: Obj) => a.ip), [readyPod.status.podIP]);
      assert.equal((await podJson('notready')).status.containerStatuses[0].ready, false);
    });

    test('a Deployment of 3 HTTP pods: each answers the others by pod IP; a deleted pod is replaced', async () => {
      await kubectlOk(['create', 'deployment', 'web3', '--image=nginx', '--replicas=3'], k);
      await waitFor(async () => (await get('deployment', 'web3')).status?.readyReplicas === 3, { timeoutMs: 90_000, intervalMs: 500, message: '3 ready replicas' });
      const pods = (JSON.parse(await kubectlOk(['get', 'pods', '-l', 'app=web3', '-o', 'json'], k)).items as Obj[]);
      assert.equal(pods.length, 3);
      for (const from of pods) {
        for (const to of pods) {
          if (from === to) continue;
          const page = await kubectlOk(['exec', from.metadata.name, '--', 'wget', '-qO-', `http://${to.status.podIP}/`], k);
          assert.match(page, new RegExp(`hostname: ${to.metadata.name}`));
        }
      }
      const victim = pods[0]!.metadata.name as string;
      await kubectlOk(['delete', 'pod', victim, '--wait=true'], k);
      const after = await waitFor(async () => {
        const items = (JSON.parse(await kubectlOk(['get', 'pods', '-l', 'app=web3', '-o', 'json'], k)).items as Obj[]);
        const ready = items.filter((p) => !p.metadata.deletionTimestamp && p.status?.conditions?.some((c: Obj) => c.type === 'Ready' && c.status === 'True'));
        return ready.length === 3 && !ready.some((p) => p.metadata.name === victim) ? ready : undefined;
      }, { timeoutMs: 60_000, intervalMs: 500, message: 'a replacement pod Ready' });
      assert.equal(after.length, 3);
      await kubectlOk(['delete', 'deployment', 'web3', '--wait=true'], k);
    });

    test('100 pods created and deleted: the runtime holds exactly the containers of live pods', async () => {
      const batch = 10;
      for (let round = 0; round < 10; round++) {
        const names = Array.from({ length: batch }, (_, i) => `cycle-${round}-${i}`);
        await apply(names.map((n) => `apiVersion: v1\nkind: Pod\nmetadata: { name: ${n}, labels: { cycle: "yes" } }\nspec: { terminationGracePeriodSeconds: 1, containers: [{ name: c, image: busybox, command: [sleep, "3600"] }] }\n`).join('---\n'));
        await waitFor(async () => {
          const items = JSON.parse(await kubectlOk(['get', 'pods', '-l', 'cycle=yes', '-o', 'json'], k)).items as Obj[];
          return items.length === batch && items.every((p) => p.status?.phase === 'Running');
        }, { timeoutMs: 120_000, intervalMs: 250, message: `round ${round}: ${batch} pods Running` });
        await kubectlOk(['delete', 'pods', '-l', 'cycle=yes', '--wait=true', '--timeout=120s'], k);
      }
      const live = new Set((JSON.parse(await kubectlOk(['get', 'pods', '-A', '-o', 'json'], k)).items as Obj[]).map((p) => p.metadata.uid as string));
      const inRuntime = await podUIDsInRuntime();
      const leaked = [...inRuntime.keys()].filter((uid) => !live.has(uid));
      assert.deepEqual(leaked, [], `sandboxes/containers of deleted pods left in ${rt.name}: ${JSON.stringify([...inRuntime])}`);
    });

    test('kubectl delete pod: preStop runs, SIGTERM is delivered, the grace period is given, and the pod goes only with its containers', async () => {
      const hostDir = join(root, 'grace');
      await apply(`
apiVersion: v1
kind: Pod
metadata: { name: graceful }
spec:
  terminationGracePeriodSeconds: 30
  volumes: [{ name: host, hostPath: { path: ${hostDir}, type: DirectoryOrCreate } }]
  containers:
  - name: c
    image: busybox
    volumeMounts: [{ name: host, mountPath: /host }]
    command: [sh, -c, 'trap "echo TERM >> /host/log; sleep 2; echo done >> /host/log; exit 0" TERM; echo started >> /host/log; while true; do sleep 1; done']
    lifecycle: { preStop: { exec: { command: [sh, -c, 'echo prestop >> /host/log'] } } }
---
apiVersion: v1
kind: Pod
metadata: { name: stubborn }
spec:
  terminationGracePeriodSeconds: 4
  containers:
  - name: c
    image: busybox
    command: [sh, -c, 'trap "" TERM; while true; do sleep 1; done']
`);
      const graceful = await waitRunning('graceful');
      const stubborn = await waitRunning('stubborn');
      await waitFor(async () => (await readFile(join(hostDir, 'log'), 'utf8').catch(() => '')).includes('started'), { timeoutMs: 10_000 });

      const t0 = Date.now();
      await kubectlOk(['delete', 'pod', 'graceful', 'stubborn', '--wait=false'], k);
      const goneAt = new Map<string, number>();
      await waitFor(async () => {
        for (const name of ['graceful', 'stubborn']) {
          if (goneAt.has(name)) continue;
          const r = await kubectl(['get', 'pod', name, '-o', 'name'], k);
          if (r.code !== 0 && /NotFound/.test(r.stderr)) {
            goneAt.set(name, Date.now() - t0);
            // The object is gone only once the runtime no longer runs its containers.
            const uid = name === 'graceful' ? graceful.metadata.uid : stubborn.metadata.uid;
            const held = (await podUIDsInRuntime()).get(uid);
            assert.equal(held?.containers ?? 0, 0, `${name} deleted while the runtime still has its containers`);
          }
        }
        return goneAt.size === 2;
      }, { timeoutMs: 60_000, intervalMs: 200, message: 'both pods gone' });
      assert.deepEqual((await readFile(join(hostDir, 'log'), 'utf8')).trim().split('\n'), ['started', 'prestop', 'TERM', 'done']);
      assert.ok(goneAt.get('graceful')! >= 2000, `graceful went after ${goneAt.get('graceful')} ms, before its TERM handler finished`);
      assert.ok(goneAt.get('stubborn')! >= 4000, `stubborn went after ${goneAt.get('stubborn')} ms, before its 4 s grace period`);
    });

    test('a ConfigMap volume follows the ConfigMap; a PVC-backed file survives pod deletion and re-creation', async () => {
      await apply(`
apiVersion: v1
kind: ConfigMap
metadata: { name: settings }
data: { greeting: v1 }
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: data }
spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 1Gi } } }
---
apiVersion: v1
kind: Pod
metadata: { name: cfg }
spec:
  volumes:
  - { name: settings, configMap: { name: settings } }
  - { name: data, persistentVolumeClaim: { claimName: data } }
  containers:
  - name: c
    image: busybox
    command: [sh, -c, 'echo kept > /data/file; sleep 3600']
    volumeMounts: [{ name: settings, mountPath: /etc/settings }, { name: data, mountPath: /data }]
`);
      await waitRunning('cfg', 90_000);
      assert.equal(await kubectlOk(['exec', 'cfg', '--', 'cat', '/etc/settings/greeting'], k), 'v1');
      await kubectlOk(['patch', 'configmap', 'settings', '--type=merge', '-p', '{"data":{"greeting":"v2"}}'], k);
      await waitFor(async () => (await kubectlOk(['exec', 'cfg', '--', 'cat', '/etc/settings/greeting'], k)) === 'v2', { timeoutMs: 150_000, intervalMs: 1000, message: 'greeting v2 inside the container (the kubelet resyncs pods every minute, as upstream)' });
      assert.equal((await get('pvc', 'data')).status.phase, 'Bound');

      await kubectlOk(['delete', 'pod', 'cfg', '--wait=true'], k);
      await apply(`
apiVersion: v1
kind: Pod
metadata: { name: cfg2 }
spec:
  volumes: [{ name: data, persistentVolumeClaim: { claimName: data } }]
  containers:
  - { name: c, image: busybox, command: [sleep, "3600"], volumeMounts: [{ name: data, mountPath: /data }] }
`);
      await waitRunning('cfg2');
      assert.equal(await kubectlOk(['exec', 'cfg2', '--', 'cat', '/data/file'], k), 'kept\n');
    });

    test('a restarted k8ts re-adopts running containers instead of restarting them', async () => {
      await kubectlOk(['run', 'survivor', '--image=busybox', '--', 'sh', '-c', 'echo started once; sleep 3600'], k);
      const before = (await waitRunning('survivor')).status.containerStatuses[0];
      await server!.stop();
      server = await startServerProcess(root, serverArgs);
      await waitFor(async () => (await get('node', node)).status?.conditions?.some((c: Obj) => c.type === 'Ready' && c.status === 'True'), { timeoutMs: 60_000, intervalMs: 250 });
      // Give the kubelet a few syncs: a restart or a new sandbox would show in the status.
      await waitFor(async () => {
        const pod = await podJson('survivor');
        return pod.status?.containerStatuses?.[0]?.ready === true && pod;
      }, { timeoutMs: 30_000, intervalMs: 500 });
      await new Promise((r) => setTimeout(r, 3000));
      const after = (await podJson('survivor')).status.containerStatuses[0];
      assert.equal(after.containerID, before.containerID);
      assert.equal(after.restartCount, 0);
      assert.equal(after.state.running.startedAt, before.state.running.startedAt);
      assert.equal(await kubectlOk(['logs', 'survivor'], k), 'started once\n');
      assert.equal((await kubectlOk(['exec', 'survivor', '--', 'hostname'], k)).trim(), 'survivor');
    });
  });
}
