import { beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorMessage, isStatusError, type StatusError } from '../../src/apimachinery/errors.ts';
import type { KObject } from '../../src/apimachinery/types.ts';
import { configureServiceCIDR, ServiceIPAllocator, serviceIPAllocator } from '../../src/registry/core/ip-allocator.ts';
import { configureNodePortRange, nodePortAllocator } from '../../src/registry/core/node-port-allocator.ts';
import { markServiceAllocations, releaseServiceAllocations } from '../../src/registry/core/service-allocation.ts';
import { serviceResource } from '../../src/registry/core/service.ts';
import type { RequestContext } from '../../src/registry/types.ts';

const ctx: RequestContext = { namespace: 'default', dryRun: false, now: () => new Date('2024-01-01T00:00:00Z') };
const strategy = serviceResource.strategy;

function svc(name: string, spec: Record<string, unknown>): KObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default', creationTimestamp: '2024-01-01T00:00:00Z' }, spec };
}

function create(s: KObject, c: RequestContext = ctx): KObject {
  strategy.defaults!(s);
  strategy.prepareForCreate!(s, c);
  return s;
}

function update(next: KObject, old: KObject): KObject {
  strategy.defaults!(next);
  strategy.prepareForUpdate!(next, old, ctx);
  return next;
}

function thrown(fn: () => void): StatusError {
  try { fn(); } catch (e) { if (isStatusError(e)) return e; throw e; }
  assert.fail('expected a StatusError');
}

beforeEach(() => {
  configureServiceCIDR('10.96.0.0/12');
  configureNodePortRange('30000-32767');
});

test('service defaults', () => {
  const s = create(svc('web', { selector: { app: 'web' }, ports: [{ port: 80 }] }));
  const spec = s.spec as any;
  assert.equal(spec.type, 'ClusterIP');
  assert.equal(spec.sessionAffinity, 'None');
  assert.deepEqual(spec.ports, [{ port: 80, protocol: 'TCP', targetPort: 80 }]);
  assert.deepEqual(spec.ipFamilies, ['IPv4']);
  assert.equal(spec.ipFamilyPolicy, 'SingleStack');
  assert.equal(spec.internalTrafficPolicy, 'Cluster');
  assert.deepEqual(spec.clusterIPs, [spec.clusterIP]);
  assert.ok(serviceIPAllocator.contains(spec.clusterIP));
  assert.deepEqual(s.status, { loadBalancer: {} });
});

test('the kubernetes service gets the first address of the range', () => {
  const s = create(svc('kubernetes', { ports: [{ name: 'https', port: 443, targetPort: 6443 }] }));
  assert.equal((s.spec as any).clusterIP, '10.96.0.1');
});

test('a requested cluster IP is allocated once; out-of-range and taken addresses are 422', () => {
  create(svc('dns', { ports: [{ port: 53, protocol: 'UDP' }], clusterIP: '10.96.0.10' }));
  const taken = thrown(() => create(svc('dns2', { ports: [{ port: 53 }], clusterIP: '10.96.0.10' })));
  assert.equal(taken.code, 422);
  assert.equal(taken.message, 'Service "dns2" is invalid: spec.clusterIPs: Invalid value: ["10.96.0.10"]: failed to allocate IP 10.96.0.10: provided IP is already allocated');
  const outside = thrown(() => create(svc('x', { ports: [{ port: 53 }], clusterIP: '192.168.0.1' })));
  assert.match(outside.message, /the provided IP \(192\.168\.0\.1\) is not in the valid range\. The range of valid IPs is 10\.96\.0\.0\/12$/);
  serviceIPAllocator.release('10.96.0.10');
  create(svc('dns3', { ports: [{ port: 53 }], clusterIP: '10.96.0.10' }));
});

test('dry-run create does not keep the allocation', () => {
  create(svc('a', { ports: [{ port: 80 }], clusterIP: '10.96.0.20' }), { ...ctx, dryRun: true });
  assert.equal(serviceIPAllocator.isAllocated('10.96.0.20'), false);
});

