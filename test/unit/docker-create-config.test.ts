// CRI sandbox and container configs become Docker create bodies as dockershim built them: the pause
// container on the pod network with the pod's ports and DNS, containers in its namespaces with CRI's
// command/args semantics, mounts, user, security settings and resources.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeContainerCreateBody, makeSandboxCreateBody } from '../../src/kubelet/docker/docker-create-config.ts';
import type { ContainerConfig, PodSandboxConfig } from '../../src/kubelet/runtime/runtime-service.ts';

const opts = { networkName: 'k8ts', scope: 'node-1', minOomScoreAdj: 0 };

const sandbox: PodSandboxConfig = {
  metadata: { name: 'web', namespace: 'default', uid: 'u1', attempt: 0 },
  hostname: 'web',
  logDirectory: '/var/log/pods/default_web_u1',
  dnsConfig: { servers: ['10.96.0.10'], searches: ['default.svc.cluster.local'], options: ['ndots:5'] },
  portMappings: [
    { protocol: 'TCP', containerPort: 80, hostPort: 8080, hostIp: '' },
    { protocol: 'UDP', containerPort: 53, hostPort: 5353, hostIp: '127.0.0.1' },
    { protocol: 'TCP', containerPort: 9090, hostPort: 0, hostIp: '' },
  ],
  labels: { app: 'web' },
  annotations: { note: 'x' },
};

function container(extra: Partial<ContainerConfig> = {}): ContainerConfig {
  return {
    metadata: { name: 'main', attempt: 1 }, image: 'docker.io/library/busybox:latest', command: [], args: [], workingDir: '',
    envs: [{ key: 'A', value: 'b=c' }], mounts: [], labels: {}, annotations: {}, logPath: 'main/1.log', stdin: false, stdinOnce: false, tty: false,
    ...extra,
  };
}

test('the sandbox: pod network, hostname, published host ports, DNS, labels', () => {
  const b = makeSandboxCreateBody(sandbox, 'k8ts.local/pause:3.10', opts);
  assert.equal(b.Image, 'k8ts.local/pause:3.10');
  assert.equal(b.Hostname, 'web');
  assert.equal(b.HostConfig.NetworkMode, 'k8ts');
  assert.equal(b.HostConfig.IpcMode, 'shareable');
  assert.deepEqual(b.ExposedPorts, { '80/tcp': {}, '53/udp': {} });
  assert.deepEqual(b.HostConfig.PortBindings, { '80/tcp': [{ HostIp: '', HostPort: '8080' }], '53/udp': [{ HostIp: '127.0.0.1', HostPort: '5353' }] });
  assert.deepEqual([b.HostConfig.Dns, b.HostConfig.DnsSearch, b.HostConfig.DnsOptions], [['10.96.0.10'], ['default.svc.cluster.local'], ['ndots:5']]);
  assert.deepEqual(b.Labels, {
    'io.kubernetes.pod.name': 'web', 'io.kubernetes.pod.namespace': 'default', 'io.kubernetes.pod.uid': 'u1',
    app: 'web', 'annotation.note': 'x', 'io.kubernetes.docker.type': 'podsandbox', 'io.kubernetes.container.name': 'POD', 'io.k8ts.runtime.scope': 'node-1',
  });
});

test('a host-network sandbox uses the host network and publishes nothing', () => {
  const b = makeSandboxCreateBody({ ...sandbox, linux: { securityContext: { namespaceOptions: { network: 'NODE', ipc: 'NODE', pid: 'NODE' } } } }, 'pause', opts);
  assert.equal(b.HostConfig.NetworkMode, 'host');
  assert.equal(b.HostConfig.IpcMode, 'host');
  assert.equal(b.HostConfig.PidMode, 'host');
  assert.deepEqual(b.HostConfig.PortBindings, {});
});

test("containers join the sandbox's namespaces; the PID namespace only when shared", () => {
  const b = makeContainerCreateBody('sb1', container(), sandbox, opts);
  assert.equal(b.HostConfig.NetworkMode, 'container:sb1');
  assert.equal(b.HostConfig.IpcMode, 'container:sb1');
  assert.equal(b.HostConfig.PidMode, '');
  const shared = makeContainerCreateBody('sb1', container({ linux: { securityContext: { namespaceOptions: { pid: 'POD' } } } }), sandbox, opts);
  assert.equal(shared.HostConfig.PidMode, 'container:sb1');
  assert.equal(b.Labels['io.kubernetes.sandbox.id'], 'sb1');
  assert.equal(b.Labels['io.kubernetes.container.logpath'], '/var/log/pods/default_web_u1/main/1.log');
  assert.equal(b.HostConfig.LogConfig.Type, 'json-file');
  assert.deepEqual(b.Env, ['A=b=c']);
});

test('command replaces the entrypoint (and drops the image Cmd), args alone replace the Cmd', () => {
  const cases: { command: string[]; args: string[]; want: { Entrypoint?: string[]; Cmd?: string[] } }[] = [
    { command: [], args: [], want: {} },
    { command: ['sh', '-c'], args: [], want: { Entrypoint: ['sh', '-c'] } },
    { command: [], args: ['echo', 'hi'], want: { Cmd: ['echo', 'hi'] } },
    { command: ['sh', '-c'], args: ['echo hi'], want: { Entrypoint: ['sh', '-c'], Cmd: ['echo hi'] } },
  ];
  for (const c of cases) {
    const b = makeContainerCreateBody('sb', container({ command: c.command, args: c.args }), sandbox, opts);
    assert.deepEqual({ Entrypoint: b.Entrypoint, Cmd: b.Cmd }, { Entrypoint: c.want.Entrypoint, Cmd: c.want.Cmd }, JSON.stringify(c));
  }
});

test('mounts, user, security context and resources', () => {
  const b = makeContainerCreateBody('sb', container({
    mounts: [{ hostPath: '/data/cm', containerPath: '/etc/config', readonly: true }, { hostPath: '/data/empty', containerPath: '/cache', readonly: false }],
    workingDir: '/app',
    tty: true, stdin: true, stdinOnce: true,
    linux: {
      resources: { cpuPeriod: 100000, cpuQuota: 50000, cpuShares: 512, memoryLimitInBytes: 64 * 1024 * 1024, oomScoreAdj: -997 },
      securityContext: { runAsUser: 1000, runAsGroup: 3000, readonlyRootfs: true, privileged: false, capabilities: { addCapabilities: ['NET_ADMIN'], dropCapabilities: ['ALL'] } },
    },
  }), sandbox, opts);
  assert.deepEqual(b.HostConfig.Binds, ['/data/cm:/etc/config:ro', '/data/empty:/cache']);
  assert.equal(b.User, '1000:3000');
  assert.equal(b.WorkingDir, '/app');
  assert.deepEqual([b.Tty, b.OpenStdin, b.StdinOnce], [true, true, true]);
  const hc = b.HostConfig;
  assert.deepEqual([hc.ReadonlyRootfs, hc.Privileged, hc.CapAdd, hc.CapDrop], [true, false, ['NET_ADMIN'], ['ALL']]);
  assert.deepEqual([hc.CpuPeriod, hc.CpuQuota, hc.CpuShares, hc.Memory, hc.MemorySwap], [100000, 50000, 512, 67108864, 67108864]);
  // Clamped: the host refuses an oom_score_adj below the kubelet's own.
  assert.equal(hc.OomScoreAdj, 0);
  assert.equal(makeContainerCreateBody('sb', container({ linux: { securityContext: { runAsUser: 0 } } }), sandbox, opts).User, '0');
});
