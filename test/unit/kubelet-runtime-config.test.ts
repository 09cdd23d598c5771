// What the kubelet hands the runtime: the sandbox config (hostname, log directory, hostPort
// mappings, labels, namespaces), the container config (attempt, log path, expanded command, labels
// and annotations, resources, security context), and the annotations read back after a restart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateContainerConfig } from '../../src/kubelet/container-config.ts';
import { containerInfoFromAnnotations, containerInfoFromLabels, hashContainer } from '../../src/kubelet/runtime-labels.ts';
import { generatePodSandboxConfig } from '../../src/kubelet/sandbox-config.ts';

type Obj = Record<string, any>;

const pod: Obj = {
  metadata: { name: 'web', namespace: 'shop', uid: 'u-1', labels: { app: 'web' }, annotations: { note: 'x' } },
  spec: {
    hostname: 'front', terminationGracePeriodSeconds: 45,
    securityContext: { runAsUser: 1000 },
    containers: [{
      name: 'app', image: 'busybox', command: ['sh', '-c'], args: ['echo $(GREETING)'],
      ports: [{ containerPort: 80, hostPort: 8080, protocol: 'TCP' }, { containerPort: 9090 }],
      securityContext: { runAsGroup: 3000, readOnlyRootFilesystem: true, capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] } },
      lifecycle: { preStop: { exec: { command: ['sh', '-c', 'sleep 2'] } } },
      terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'FallbackToLogsOnError',
      resources: { limits: { cpu: '500m', memory: '128Mi' } },
    }],
  },
};
const dns = { servers: ['10.0.0.53'], searches: [], options: [] };

test('sandbox config: metadata with attempt, hostname, log dir, hostPort mappings only, labels, namespaces', () => {
  const sb = generatePodSandboxConfig(pod, 2, { podLogsRoot: '/var/log/pods', dns });
  assert.deepEqual(sb.metadata, { name: 'web', uid: 'u-1', namespace: 'shop', attempt: 2 });
  assert.equal(sb.hostname, 'front');
  assert.equal(sb.logDirectory, '/var/log/pods/shop_web_u-1');
  assert.deepEqual(sb.portMappings, [{ protocol: 'TCP', containerPort: 80, hostPort: 8080, hostIp: '' }]);
  assert.deepEqual(sb.labels, { app: 'web', 'io.kubernetes.pod.name': 'web', 'io.kubernetes.pod.namespace': 'shop', 'io.kubernetes.pod.uid': 'u-1' });
  assert.deepEqual(sb.annotations, { note: 'x' });
  assert.deepEqual(sb.linux?.securityContext?.namespaceOptions, { network: 'POD', pid: 'CONTAINER', ipc: 'POD' });
  const host = generatePodSandboxConfig({ ...pod, spec: { ...pod.spec, hostNetwork: true } }, 0, { podLogsRoot: '/l', dns });
  assert.equal(host.hostname, '');
  assert.equal(host.linux?.securityContext?.namespaceOptions?.network, 'NODE');
});

test('container config: attempt = restart count, log path, expanded command, labels, annotations, resources, security', () => {
  const c = pod.spec.containers[0];
  const cfg = generateContainerConfig({
    pod, container: c, restartCount: 3, image: 'docker.io/library/busybox:latest', envs: [{ key: 'GREETING', value: 'hello' }], mounts: [], memoryCapacity: 1024 ** 3,
  });
  assert.deepEqual(cfg.metadata, { name: 'app', attempt: 3 });
  assert.equal(cfg.logPath, 'app/3.log');
  assert.deepEqual([cfg.command, cfg.args], [['sh', '-c'], ['echo hello']]);
  assert.deepEqual(cfg.labels, { 'io.kubernetes.pod.name': 'web', 'io.kubernetes.pod.namespace': 'shop', 'io.kubernetes.pod.uid': 'u-1', 'io.kubernetes.container.name': 'app' });
  assert.equal(cfg.annotations['io.kubernetes.container.restartCount'], '3');
  assert.equal(cfg.annotations['io.kubernetes.pod.terminationGracePeriod'], '45');
  assert.deepEqual(cfg.linux?.resources, { cpuShares: 512, cpuPeriod: 100_000, cpuQuota: 50_000, memoryLimitInBytes: 128 * 1024 ** 2, oomScoreAdj: 999 });
  assert.deepEqual(cfg.linux?.securityContext, {
    namespaceOptions: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' }, runAsUser: 1000, runAsGroup: 3000, readonlyRootfs: true,
    capabilities: { addCapabilities: ['NET_ADMIN'], dropCapabilities: ['ALL'] },
  });

  // What a restarted kubelet (or the orphan killer) reads back.
  const a = containerInfoFromAnnotations(cfg.annotations);
  assert.deepEqual(a, {
    hash: hashContainer(c), restartCount: 3, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'FallbackToLogsOnError',
    podDeletionGracePeriod: undefined, podTerminationGracePeriod: 45, preStopHandler: { exec: { command: ['sh', '-c', 'sleep 2'] } },
  });
  assert.deepEqual(containerInfoFromLabels(cfg.labels), { podName: 'web', podNamespace: 'shop', podUID: 'u-1', containerName: 'app' });
});

test('the container hash ignores resources and key order, and follows the image', () => {
  const c = pod.spec.containers[0];
  assert.equal(hashContainer({ ...c, resources: { limits: { cpu: '2' } } }), hashContainer(c));
  assert.equal(hashContainer(Object.fromEntries(Object.entries(c).reverse())), hashContainer(c));
  assert.notEqual(hashContainer({ ...c, image: 'busybox:1.36' }), hashContainer(c));
});
