// ClusterIP and NodePort allocation for Services, as the Service REST's allocator wrapper does
// (pkg/registry/core/service/storage/alloc.go): allocate on create, carry over on update, and the
// hooks the server calls to rebuild (markServiceAllocations) and free (releaseServiceAllocations).
import { newInternalError, newInvalid, type FieldError } from '../../apimachinery/errors.ts';
import type { KObject } from '../../apimachinery/types.ts';
import { invalid } from '../../apimachinery/validation.ts';
import { AllocationError, serviceIPAllocator } from './ip-allocator.ts';
import { nodePortAllocator } from './node-port-allocator.ts';
import { isHeadlessService, needsClusterIP, needsNodePorts } from './service-validation.ts';

type Obj = Record<string, any>;

/** What one create/update allocated, so it can be undone when a later step fails. */
class Txn {
  ips: string[] = [];
  ports: number[] = [];
  allocIP(ip?: string): string {
    const got = serviceIPAllocator.allocate(ip);
    this.ips.push(got);
    return got;
  }
  allocPort(port?: number): number {
    const got = nodePortAllocator.allocate(port);
    this.ports.push(got);
    return got;
  }
  revert(): void {
    for (const ip of this.ips) serviceIPAllocator.release(ip);
    for (const p of this.ports) nodePortAllocator.release(p);
  }
}

function fail(svc: KObject, txn: Txn, errs: FieldError[]): never {
  txn.revert();
  throw newInvalid({ group: '', kind: 'Service' }, svc.metadata.name ?? '', errs);
}

function setIPFamilies(spec: Obj): void {
  if (!needsClusterIP(spec)) return;
  spec.ipFamilies ??= ['IPv4'];
  // Headless services without a selector are dual-stack capable upstream (RequireDualStack).
  spec.ipFamilyPolicy ??= isHeadlessService(spec) && !spec.selector ? 'RequireDualStack' : 'SingleStack';
}

function allocateClusterIP(svc: KObject, spec: Obj, txn: Txn): void {
  if (!needsClusterIP(spec)) return;
  if (isHeadlessService(spec)) {
    spec.clusterIPs = ['None'];
    return;
  }
  if (spec.clusterIP) {
    try {
      txn.allocIP(spec.clusterIP);
    } catch (e) {
      if (!(e instanceof AllocationError)) throw e;
      fail(svc, txn, invalid('spec.clusterIPs', [spec.clusterIP], [`failed to allocate IP ${spec.clusterIP}: ${e.message}`]));
    }
  } else {
    const wantsFirst = svc.metadata.name === 'kubernetes' && svc.metadata.namespace === 'default'
      && !serviceIPAllocator.isAllocated(serviceIPAllocator.firstIP());
    try {
      spec.clusterIP = txn.allocIP(wantsFirst ? serviceIPAllocator.firstIP() : undefined);
    } catch (e) {
      if (!(e instanceof AllocationError)) throw e;
      txn.revert();
      throw newInternalError(new Error(`failed to allocate a serviceIP: ${e.message}`));
    }
  }
  spec.clusterIPs = [spec.clusterIP];
}

function allocateNodePorts(svc: KObject, spec: Obj, txn: Txn, held: Set<number>): void {
  if (!needsNodePorts(spec)) return;
  const ports: Obj[] = Array.isArray(spec.ports) ? spec.ports : [];
  const assignedHere = new Map<number, number>(); // port number → node port, shared across protocols
  const errs: FieldError[] = [];
  ports.forEach((p, i) => {
    if (typeof p.nodePort === 'number' && p.nodePort !== 0) {
      if (held.has(p.nodePort) || [...assignedHere.values()].includes(p.nodePort)) return;
      try {
        txn.allocPort(p.nodePort);
        assignedHere.set(p.port, p.nodePort);
      } catch (e) {
        if (!(e instanceof AllocationError)) throw e;
        errs.push(...invalid(`spec.ports[${i}].nodePort`, p.nodePort, [e.message]));
      }
    }
  });
  if (errs.length) fail(svc, txn, errs);
  for (const p of ports) {
    if (typeof p.nodePort === 'number' && p.nodePort !== 0) continue;
    const shared = assignedHere.get(p.port);
    p.nodePort = shared ?? txn.allocPort();
    assignedHere.set(p.port, p.nodePort);
  }
  if (spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local') {
    if (typeof spec.healthCheckNodePort === 'number' && spec.healthCheckNodePort !== 0) {
      if (!held.has(spec.healthCheckNodePort)) {
        try {
          txn.allocPort(spec.healthCheckNodePort);
        } catch (e) {
          if (!(e instanceof AllocationError)) throw e;
          fail(svc, txn, invalid('spec.healthCheckNodePort', spec.healthCheckNodePort, [e.message]));
        }
      }
    } else {
      spec.healthCheckNodePort = txn.allocPort();
    }
  }
}

