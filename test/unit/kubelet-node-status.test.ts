// The kubelet's Node: registration defaults, capacity and allocatable as quantities print,
// conditions with upstream's reasons, transition times, and what counts as a change to post.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MachineInfo } from '../../src/kubelet/machine-info.ts';
import { initialNode } from '../../src/kubelet/node-registration.ts';
import { formatBinaryQuantity, kubeletNodeStatus, nodeStatusChanged, type NodeStatusInput } from '../../src/kubelet/node-status.ts';

type Obj = Record<string, any>;

const machine: MachineInfo = {
  numCores: 4, memoryCapacity: 16 * 1024 ** 3, machineID: 'm', systemUUID: 's', bootID: 'b', kernelVersion: '6.1.0', osImage: 'Debian GNU/Linux 12 (bookworm)',
  architecture: 'amd64', hostname: 'host',
};
const T = Date.UTC(2025, 0, 1);
const input = (o: Partial<NodeStatusInput> = {}): NodeStatusInput => ({
  machine, memoryAvailable: 8 * 1024 ** 3, fsCapacity: 100 * 1024 ** 3, fsAvailable: 50 * 1024 ** 3, maxPods: 110, nodeIP: '10.0.0.10', kubeletPort: 10250,
  containerRuntimeVersion: 'containerd://1.6.20', now: T, ...o,
});

const quantities: Array<[number, string]> = [[0, '0'], [1024, '1Ki'], [16 * 1024 ** 3, '16Gi'], [24684084 * 1024, '24684084Ki'], [96636764160, '90Gi'], [96636764161, '96636764161'], [1000, '1000']];
for (const [bytes, want] of quantities) test(`formatBinaryQuantity(${bytes}) = ${want}`, () => assert.equal(formatBinaryQuantity(bytes), want));

test('initialNode: upstream labels and annotations, the pod CIDR when given', () => {
  const n = initialNode({ nodeName: 'n1', machine, podCIDR: '10.244.1.0/24' });
  assert.deepEqual(n.metadata.labels, {
    'beta.kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'kubernetes.io/hostname': 'n1', 'kubernetes.io/os': 'linux',
  });
  assert.equal(n.metadata.annotations?.['volumes.kubernetes.io/controller-managed-attach-detach'], 'true');
  assert.deepEqual(n.spec, { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] });
});

test('node status: capacity, allocatable minus hard eviction, addresses, endpoints, nodeInfo, healthy conditions', () => {
  const s = kubeletNodeStatus({ metadata: { name: 'n1' } }, 'n1', input());
  assert.deepEqual(s.capacity, { cpu: '4', 'ephemeral-storage': '100Gi', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: '16Gi', pods: '110' });
  assert.deepEqual(s.allocatable, { cpu: '4', 'ephemeral-storage': '90Gi', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: '16284Mi', pods: '110' });
  assert.deepEqual(s.addresses, [{ type: 'InternalIP', address: '10.0.0.10' }, { type: 'Hostname', address: 'n1' }]);
  assert.deepEqual(s.daemonEndpoints, { kubeletEndpoint: { Port: 10250 } });
  assert.equal(s.nodeInfo.containerRuntimeVersion, 'containerd://1.6.20');
  assert.equal(s.nodeInfo.osImage, 'Debian GNU/Linux 12 (bookworm)');
  assert.deepEqual(s.conditions.map((c: Obj) => [c.type, c.status, c.reason, c.message]), [
    ['MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
    ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
    ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
    ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'],
  ]);
});

test('node status: not ready with the reason; pressure below the eviction thresholds', () => {
  const s = kubeletNodeStatus({}, 'n1', input({ notReadyMessage: 'container runtime status check may not have completed yet', memoryAvailable: 50 * 1024 ** 2, fsAvailable: 5 * 1024 ** 3 }));
  const by = Object.fromEntries(s.conditions.map((c: Obj) => [c.type, c]));
  assert.deepEqual([by.Ready.status, by.Ready.reason, by.Ready.message], ['False', 'KubeletNotReady', 'container runtime status check may not have completed yet']);
  assert.deepEqual([by.MemoryPressure.status, by.MemoryPressure.reason], ['True', 'KubeletHasInsufficientMemory']);
  assert.deepEqual([by.DiskPressure.status, by.DiskPressure.reason], ['True', 'KubeletHasDiskPressure']);
});

test('node status: transition times kept while unchanged; heartbeats alone are no change', () => {
  const first = kubeletNodeStatus({}, 'n1', input());
  const later = kubeletNodeStatus({ status: first }, 'n1', input({ now: T + 10_000 }));
  assert.equal(later.conditions[3].lastTransitionTime, first.conditions[3].lastTransitionTime);
  assert.notEqual(later.conditions[3].lastHeartbeatTime, first.conditions[3].lastHeartbeatTime);
  assert.equal(nodeStatusChanged(first, later), false);
  const notReady = kubeletNodeStatus({ status: first }, 'n1', input({ now: T + 20_000, notReadyMessage: 'x' }));
  assert.equal(nodeStatusChanged(first, notReady), true);
  assert.equal(notReady.conditions[3].lastTransitionTime, '2025-01-01T00:00:20Z');
});
