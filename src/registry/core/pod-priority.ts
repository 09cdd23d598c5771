// The Priority admission plugin for new pods: spec.priorityClassName resolves to the class's value
// and preemptionPolicy (403 if there is no such class); without a name, the globalDefault class
// (the lowest if several) or priority 0. A priority given in the spec must equal the computed one.
// system-node-critical and system-cluster-critical are known even before their objects exist.
import { newForbidden } from '../../apimachinery/errors.ts';
import type { KObject } from '../../apimachinery/types.ts';

type Obj = Record<string, any>;

export interface PriorityClassSource {
  get(name: string): Promise<KObject | undefined>;
  list(): Promise<KObject[]>;
}

const BUILT_IN: Record<string, number> = {
  'system-node-critical': 2000001000,
  'system-cluster-critical': 2000000000,
};

let source: PriorityClassSource | undefined;

/** Set by the API server once its registry exists (like the service allocators). */
export function configurePriorityClassSource(s: PriorityClassSource | undefined): void {
  source = s;
}

async function resolve(source: PriorityClassSource, name: string): Promise<{ value: number; preemptionPolicy?: string } | undefined> {
  const pc = await source.get(name);
  if (pc) return { value: Number((pc as Obj).value ?? 0), preemptionPolicy: (pc as Obj).preemptionPolicy };
  if (name in BUILT_IN) return { value: BUILT_IN[name]!, preemptionPolicy: 'PreemptLowerPriority' };
  return undefined;
}

async function defaultClass(source: PriorityClassSource): Promise<{ name: string; value: number; preemptionPolicy?: string } | undefined> {
  let best: Obj | undefined;
  for (const pc of (await source.list()) as Obj[]) {
    if (pc.globalDefault === true && (!best || best.value > pc.value)) best = pc;
  }
  return best ? { name: best.metadata.name, value: Number(best.value ?? 0), preemptionPolicy: best.preemptionPolicy } : undefined;
}

/** Mutates the pod's spec; rejects with 403 Forbidden as upstream's admission does. Undefined when not configured. */
export function admitPodPriority(pod: KObject): Promise<void> | undefined {
  return source ? admit(pod, source) : undefined;
}

async function admit(pod: KObject, source: PriorityClassSource): Promise<void> {
  const spec = pod.spec as Obj;
  const forbid = (msg: string) => newForbidden({ group: '', resource: 'pods' }, pod.metadata.name ?? '', msg);
  let priority = 0;
  let preemptionPolicy: string | undefined = 'PreemptLowerPriority';
  if (!spec.priorityClassName) {
    const d = await defaultClass(source);
    if (d) {
      spec.priorityClassName = d.name;
      priority = d.value;
      preemptionPolicy = d.preemptionPolicy;
    }
  } else {
    const pc = await resolve(source, spec.priorityClassName);
    if (!pc) throw forbid(`no PriorityClass with name ${spec.priorityClassName} was found`);
    priority = pc.value;
    preemptionPolicy = pc.preemptionPolicy;
  }
  if (spec.priority !== undefined && spec.priority !== null && spec.priority !== priority) {
    throw forbid(`the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${priority} from the given PriorityClass name`);
  }
  spec.priority = priority;
  if (preemptionPolicy) {
    if (spec.preemptionPolicy && spec.preemptionPolicy !== preemptionPolicy) {
      throw forbid(`the string value of PreemptionPolicy (${spec.preemptionPolicy}) must not be provided in pod spec; priority admission controller computed ${preemptionPolicy} from the given PriorityClass name`);
    }
    spec.preemptionPolicy = preemptionPolicy;
  }
}
