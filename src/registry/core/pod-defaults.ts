// SetDefaults_Pod plus what admission plugins add to every new pod upstream (ServiceAccount,
// Priority, DefaultTolerationSeconds), so `kubectl get pod -o yaml` looks like a real cluster's.
import type { KObject } from '../../apimachinery/types.ts';
import { defaultPodSpec } from './pod-spec-defaults.ts';

type Obj = Record<string, any>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** SetDefaults_Pod: requests default to limits; enableServiceLinks; host-network ports. */
export function defaultPod(pod: KObject): void {
  if (!isObj(pod.spec)) pod.spec = {};
  const spec = pod.spec as Obj;
  defaultPodSpec(spec);
  for (const list of [spec.initContainers, spec.containers]) {
    if (!Array.isArray(list)) continue;
    for (const c of list) {
      if (!isObj(c) || !isObj(c.resources) || !isObj(c.resources.limits)) continue;
      c.resources.requests ??= {};
      for (const [k, v] of Object.entries(c.resources.limits)) if (!(k in c.resources.requests)) c.resources.requests[k] = v;
    }
    if (spec.hostNetwork === true) {
      for (const c of list) {
        if (isObj(c) && Array.isArray(c.ports)) for (const p of c.ports) if (isObj(p)) p.hostPort ??= p.containerPort;
      }
    }
  }
  spec.enableServiceLinks ??= true;
  // v1 conversion keeps the deprecated serviceAccount field in step with serviceAccountName.
  if (!spec.serviceAccountName && typeof spec.serviceAccount === 'string' && spec.serviceAccount) spec.serviceAccountName = spec.serviceAccount;
  if (spec.serviceAccountName) spec.serviceAccount = spec.serviceAccountName;
}

const SYSTEM_PRIORITIES: Record<string, number> = {
  'system-node-critical': 2000001000,
  'system-cluster-critical': 2000000000,
};

export const TAINT_NODE_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_NODE_UNREACHABLE = 'node.kubernetes.io/unreachable';
const DEFAULT_TOLERATION_SECONDS = 300;

function tolerates(tolerations: Obj[], key: string): boolean {
  return tolerations.some((t) => (t.key === key || !t.key) && (t.effect === 'NoExecute' || !t.effect));
}

/** The admission plugins' additions on create: service account, priority, default tolerations. */
export function admitPod(pod: KObject): void {
  const spec = pod.spec as Obj;
  if (!spec.serviceAccountName) spec.serviceAccountName = 'default';
  spec.serviceAccount = spec.serviceAccountName;
  if (spec.priority === undefined) {
    if (!spec.priorityClassName) spec.priority = 0;
    else if (spec.priorityClassName in SYSTEM_PRIORITIES) spec.priority = SYSTEM_PRIORITIES[spec.priorityClassName];
  }
  if (spec.priority !== undefined) spec.preemptionPolicy ??= 'PreemptLowerPriority';
  const tolerations: Obj[] = Array.isArray(spec.tolerations) ? spec.tolerations : [];
  const added: Obj[] = [];
  for (const key of [TAINT_NODE_NOT_READY, TAINT_NODE_UNREACHABLE]) {
    if (!tolerates(tolerations, key)) {
      added.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: DEFAULT_TOLERATION_SECONDS });
    }
  }
  if (added.length > 0) spec.tolerations = [...tolerations, ...added];
}