test('the allocator never hands out an address twice', () => {
  const alloc = new ServiceIPAllocator('10.0.0.0/28', () => 0.5);
  const seen = new Set<string>();
  for (let i = 0; i < 14; i++) {
    const ip = alloc.allocate();
    assert.ok(!seen.has(ip), ip);
    seen.add(ip);
  }
  assert.throws(() => alloc.allocate(), /range is full/);
  alloc.release('10.0.0.5');
  assert.equal(alloc.allocate(), '10.0.0.5');
});

test('headless and ExternalName services get no address', () => {
  const headless = create(svc('db', { clusterIP: 'None', selector: { app: 'db' } }));
  assert.deepEqual((headless.spec as any).clusterIPs, ['None']);
  assert.deepEqual(strategy.validate!(headless, ctx), []);
  const ext = create(svc('ext', { type: 'ExternalName', externalName: 'example.com' }));
  assert.equal((ext.spec as any).clusterIP, undefined);
  assert.equal((ext.spec as any).ipFamilies, undefined);
  assert.deepEqual(strategy.validate!(ext, ctx), []);
});

test('NodePort services get node ports; a taken node port is 422', () => {
  const s = create(svc('np', { type: 'NodePort', ports: [{ name: 'a', port: 80, nodePort: 30080 }, { name: 'b', port: 81 }] }));
  const ports = (s.spec as any).ports;
  assert.equal(ports[0].nodePort, 30080);
  assert.ok(nodePortAllocator.contains(ports[1].nodePort) && ports[1].nodePort !== 30080);
  assert.equal((s.spec as any).externalTrafficPolicy, 'Cluster');
  const err = thrown(() => create(svc('np2', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] })));
  assert.equal(err.message, 'Service "np2" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated');
  const range = thrown(() => create(svc('np3', { type: 'NodePort', ports: [{ port: 80, nodePort: 80 }] })));
  assert.equal(range.message, 'Service "np3" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767');
});

test('updates keep allocated values, reject a changed clusterIP and free node ports on type change', () => {
  const old = create(svc('web', { type: 'NodePort', ports: [{ port: 80 }] }));
  const oldIP = (old.spec as any).clusterIP;
  const nodePort = (old.spec as any).ports[0].nodePort;

  // kubectl replace without clusterIP/nodePort keeps them.
  const replaced = update(svc('web', { type: 'NodePort', ports: [{ port: 80 }] }), old);
  assert.equal((replaced.spec as any).clusterIP, oldIP);
  assert.equal((replaced.spec as any).ports[0].nodePort, nodePort);
  assert.deepEqual(strategy.validateUpdate!(replaced, old, ctx), []);

  const moved = structuredClone(old);
  (moved.spec as any).clusterIP = '10.96.5.5';
  (moved.spec as any).clusterIPs = ['10.96.5.5'];
  assert.deepEqual(strategy.validateUpdate!(moved, old, ctx).map(fieldErrorMessage), [
    'spec.clusterIPs[0]: Invalid value: ["10.96.5.5"]: may not change once set',
  ]);

  // apply from NodePort to ClusterIP carries the old nodePort; it is dropped and released.
  const toClusterIP = structuredClone(old);
  (toClusterIP.spec as any).type = 'ClusterIP';
  update(toClusterIP, old);
  assert.equal((toClusterIP.spec as any).ports[0].nodePort, undefined);
  assert.deepEqual(strategy.validate!(toClusterIP, ctx), []);
  assert.equal(nodePortAllocator.isAllocated(nodePort), false);
});

