// The conditions the kubelet owns (pkg/kubelet/status/generate.go): PodReadyToStartContainers,
// Initialized, Ready, ContainersReady and PodScheduled, with upstream's reasons and messages;
// lastTransitionTime moves only when a condition's status changes (the status manager's
// updateLastTransitionTime). Conditions of other owners are kept as they are.
import { rfc3339 } from '../nodes/node-status.ts';
import { isRestartableInitContainer } from './pod-actions.ts';
import { hasAnyRegularContainerStarted } from './pod-phase.ts';

type Obj = Record<string, any>;

export const KUBELET_CONDITION_TYPES = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'];

export const UNKNOWN_CONTAINER_STATUSES = 'UnknownContainerStatuses';
export const POD_COMPLETED = 'PodCompleted';
export const CONTAINERS_NOT_READY = 'ContainersNotReady';
export const CONTAINERS_NOT_INITIALIZED = 'ContainersNotInitialized';
export const READINESS_GATES_NOT_READY = 'ReadinessGatesNotReady';

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
}

/** Go's %s of a []string: [a b]. */
const list = (names: string[]) => `[${names.join(' ')}]`;

function find(statuses: Obj[], name: string): Obj | undefined {
  return statuses.find((s) => s?.name === name);
}

export function containersReadyCondition(spec: Obj, statuses: Obj[] | undefined, phase: string): Condition {
  if (!statuses) return { type: 'ContainersReady', status: 'False', reason: UNKNOWN_CONTAINER_STATUSES };
  const unknown: string[] = [];
  const unready: string[] = [];
  const check = (c: Obj) => {
    const s = find(statuses, c.name);
    if (!s) unknown.push(c.name);
    else if (!s.ready) unready.push(c.name);
  };
  for (const c of spec.initContainers ?? []) if (isRestartableInitContainer(c)) check(c);
  for (const c of spec.containers ?? []) check(c);
  if (phase === 'Succeeded' && unknown.length === 0) return { type: 'ContainersReady', status: 'False', reason: POD_COMPLETED };
  const messages: string[] = [];
  if (unknown.length) messages.push(`containers with unknown status: ${list(unknown)}`);
  if (unready.length) messages.push(`containers with unready status: ${list(unready)}`);
  if (messages.length) return { type: 'ContainersReady', status: 'False', reason: CONTAINERS_NOT_READY, message: messages.join(', ') };
  return { type: 'ContainersReady', status: 'True' };
}

export function podReadyCondition(spec: Obj, conditions: Obj[], statuses: Obj[] | undefined, phase: string): Condition {
  const cr = containersReadyCondition(spec, statuses, phase);
  if (cr.status !== 'True') return { type: 'Ready', status: cr.status, ...(cr.reason ? { reason: cr.reason } : {}), ...(cr.message ? { message: cr.message } : {}) };
  const messages: string[] = [];
  for (const g of spec.readinessGates ?? []) {
    const c = conditions.find((x) => x?.type === g?.conditionType);
    if (!c) messages.push(`corresponding condition of pod readiness gate "${g.conditionType}" does not exist.`);
    else if (c.status !== 'True') messages.push(`the status of pod readiness gate "${g.conditionType}" is not "True", but ${c.status}`);
  }
  if (messages.length) return { type: 'Ready', status: 'False', reason: READINESS_GATES_NOT_READY, message: messages.join(', ') };
  return { type: 'Ready', status: 'True' };
}

/** Regular init containers are initialized when done (ready); sidecars once started. */
function initContainerInitialized(c: Obj, s: Obj): boolean {
  return isRestartableInitContainer(c) ? s.started === true : s.ready === true;
}

export function podInitializedCondition(spec: Obj, statuses: Obj[] | undefined, phase: string): Condition {
  const inits: Obj[] = spec.initContainers ?? [];
  if (!statuses && inits.length > 0) return { type: 'Initialized', status: 'False', reason: UNKNOWN_CONTAINER_STATUSES };
  // A regular container that started means initialization happened, even if sidecars restart now.
  if (hasAnyRegularContainerStarted(spec, statuses ?? [])) return { type: 'Initialized', status: 'True' };
  const unknown: string[] = [];
  const incomplete: string[] = [];
  for (const c of inits) {
    const s = find(statuses ?? [], c.name);
    if (!s) unknown.push(c.name);
    else if (!initContainerInitialized(c, s)) incomplete.push(c.name);
  }
  if (phase === 'Succeeded' && unknown.length === 0) return { type: 'Initialized', status: 'True', reason: POD_COMPLETED };
  const messages: string[] = [];
  if (unknown.length) messages.push(`containers with unknown status: ${list(unknown)}`);
  if (incomplete.length) messages.push(`containers with incomplete status: ${list(incomplete)}`);
  if (messages.length) return { type: 'Initialized', status: 'False', reason: CONTAINERS_NOT_INITIALIZED, message: messages.join(', ') };
  return { type: 'Initialized', status: 'True' };
}

/** True once the pod has a sandbox with its network set up (no new one is needed). */
export function podReadyToStartContainersCondition(sandboxReady: boolean): Condition {
  return { type: 'PodReadyToStartContainers', status: sandboxReady ? 'True' : 'False' };
}

/**
 * The pod's conditions: others' first (as they were), then the kubelet's in upstream's order, each
 * with lastTransitionTime kept from `old` while its status is unchanged.
 */
export function podConditions(args: {
  spec: Obj;
  apiConditions: Obj[];
  oldConditions: Obj[];
  statuses: Obj[];
  phase: string;
  sandboxReady: boolean;
  now: number;
}): Obj[] {
  const others = args.apiConditions.filter((c) => c && !KUBELET_CONDITION_TYPES.includes(c.type));
  const generated: Condition[] = [
    podReadyToStartContainersCondition(args.sandboxReady),
    podInitializedCondition(args.spec, args.statuses, args.phase),
    podReadyCondition(args.spec, others, args.statuses, args.phase),
    containersReadyCondition(args.spec, args.statuses, args.phase),
    { type: 'PodScheduled', status: 'True' },
  ];
  const stamped = generated.map((c) => {
    const old = args.oldConditions.find((o) => o?.type === c.type) ?? args.apiConditions.find((o) => o?.type === c.type);
    const out: Obj = { type: c.type, status: c.status, lastProbeTime: null };
    out.lastTransitionTime = old && old.status === c.status && old.lastTransitionTime ? old.lastTransitionTime : rfc3339(args.now);
    if (c.reason) out.reason = c.reason;
    if (c.message) out.message = c.message;
    return out;
  });
  return [...others.map((c) => structuredClone(c)), ...stamped];
}
