// What the scheduler knows about one node (framework.NodeInfo): the Node, the pods on it (bound
// or assumed), their summed requests, the host ports in use and which pods carry affinity terms.
// Requests are kept as running sums so a filter is O(1) in the number of pods on the node.
import { parseTerms, parseWeightedTerms, type AffinityTerm, type WeightedAffinityTerm } from './affinity-term.ts';
import { addResource, emptyResource, nodeAllocatable, podRequests, type NodeAllocatable, type Resource } from './resources.ts';
import { podKey, podPriority, type Node, type Pod } from './types.ts';

export interface HostPort { ip: string; protocol: string; port: number }

/** A pod with what the plugins read from it parsed once. */
export interface PodInfo {
  pod: Pod;
  key: string;
  priority: number;
  requests: Resource;
  nonZero: { milliCPU: number; memory: number };
  hostPorts: HostPort[];
  requiredAffinity: AffinityTerm[];
  requiredAntiAffinity: AffinityTerm[];
  preferredAffinity: WeightedAffinityTerm[];
  preferredAntiAffinity: WeightedAffinityTerm[];
}

export function newPodInfo(pod: Pod): PodInfo {
  const aff = pod.spec?.affinity;
  const nz = podRequests(pod, true);
  return {
    pod,
    key: podKey(pod),
    priority: podPriority(pod),
    requests: podRequests(pod),
    nonZero: { milliCPU: nz.milliCPU, memory: nz.memory },
    hostPorts: podHostPorts(pod),
    requiredAffinity: parseTerms(pod, aff?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution),
    requiredAntiAffinity: parseTerms(pod, aff?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution),
    preferredAffinity: parseWeightedTerms(pod, aff?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution),
    preferredAntiAffinity: parseWeightedTerms(pod, aff?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution),
  };
}

/** Host ports a pod asks for (containers' ports with hostPort > 0), sanitised as HostPortInfo does. */
export function podHostPorts(pod: Pod): HostPort[] {
  const out: HostPort[] = [];
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort || p.hostPort <= 0) continue;
      out.push({ ip: p.hostIP || '0.0.0.0', protocol: p.protocol || 'TCP', port: p.hostPort });
    }
  }
  return out;
}

const BIND_ALL = '0.0.0.0';

/** Host ports in use on a node, by IP then "protocol/port", with use counts. */
export class HostPortInfo {
  private readonly byIP = new Map<string, Map<string, number>>();

  add(p: HostPort, sign = 1): void {
    let m = this.byIP.get(p.ip);
    if (!m) this.byIP.set(p.ip, (m = new Map()));
    const k = `${p.protocol}/${p.port}`;
    const n = (m.get(k) ?? 0) + sign;
    if (n > 0) m.set(k, n);
    else m.delete(k);
    if (m.size === 0) this.byIP.delete(p.ip);
  }

  /** 0.0.0.0 conflicts with the port on any IP; another IP with itself and 0.0.0.0. */
  conflicts(p: HostPort): boolean {
    const k = `${p.protocol}/${p.port}`;
    if (p.ip === BIND_ALL) {
      for (const m of this.byIP.values()) if (m.has(k)) return true;
      return false;
    }
    return !!this.byIP.get(BIND_ALL)?.has(k) || !!this.byIP.get(p.ip)?.has(k);
  }

  clone(): HostPortInfo {
    const c = new HostPortInfo();
    for (const [ip, m] of this.byIP) c.byIP.set(ip, new Map(m));
    return c;
  }
}

export class NodeInfo {
  node: Node | undefined;
  allocatable: NodeAllocatable = { ...emptyResource(), allowedPodNumber: 0 };
  readonly pods = new Map<string, PodInfo>();
  requested: Resource = emptyResource();
  nonZeroRequested = { milliCPU: 0, memory: 0 };
  usedPorts = new HostPortInfo();
  /** Pods with (anti-)affinity terms, for the inter-pod affinity plugin. */
  podsWithAffinity = 0;
  podsWithRequiredAntiAffinity = 0;

  constructor(node?: Node) {
    if (node) this.setNode(node);
  }

  get name(): string { return this.node?.metadata.name ?? ''; }

  setNode(node: Node): void {
    this.node = node;
    this.allocatable = nodeAllocatable(node);
  }

  addPod(pi: PodInfo): void { this.update(pi, 1); this.pods.set(pi.key, pi); }

  removePod(key: string): boolean {
    const pi = this.pods.get(key);
    if (!pi) return false;
    this.pods.delete(key);
    this.update(pi, -1);
    return true;
  }

  private update(pi: PodInfo, sign: number): void {
    addResource(this.requested, pi.requests, sign);
    this.nonZeroRequested.milliCPU += sign * pi.nonZero.milliCPU;
    this.nonZeroRequested.memory += sign * pi.nonZero.memory;
    for (const p of pi.hostPorts) this.usedPorts.add(p, sign);
    const hasAffinity = pi.requiredAffinity.length + pi.requiredAntiAffinity.length + pi.preferredAffinity.length + pi.preferredAntiAffinity.length > 0;
    if (hasAffinity) this.podsWithAffinity += sign;
    if (pi.requiredAntiAffinity.length > 0) this.podsWithRequiredAntiAffinity += sign;
  }

  /** A copy whose pod set can change without touching this one (preemption's what-if). */
  clone(): NodeInfo {
    const c = new NodeInfo();
    c.node = this.node;
    c.allocatable = this.allocatable;
    for (const [k, v] of this.pods) c.pods.set(k, v);
    c.requested = { ...this.requested, scalar: new Map(this.requested.scalar) };
    c.nonZeroRequested = { ...this.nonZeroRequested };
    c.usedPorts = this.usedPorts.clone();
    c.podsWithAffinity = this.podsWithAffinity;
    c.podsWithRequiredAntiAffinity = this.podsWithRequiredAntiAffinity;
    return c;
  }
}
