// The ClusterIP and NodePort allocators share one dynamic allocation: random picks from above the
// static band (count/16, between 16 and 256 addresses or 128 ports), the band only when the rest is full.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ServiceIPAllocator } from '../../src/registry/core/ip-allocator.ts';
import { NodePortAllocator } from '../../src/registry/core/node-port-allocator.ts';

const first = () => 0; // the random source always picks the lowest free value of the part it searches

const cases: { name: string; allocate: () => () => string | number; want: (string | number)[] }[] = [
  { name: 'a /24 service CIDR skips a band of 16 addresses', allocate: () => { const a = new ServiceIPAllocator('10.0.0.0/24', first); return () => a.allocate(); }, want: ['10.0.0.17', '10.0.0.18'] },
  { name: 'a /16 service CIDR skips at most 256 addresses', allocate: () => { const a = new ServiceIPAllocator('10.1.0.0/16', first); return () => a.allocate(); }, want: ['10.1.1.1'] },
  { name: 'the default node port range skips at most 128 ports', allocate: () => { const a = new NodePortAllocator('30000-32767', first); return () => a.allocate(); }, want: [30128, 30129] },
  { name: 'a range of 100 ports skips at least 16', allocate: () => { const a = new NodePortAllocator('30000-30099', first); return () => a.allocate(); }, want: [30016] },
  { name: 'a range smaller than the band uses the band', allocate: () => { const a = new NodePortAllocator('30000-30009', first); return () => a.allocate(); }, want: [30000, 30001] },
  {
    name: 'the band is used once the upper part is full',
    allocate: () => { const a = new NodePortAllocator('30000-30031', first); return () => a.allocate(); },
    want: [...Array.from({ length: 16 }, (_, i) => 30016 + i), 30000, 30001],
  },
];

for (const c of cases) {
  test(c.name, () => {
    const allocate = c.allocate();
    assert.deepEqual(c.want.map(() => allocate()), c.want);
  });
}

test('both allocators report a full range the same way', () => {
  const ports = new NodePortAllocator('30000-30001', first);
  ports.allocate();
  ports.allocate();
  assert.throws(() => ports.allocate(), /range is full/);
  const ips = new ServiceIPAllocator('10.0.0.0/30', first);
  ips.allocate();
  ips.allocate();
  assert.throws(() => ips.allocate(), /range is full/);
});
