// podStrategy / podStatusStrategy of pkg/registry/core/pod/strategy.go.
import type { KObject } from '../../apimachinery/types.ts';
import { notSupported } from '../../apimachinery/validation.ts';
import type { RequestContext, ResourceStrategy } from '../types.ts';
import { admitPod, defaultPod } from './pod-defaults.ts';
import { admitPodPriority } from './pod-priority.ts';
import { getPodQOS } from './pod-qos.ts';
import { validatePod, validatePodCreateOnly, validatePodUpdate } from './pod-validation.ts';
import { newInvalid } from '../../apimachinery/errors.ts';
import { keepStatus, statusStrategyOf } from './status-helpers.ts';

type Obj = Record<string, any>;

const POD_PHASES = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'];

/** The rest of create once priority is known: the other admission fields and the initial status. */
function finishPodCreate(pod: KObject, ctx: RequestContext): void {
  admitPod(pod);
  const status: Obj = { phase: 'Pending', qosClass: getPodQOS(pod.spec as Obj) };
  const gates = (pod.spec as Obj).schedulingGates;
  if (Array.isArray(gates) && gates.length > 0) {
    status.conditions = [{
      type: 'PodScheduled', status: 'False', reason: 'SchedulingGated',
      message: 'Scheduling is blocked due to non-empty scheduling gates', lastProbeTime: null,
      lastTransitionTime: ctx.now().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    }];
  }
  pod.status = status;
}

export const podStrategy: ResourceStrategy = {
  defaults: defaultPod,
  prepareForCreate(pod, ctx) {
    const createErrs = validatePodCreateOnly(pod);
    if (createErrs.length > 0) throw newInvalid({ group: '', kind: 'Pod' }, pod.metadata.name ?? '', createErrs);
    // Priority admission reads PriorityClasses (async) when the server configured it; sync otherwise.
    const admitted = admitPodPriority(pod);
    if (admitted) return admitted.then(() => finishPodCreate(pod, ctx));
    finishPodCreate(pod, ctx);
  },
  prepareForUpdate(pod, old) { keepStatus(pod, old); },
  validate: (pod) => validatePod(pod),
  validateUpdate: (pod, old) => validatePodUpdate(pod, old),
  allowCreateOnUpdate: false,
  defaultGracePeriodSeconds(pod: KObject) {
    // CheckGracefulDelete: unscheduled and terminated pods go away at once.
    const spec = (pod.spec as Obj) ?? {};
    const phase = (pod.status as Obj)?.phase;
    if (!spec.nodeName || phase === 'Succeeded' || phase === 'Failed') return 0;
    return typeof spec.terminationGracePeriodSeconds === 'number' ? spec.terminationGracePeriodSeconds : 30;
  },
};

export const podStatusStrategy: ResourceStrategy = statusStrategyOf({
  prepareForUpdate(pod, old) {
    const status = pod.status;
    const meta = pod.metadata;
    for (const k of Object.keys(pod)) if (k !== 'metadata' && k !== 'apiVersion' && k !== 'kind') delete pod[k];
    for (const [k, v] of Object.entries(old)) if (k !== 'metadata' && k !== 'status') pod[k] = structuredClone(v);
    pod.status = status;
    // Old kubelets corrupted owner references; the pods/status endpoint may not touch them, nor deletion state.
    meta.ownerReferences = structuredClone(old.metadata.ownerReferences);
    if (old.metadata.ownerReferences === undefined) delete meta.ownerReferences;
    meta.deletionTimestamp = old.metadata.deletionTimestamp;
    if (old.metadata.deletionTimestamp === undefined) delete meta.deletionTimestamp;
  },
  validateUpdate(pod) {
    const phase = (pod.status as Obj)?.phase;
    if (phase !== undefined && phase !== '' && !POD_PHASES.includes(phase)) return [notSupported('status.phase', phase, POD_PHASES)];
    return [];
  },
});