/** Allocate the addresses and ports of a new Service. On dry-run, only checks availability. */
export function allocateForCreate(svc: KObject, dryRun: boolean): void {
  const spec = svc.spec as Obj;
  const txn = new Txn();
  allocateClusterIP(svc, spec, txn);
  allocateNodePorts(svc, spec, txn, new Set());
  setIPFamilies(spec);
  if (dryRun) txn.revert();
}

function nodePortsOf(spec: Obj): number[] {
  const out: number[] = [];
  if (Array.isArray(spec.ports)) for (const p of spec.ports) if (typeof p?.nodePort === 'number' && p.nodePort > 0) out.push(p.nodePort);
  if (typeof spec.healthCheckNodePort === 'number' && spec.healthCheckNodePort > 0) out.push(spec.healthCheckNodePort);
  return out;
}

function clusterIPsOf(spec: Obj): string[] {
  const ips = new Set<string>();
  if (typeof spec.clusterIP === 'string' && spec.clusterIP && spec.clusterIP !== 'None') ips.add(spec.clusterIP);
  if (Array.isArray(spec.clusterIPs)) for (const ip of spec.clusterIPs) if (typeof ip === 'string' && ip && ip !== 'None') ips.add(ip);
  return [...ips];
}

/** patchAllocatedValues: a PUT that leaves clusterIP/nodePort empty keeps the allocated ones. */
export function patchAllocatedValues(spec: Obj, oldSpec: Obj): void {
  if (needsClusterIP(oldSpec) && needsClusterIP(spec)) {
    if (!spec.clusterIP && oldSpec.clusterIP) {
      spec.clusterIP = oldSpec.clusterIP;
      spec.clusterIPs = oldSpec.clusterIPs;
    } else if (spec.clusterIP && (!Array.isArray(spec.clusterIPs) || spec.clusterIPs.length === 0) && spec.clusterIP === oldSpec.clusterIP) {
      spec.clusterIPs = oldSpec.clusterIPs;
    }
    if (spec.ipFamilies === undefined && oldSpec.ipFamilies !== undefined) spec.ipFamilies = oldSpec.ipFamilies;
    if (spec.ipFamilyPolicy === undefined && oldSpec.ipFamilyPolicy !== undefined) spec.ipFamilyPolicy = oldSpec.ipFamilyPolicy;
  }
  if (needsNodePorts(oldSpec) && needsNodePorts(spec)) {
    const oldPorts: Obj[] = Array.isArray(oldSpec.ports) ? oldSpec.ports : [];
    for (const p of Array.isArray(spec.ports) ? spec.ports : []) {
      if (typeof p?.nodePort === 'number' && p.nodePort !== 0) continue;
      const match = oldPorts.find((o) => o.port === p.port && o.protocol === p.protocol && (o.name ?? '') === (p.name ?? ''))
        ?? oldPorts.find((o) => o.port === p.port && o.protocol === p.protocol);
      if (match?.nodePort) p.nodePort = match.nodePort;
    }
    if (spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local' && !spec.healthCheckNodePort && oldSpec.healthCheckNodePort) {
      spec.healthCheckNodePort = oldSpec.healthCheckNodePort;
    }
  }
}

