// What makes a pod a daemon pod (pkg/controller/daemon/util): the tolerations every daemon pod
// gets so node conditions never evict it, the required node affinity `metadata.name In [node]`
// that pins it to its node for the default scheduler, and the labels naming its revision.
import type { KObject } from '../../apimachinery/types.ts';
import { deepCopy } from '../../apimachinery/types.ts';
import type { Toleration } from '../../scheduler/types.ts';

type Obj = Record<string, any>;

export const DEFAULT_DAEMON_SET_UNIQUE_LABEL_KEY = 'controller-revision-hash';
export const DAEMON_SET_TEMPLATE_GENERATION_KEY = 'pod-template-generation';
/** The annotation apps/v1 DaemonSets carry their templateGeneration in. */
export const DEPRECATED_TEMPLATE_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation';

export interface DaemonSet extends KObject {
  spec: Obj & {
    selector?: Obj;
    template: Obj;
    updateStrategy?: { type?: string; rollingUpdate?: { maxUnavailable?: number | string; maxSurge?: number | string } };
    minReadySeconds?: number;
    revisionHistoryLimit?: number;
  };
  status?: Obj;
}

/** AddOrUpdateDaemonPodTolerations, in upstream's order. */
export function addOrUpdateDaemonPodTolerations(spec: Obj): void {
  const add: Toleration[] = [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
  ];
  if (spec.hostNetwork) add.push({ key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' });
  const tolerations: Toleration[] = [...((spec.tolerations ?? []) as Toleration[])];
  for (const t of add) {
    // AddOrUpdateTolerationInPodSpec: one with the same key, operator, value and effect is replaced.
    const i = tolerations.findIndex((o) => o.key === t.key && (o.operator ?? 'Equal') === t.operator && (o.value ?? '') === '' && o.effect === t.effect);
    if (i >= 0) tolerations[i] = t;
    else tolerations.push(t);
  }
  spec.tolerations = tolerations;
}

/**
 * ReplaceDaemonSetPodNodeNameNodeAffinity: the required node affinity becomes the single term
 * `matchFields metadata.name In [node]` (the template's own terms were already checked when the
 * node was found eligible); preferred terms are kept.
 */
export function replaceDaemonSetPodNodeNameNodeAffinity(affinity: Obj | undefined, nodeName: string): Obj {
  const term = { matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] };
  const out: Obj = deepCopy(affinity ?? {});
  out.nodeAffinity ??= {};
  out.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = { nodeSelectorTerms: [term] };
  return out;
}

/** The templateGeneration from the deprecated annotation, if any (GetTemplateGeneration). */
export function getTemplateGeneration(ds: DaemonSet): number | undefined {
  const v = ds.metadata.annotations?.[DEPRECATED_TEMPLATE_GENERATION_ANNOTATION];
  if (v === undefined) return undefined;
  const n = Number.parseInt(v, 10);
  return Number.isNaN(n) ? undefined : n;
}

/** CreatePodTemplate: daemon tolerations, the generation and revision-hash labels. */
export function createPodTemplate(template: Obj, generation: number | undefined, hash: string): Obj {
  const t = deepCopy(template ?? {});
  t.spec ??= {};
  addOrUpdateDaemonPodTolerations(t.spec);
  t.metadata ??= {};
  t.metadata.labels = { ...(t.metadata.labels ?? {}) };
  if (generation !== undefined) t.metadata.labels[DAEMON_SET_TEMPLATE_GENERATION_KEY] = String(generation);
  if (hash) t.metadata.labels[DEFAULT_DAEMON_SET_UNIQUE_LABEL_KEY] = hash;
  return t;
}

/** The node a daemon pod is for: its nodeName once bound, else its node-affinity pin (GetTargetNodeName). */
export function getTargetNodeName(pod: KObject): string | undefined {
  const spec = (pod.spec ?? {}) as Obj;
  if (spec.nodeName) return spec.nodeName;
  const terms = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!Array.isArray(terms) || terms.length === 0) return undefined;
  for (const term of terms as Obj[]) {
    for (const f of (term.matchFields ?? []) as Obj[]) {
      if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0];
    }
  }
  return undefined;
}

/** IsPodUpdated: the pod carries the current revision hash (or, for old pods, the template generation). */
export function isPodUpdated(pod: KObject, hash: string, generation: number | undefined): boolean {
  const labels = pod.metadata.labels ?? {};
  const templateMatches = generation !== undefined && labels[DAEMON_SET_TEMPLATE_GENERATION_KEY] === String(generation);
  const hashMatches = hash.length > 0 && labels[DEFAULT_DAEMON_SET_UNIQUE_LABEL_KEY] === hash;
  return hashMatches || templateMatches;
}
