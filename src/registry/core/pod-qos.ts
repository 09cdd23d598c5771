// qos.GetPodQOS: the status.qosClass the API server sets on create (Guaranteed, Burstable, BestEffort).
import { parseQuantity } from './quantity.ts';

type Obj = Record<string, any>;
const QOS_RESOURCES = ['cpu', 'memory'];

export function getPodQOS(spec: Obj | undefined): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const requests = new Map<string, number>();
  const limits = new Map<string, number>();
  let guaranteed = true;
  const all = [...(Array.isArray(spec?.containers) ? spec.containers : []), ...(Array.isArray(spec?.initContainers) ? spec.initContainers : [])];
  for (const c of all) {
    const res = c?.resources ?? {};
    for (const [name, q] of Object.entries((res.requests ?? {}) as Record<string, unknown>)) {
      const v = parseQuantity(q);
      if (!QOS_RESOURCES.includes(name) || v === undefined || v <= 0) continue;
      requests.set(name, (requests.get(name) ?? 0) + v);
    }
    const found = new Set<string>();
    for (const [name, q] of Object.entries((res.limits ?? {}) as Record<string, unknown>)) {
      const v = parseQuantity(q);
      if (!QOS_RESOURCES.includes(name) || v === undefined || v <= 0) continue;
      found.add(name);
      limits.set(name, (limits.get(name) ?? 0) + v);
    }
    if (!QOS_RESOURCES.every((r) => found.has(r))) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [name, req] of requests) {
      const lim = limits.get(name);
      if (lim === undefined || Math.abs(lim - req) > 1e-9 * Math.max(1, lim)) { guaranteed = false; break; }
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}