const sameJSON = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * dropTypeDependentFields: when the type changes, fields the old type needed are cleared if the
 * client merely carried them over (kubectl apply from NodePort to ClusterIP keeps the nodePorts).
 */
export function dropTypeDependentFields(spec: Obj, oldSpec: Obj): void {
  if (needsClusterIP(oldSpec) && !needsClusterIP(spec)) {
    if (sameJSON(spec.clusterIP, oldSpec.clusterIP) || !spec.clusterIP) {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    }
    if (sameJSON(spec.ipFamilies, oldSpec.ipFamilies)) delete spec.ipFamilies;
    if (sameJSON(spec.ipFamilyPolicy, oldSpec.ipFamilyPolicy)) delete spec.ipFamilyPolicy;
  }
  if (needsNodePorts(oldSpec) && !needsNodePorts(spec) && sameJSON(nodePortsOf({ ports: spec.ports }), nodePortsOf({ ports: oldSpec.ports }))) {
    if (Array.isArray(spec.ports)) for (const p of spec.ports) if (p) delete p.nodePort;
  }
  const needsHealthCheck = (s: Obj) => s.type === 'LoadBalancer' && s.externalTrafficPolicy === 'Local';
  if (needsHealthCheck(oldSpec) && !needsHealthCheck(spec) && spec.healthCheckNodePort === oldSpec.healthCheckNodePort) {
    delete spec.healthCheckNodePort;
  }
  if (oldSpec.type === 'LoadBalancer' && spec.type !== 'LoadBalancer') {
    if (spec.allocateLoadBalancerNodePorts === oldSpec.allocateLoadBalancerNodePorts) delete spec.allocateLoadBalancerNodePorts;
    if (spec.loadBalancerClass === oldSpec.loadBalancerClass) delete spec.loadBalancerClass;
  }
  const external = (s: Obj) => s.type === 'NodePort' || s.type === 'LoadBalancer';
  if (external(oldSpec) && !external(spec) && spec.externalTrafficPolicy === oldSpec.externalTrafficPolicy) delete spec.externalTrafficPolicy;
  if (!needsClusterIP(spec) && spec.internalTrafficPolicy === oldSpec.internalTrafficPolicy) delete spec.internalTrafficPolicy;
}

/** Allocate what an updated Service newly needs and free what it no longer holds. */
export function allocateForUpdate(svc: KObject, old: KObject, dryRun: boolean): void {
  const spec = svc.spec as Obj;
  const oldSpec = (old.spec as Obj) ?? {};
  const txn = new Txn();
  if (needsClusterIP(spec) && (!needsClusterIP(oldSpec) || !oldSpec.clusterIP)) allocateClusterIP(svc, spec, txn);
  const oldNodePorts = new Set(nodePortsOf(oldSpec));
  allocateNodePorts(svc, spec, txn, oldNodePorts);
  setIPFamilies(spec);
  if (dryRun) {
    txn.revert();
    return;
  }
  const keepIPs = new Set(clusterIPsOf(spec));
  for (const ip of clusterIPsOf(oldSpec)) if (!keepIPs.has(ip)) serviceIPAllocator.release(ip);
  const keepPorts = new Set(nodePortsOf(spec));
  for (const p of oldNodePorts) if (!keepPorts.has(p)) nodePortAllocator.release(p);
}

/** Called by the server for every stored Service at start. */
export function markServiceAllocations(svc: KObject): void {
  const spec = (svc.spec as Obj) ?? {};
  for (const ip of clusterIPsOf(spec)) serviceIPAllocator.markUsed(ip);
  for (const p of nodePortsOf(spec)) nodePortAllocator.markUsed(p);
}

/** Called by the server when a Service is deleted (or its create failed after prepareForCreate). */
export function releaseServiceAllocations(svc: KObject): void {
  const spec = (svc.spec as Obj) ?? {};
  for (const ip of clusterIPsOf(spec)) serviceIPAllocator.release(ip);
  for (const p of nodePortsOf(spec)) nodePortAllocator.release(p);
}
