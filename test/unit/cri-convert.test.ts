// runtime-service types to CRI v1 messages and back, through the real gRPC serializers: what the
// kubelet passes reaches containerd field for field (labels, the sandbox id, a root runAsUser), and
// what containerd reports comes back with int64 times as bigint.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import {
  fromCriContainerStatus, fromCriSandboxStatus, toCriContainerConfig, toCriSandboxConfig,
} from '../../src/kubelet/cri/cri-convert.ts';
import { criServices } from '../../src/kubelet/cri/cri-schema.ts';
import type { ContainerConfig, PodSandboxConfig } from '../../src/kubelet/runtime/runtime-service.ts';

type Method = { requestSerialize(v: object): Buffer; requestDeserialize(b: Buffer): any; responseSerialize(v: object): Buffer; responseDeserialize(b: Buffer): any };
const runtimeMethods = criServices().RuntimeService.service as unknown as Record<string, Method>;
const roundTripRequest = (method: string, request: object) => runtimeMethods[method]!.requestDeserialize(runtimeMethods[method]!.requestSerialize(request));
const roundTripResponse = (method: string, response: object) => runtimeMethods[method]!.responseDeserialize(runtimeMethods[method]!.responseSerialize(response));

const sandbox: PodSandboxConfig = {
  metadata: { name: 'web-0', uid: 'u-1', namespace: 'default', attempt: 2 },
  hostname: 'web-0',
  logDirectory: '/var/log/pods/default_web-0_u-1',
  portMappings: [{ protocol: 'UDP', containerPort: 53, hostPort: 5353, hostIp: '' }],
  labels: { 'io.kubernetes.pod.name': 'web-0', app: 'web' },
  annotations: { 'kubernetes.io/config.source': 'api' },
};

const container: ContainerConfig = {
  metadata: { name: 'main', attempt: 1 },
  image: 'docker.io/library/busybox:latest',
  command: ['sh', '-c'], args: ['echo hi'], workingDir: '/tmp',
  envs: [{ key: 'A', value: '1' }],
  mounts: [{ containerPath: '/data', hostPath: '/var/lib/k8ts/data', readonly: true }],
  labels: { 'io.kubernetes.container.name': 'main' }, annotations: {},
  logPath: 'main/1.log', stdin: false, stdinOnce: false, tty: false,
  linux: { resources: { cpuShares: 512, memoryLimitInBytes: 64 * 1024 * 1024 }, securityContext: { runAsUser: 0, capabilities: { addCapabilities: ['NET_ADMIN'], dropCapabilities: [] } } },
};

test('a CreateContainer request keeps the sandbox id, labels, mounts and a root user through the wire', () => {
  const wire = roundTripRequest('CreateContainer', { podSandboxId: 'abc123', config: toCriContainerConfig(container), sandboxConfig: toCriSandboxConfig(sandbox) });
  assert.equal(wire.podSandboxId, 'abc123');
  assert.deepEqual(wire.config.labels, [{ key: 'io.kubernetes.container.name', value: 'main' }]);
  assert.deepEqual(wire.config.image, { image: 'docker.io/library/busybox:latest', annotations: [] });
  assert.deepEqual(wire.config.mounts[0], { containerPath: '/data', hostPath: '/var/lib/k8ts/data', readonly: true, selinuxRelabel: false, propagation: 'PROPAGATION_PRIVATE' });
  assert.deepEqual(wire.config.linux.securityContext.runAsUser, { value: '0' }, 'uid 0 is sent, not dropped as a zero value');
  assert.deepEqual(wire.config.linux.securityContext.capabilities.addCapabilities, ['NET_ADMIN']);
  assert.equal(wire.config.linux.resources.memoryLimitInBytes, String(64 * 1024 * 1024));
  assert.deepEqual(wire.sandboxConfig.portMappings, [{ protocol: 'UDP', containerPort: 53, hostPort: 5353, hostIp: '' }]);
  assert.deepEqual(wire.sandboxConfig.metadata, sandbox.metadata);
});

test('namespaces default as the kubelet sets them: pod network and IPC, a PID namespace per container', () => {
  const wire = roundTripRequest('RunPodSandbox', { config: toCriSandboxConfig(sandbox) });
  assert.deepEqual(wire.config.linux.securityContext.namespaceOptions, { network: 'POD', pid: 'CONTAINER', ipc: 'POD', targetId: '', usernsOptions: null });
  const unset = roundTripRequest('CreateContainer', { config: toCriContainerConfig({ ...container, linux: undefined }) });
  assert.equal(unset.config.linux.securityContext.runAsUser, null, 'no runAsUser: the image decides');
  assert.equal(unset.config.linux.securityContext.namespaceOptions.pid, 'CONTAINER');
});

test('a host-network sandbox is sent without a hostname (runc cannot set one in the node\'s UTS namespace)', () => {
  const wire = roundTripRequest('RunPodSandbox', { config: toCriSandboxConfig({ ...sandbox, linux: { securityContext: { namespaceOptions: { network: 'NODE' } } } }) });
  assert.equal(wire.config.hostname, '');
  assert.equal(wire.config.linux.securityContext.namespaceOptions.network, 'NODE');
});

test('statuses come back with labels as records and int64 times as bigint nanoseconds', () => {
  const s = roundTripResponse('PodSandboxStatus', {
    status: {
      id: 's1', metadata: sandbox.metadata, state: 'SANDBOX_READY', createdAt: '1700000000123456789',
      network: { ip: '10.244.1.5', additionalIps: [{ ip: 'fd00::5' }] },
      linux: { namespaces: { options: { network: 'NODE' } } },
      labels: [{ key: 'app', value: 'web' }], annotations: [],
    },
  });
  assert.deepEqual(fromCriSandboxStatus(s.status), {
    id: 's1', metadata: sandbox.metadata, state: 'SANDBOX_READY', createdAt: 1700000000123456789n,
    labels: { app: 'web' }, annotations: {}, network: { ip: '10.244.1.5', additionalIps: ['fd00::5'] }, networkNamespace: 'NODE',
  });

  const c = roundTripResponse('ContainerStatus', {
    status: {
      id: 'c1', metadata: { name: 'main', attempt: 3 }, state: 'CONTAINER_EXITED', createdAt: '1', startedAt: '2', finishedAt: '18446744073709551',
      exitCode: 137, image: { image: 'busybox' }, imageRef: 'sha256:aa', reason: 'OOMKilled', message: '', labels: [], annotations: [], logPath: '/l/main/3.log',
    },
  });
  const status = fromCriContainerStatus(c.status, 's1');
  assert.equal(status.finishedAt, 18446744073709551n);
  assert.deepEqual([status.state, status.exitCode, status.reason, status.podSandboxId, status.image, status.logFormat], ['CONTAINER_EXITED', 137, 'OOMKilled', 's1', 'busybox', 'cri']);
});

test('grpc-js gives each CRI method its full path', () => {
  assert.equal((runtimeMethods.RunPodSandbox as unknown as grpc.MethodDefinition<object, object>).path, '/runtime.v1.RuntimeService/RunPodSandbox');
  const images = criServices().ImageService.service as unknown as Record<string, grpc.MethodDefinition<object, object>>;
  assert.equal(images.PullImage!.path, '/runtime.v1.ImageService/PullImage');
});
