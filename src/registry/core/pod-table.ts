// printPod of pkg/printers/internalversion: READY, the STATUS reason (Init:…, CrashLoopBackOff,
// Completed, Terminating…), RESTARTS "3 (2m ago)" and the -o wide columns.
import type { KObject } from '../../apimachinery/types.ts';
import { translateTimestampSince } from './human-duration.ts';
import { column, defineTable } from '../groups/common/printers.ts';
import { swaggerDoc } from '../groups/common/swagger-doc.ts';

type Obj = Record<string, any>;

const NODE_UNREACHABLE_POD_REASON = 'NodeLost';

function isRestartableInitContainer(c: Obj | undefined): boolean {
  return c?.restartPolicy === 'Always';
}

function hasCondition(conditions: unknown, type: string): boolean {
  return Array.isArray(conditions) && conditions.some((c) => c?.type === type && c?.status === 'True');
}

function laterOf(a: string | undefined, b: unknown): string | undefined {
  if (typeof b !== 'string' || !b) return a;
  if (!a || Date.parse(b) > Date.parse(a)) return b;
  return a;
}

/** The READY, STATUS and RESTARTS cells of printPod. */
export function podStatusCells(pod: KObject, now: Date): { ready: string; reason: string; restarts: string } {
  const spec: Obj = (pod.spec as Obj) ?? {};
  const status: Obj = (pod.status as Obj) ?? {};
  const initSpecs: Obj[] = Array.isArray(spec.initContainers) ? spec.initContainers : [];
  const containers: Obj[] = Array.isArray(spec.containers) ? spec.containers : [];
  let restarts = 0;
  let restartableInitRestarts = 0;
  let totalContainers = containers.length;
  let readyContainers = 0;
  let lastRestart: string | undefined;
  let lastRestartableInitRestart: string | undefined;

  const phase: string = status.phase ?? '';
  let reason: string = status.reason || phase;
  if (Array.isArray(status.conditions)) {
    for (const c of status.conditions) if (c?.type === 'PodScheduled' && c?.reason === 'SchedulingGated') reason = 'SchedulingGated';
  }

  const initByName = new Map<string, Obj>();
  for (const c of initSpecs) {
    initByName.set(c?.name, c);
    if (isRestartableInitContainer(c)) totalContainers++;
  }

  let initializing = false;
  const initStatuses: Obj[] = Array.isArray(status.initContainerStatuses) ? status.initContainerStatuses : [];
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i]!;
    const state: Obj = cs.state ?? {};
    const restartable = isRestartableInitContainer(initByName.get(cs.name));
    restarts += cs.restartCount ?? 0;
    lastRestart = laterOf(lastRestart, cs.lastState?.terminated?.finishedAt);
    if (restartable) {
      restartableInitRestarts += cs.restartCount ?? 0;
      lastRestartableInitRestart = laterOf(lastRestartableInitRestart, cs.lastState?.terminated?.finishedAt);
    }
    if (state.terminated && (state.terminated.exitCode ?? 0) === 0) continue;
    if (restartable && cs.started === true) {
      if (cs.ready) readyContainers++;
      continue;
    }
    if (state.terminated) {
      const t = state.terminated;
      if (!t.reason) reason = t.signal ? `Init:Signal:${t.signal}` : `Init:ExitCode:${t.exitCode ?? 0}`;
      else reason = `Init:${t.reason}`;
    } else if (state.waiting?.reason && state.waiting.reason !== 'PodInitializing') {
      reason = `Init:${state.waiting.reason}`;
    } else {
      reason = `Init:${i}/${initSpecs.length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || hasCondition(status.conditions, 'Initialized')) {
    restarts = restartableInitRestarts;
    lastRestart = lastRestartableInitRestart;
    let hasRunning = false;
    const statuses: Obj[] = Array.isArray(status.containerStatuses) ? status.containerStatuses : [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i]!;
      const state: Obj = cs.state ?? {};
      restarts += cs.restartCount ?? 0;
      lastRestart = laterOf(lastRestart, cs.lastState?.terminated?.finishedAt);
      if (state.waiting?.reason) reason = state.waiting.reason;
      else if (state.terminated?.reason) reason = state.terminated.reason;
      else if (state.terminated) reason = state.terminated.signal ? `Signal:${state.terminated.signal}` : `ExitCode:${state.terminated.exitCode ?? 0}`;
      else if (cs.ready && state.running) {
        hasRunning = true;
        readyContainers++;
      }
    }
    if (reason === 'Completed' && hasRunning) reason = hasCondition(status.conditions, 'Ready') ? 'Running' : 'NotReady';
  }

  if (pod.metadata.deletionTimestamp && status.reason === NODE_UNREACHABLE_POD_REASON) reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';

  let restartsStr = String(restarts);
  if (restarts !== 0 && lastRestart) restartsStr = `${restarts} (${translateTimestampSince(lastRestart, now)} ago)`;
  return { ready: `${readyContainers}/${totalContainers}`, reason, restarts: restartsStr };
}

function readinessGatesCell(pod: KObject): string {
  const gates: Obj[] = Array.isArray((pod.spec as Obj)?.readinessGates) ? (pod.spec as Obj).readinessGates : [];
  if (gates.length === 0) return '<none>';
  const conditions: Obj[] = Array.isArray((pod.status as Obj)?.conditions) ? (pod.status as Obj).conditions : [];
  let trueCount = 0;
  for (const g of gates) {
    const c = conditions.find((x) => x?.type === g?.conditionType);
    if (c?.status === 'True') trueCount++;
  }
  return `${trueCount}/${gates.length}`;
}

export const podTable = defineTable({
  columns: [
    column('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
    column('Status', 'string', 'The aggregate status of the containers in this pod.'),
    column('Restarts', 'string', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
  ],
  afterAge: [
    column('IP', 'string', swaggerDoc('V1PodStatus', 'podIP'), 1),
    column('Node', 'string', swaggerDoc('V1PodSpec', 'nodeName'), 1),
    column('Nominated Node', 'string', swaggerDoc('V1PodStatus', 'nominatedNodeName'), 1),
    column('Readiness Gates', 'string', swaggerDoc('V1PodSpec', 'readinessGates'), 1),
  ],
  cells(pod, now) {
    const { ready, reason, restarts } = podStatusCells(pod, now);
    const status: Obj = (pod.status as Obj) ?? {};
    const podIP = (Array.isArray(status.podIPs) && status.podIPs[0]?.ip) || '<none>';
    return [ready, reason, restarts, podIP, (pod.spec as Obj)?.nodeName || '<none>', status.nominatedNodeName || '<none>', readinessGatesCell(pod)];
  },
});
