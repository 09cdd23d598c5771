// Container resources as cgroup settings (kuberuntime's formulas): cpu shares and CFS quota, the
// memory limit, and the OOM score adjustment per QoS class.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containerOOMScoreAdjust, linuxContainerResources, milliCPUToQuota, milliCPUToShares } from '../../src/kubelet/linux-resources.ts';

type Obj = Record<string, any>;

const shares: Array<[number, number]> = [[0, 2], [1, 2], [100, 102], [250, 256], [1000, 1024], [2500, 2560], [1_000_000, 262144]];
for (const [milli, want] of shares) test(`milliCPUToShares(${milli}) = ${want}`, () => assert.equal(milliCPUToShares(milli), want));

const quotas: Array<[number, number]> = [[0, 0], [5, 1000], [100, 10_000], [500, 50_000], [1000, 100_000], [2500, 250_000]];
for (const [milli, want] of quotas) test(`milliCPUToQuota(${milli}) = ${want}`, () => assert.equal(milliCPUToQuota(milli), want));

const GI = 1024 ** 3;
const pod = (resources: Obj, qosClass?: string): Obj => ({ spec: { containers: [{ name: 'c', resources }] }, ...(qosClass ? { status: { qosClass } } : {}) });

const resourceCases: Array<[string, Obj, Obj]> = [
  ['no resources (BestEffort)', {}, { cpuShares: 2, cpuPeriod: 100_000, cpuQuota: 0, oomScoreAdj: 1000 }],
  ['requests only (Burstable)', { requests: { cpu: '250m', memory: '1Gi' } }, { cpuShares: 256, cpuPeriod: 100_000, cpuQuota: 0, oomScoreAdj: 938 }],
  ['limit only: the request defaults to it', { limits: { cpu: '500m', memory: '256Mi' } }, { cpuShares: 512, cpuPeriod: 100_000, cpuQuota: 50_000, memoryLimitInBytes: 256 * 1024 * 1024, oomScoreAdj: 999 }],
  ['requests = limits (Guaranteed)', { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } }, { cpuShares: 1024, cpuPeriod: 100_000, cpuQuota: 100_000, memoryLimitInBytes: GI, oomScoreAdj: -997 }],
];
for (const [name, res, want] of resourceCases) {
  test(`linuxContainerResources: ${name}`, () => {
    const p = pod(res);
    assert.deepEqual(linuxContainerResources(p, p.spec.containers[0], 16 * GI), want);
  });
}

test('Burstable OOM score: 1000 - 1000*request/capacity, kept within 3..999', () => {
  const c = (memory: string) => ({ name: 'c', resources: { requests: { memory } } });
  const p = pod({}, 'Burstable');
  assert.equal(containerOOMScoreAdjust(p, c('8Gi'), 16 * GI), 500);
  assert.equal(containerOOMScoreAdjust(p, c('16Gi'), 16 * GI), 3);
  assert.equal(containerOOMScoreAdjust(p, c('1'), 16 * GI), 999);
  assert.equal(containerOOMScoreAdjust({ spec: { priorityClassName: 'system-node-critical' } }, c('1'), 16 * GI), -997);
});