test('mark and release rebuild the allocators from stored services', () => {
  const stored = svc('s', { type: 'NodePort', clusterIP: '10.96.1.1', clusterIPs: ['10.96.1.1'], ports: [{ port: 80, nodePort: 31000 }] });
  markServiceAllocations(stored);
  assert.ok(serviceIPAllocator.isAllocated('10.96.1.1'));
  assert.ok(nodePortAllocator.isAllocated(31000));
  releaseServiceAllocations(stored);
  assert.equal(serviceIPAllocator.isAllocated('10.96.1.1'), false);
  assert.equal(nodePortAllocator.isAllocated(31000), false);
});

test('service validation messages', () => {
  const cases: [Record<string, unknown>, string[]][] = [
    [{ ports: [] }, ['spec.ports: Required value']],
    [{ ports: [{ port: 0 }] }, [
      'spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
      'spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive',
    ]],
    [{ ports: [{ port: 80 }, { port: 81 }] }, ['spec.ports[0].name: Required value', 'spec.ports[1].name: Required value']],
    [{ ports: [{ port: 80 }], type: 'Magic' }, ['spec.type: Unsupported value: "Magic": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"']],
    [{ ports: [{ port: 80, nodePort: 30001 }] }, ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"]],
    [{ type: 'ExternalName' }, ['spec.externalName: Required value']],
  ];
  for (const [spec, want] of cases) {
    const s = svc('web', spec);
    strategy.defaults!(s);
    assert.deepEqual(strategy.validate!(s, ctx).map(fieldErrorMessage), want, JSON.stringify(spec));
  }
  const badName = svc('1web', { ports: [{ port: 80 }] });
  strategy.defaults!(badName);
  assert.match(strategy.validate!(badName, ctx).map(fieldErrorMessage)[0]!, /^metadata\.name: Invalid value: "1web": a DNS-1035 label must consist of/);
});

test('service table cells', () => {
  const now = new Date('2024-01-01T00:00:30Z');
  const cases: [Record<string, unknown>, Record<string, unknown> | undefined, unknown[]][] = [
    [{ type: 'ClusterIP', clusterIPs: ['10.96.0.10'], ports: [{ port: 80, protocol: 'TCP' }], selector: { app: 'web', tier: 'fe' } }, undefined,
      ['web', 'ClusterIP', '10.96.0.10', '<none>', '80/TCP', '30s', 'app=web,tier=fe']],
    [{ type: 'NodePort', clusterIPs: ['10.96.0.11'], ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }, { port: 53, nodePort: 30053, protocol: 'UDP' }] }, undefined,
      ['web', 'NodePort', '10.96.0.11', '<none>', '80:30080/TCP,53:30053/UDP', '30s', '<none>']],
    [{ type: 'LoadBalancer', clusterIPs: ['10.96.0.12'], ports: [{ port: 443, nodePort: 31443, protocol: 'TCP' }] }, { loadBalancer: {} },
      ['web', 'LoadBalancer', '10.96.0.12', '<pending>', '443:31443/TCP', '30s', '<none>']],
    [{ type: 'LoadBalancer', clusterIPs: ['10.96.0.12'], ports: [{ port: 443, nodePort: 31443, protocol: 'TCP' }] }, { loadBalancer: { ingress: [{ ip: '172.18.0.5' }] } },
      ['web', 'LoadBalancer', '10.96.0.12', '172.18.0.5', '443:31443/TCP', '30s', '<none>']],
    [{ type: 'ExternalName', externalName: 'example.com' }, undefined,
      ['web', 'ExternalName', '<none>', 'example.com', '<none>', '30s', '<none>']],
    [{ type: 'ClusterIP', clusterIPs: ['None'], selector: { app: 'db' } }, undefined,
      ['web', 'ClusterIP', 'None', '<none>', '<none>', '30s', 'app=db']],
  ];
  for (const [spec, status, want] of cases) {
    const s = svc('web', spec);
    if (status) s.status = status;
    assert.deepEqual(serviceResource.table!.cells(s, now), want);
  }
  assert.deepEqual(serviceResource.table!.columns.map((c) => c.name), ['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age', 'Selector']);
});
