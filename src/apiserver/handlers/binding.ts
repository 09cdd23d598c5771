// pods/binding (and the legacy bindings resource): assigns a pod to a node once, as the
// scheduler does through the API (upstream BindingREST: 409 if already assigned).
import { newBadRequest, newConflict, successStatus } from '../../apimachinery/errors.ts';
import type { KObject } from '../../apimachinery/types.ts';
import { decodeBodyValue } from '../decode.ts';
import { negotiate } from '../negotiation.ts';
import { writeBody } from '../respond.ts';
import type { Handler } from './scope.ts';

export const createBinding: Handler = async (req, res, scope) => {
  const binding = decodeBodyValue(req) as { metadata?: { name?: string; annotations?: Record<string, string> }; target?: { kind?: string; name?: string } } | null;
  if (!binding || typeof binding !== 'object') throw newBadRequest('Binding must be an object');
  const podName = scope.info.name || binding.metadata?.name || '';
  if (binding.metadata?.name && binding.metadata.name !== podName) throw newBadRequest('name in URL does not match name in Binding object');
  const node = binding.target?.name;
  if (!node) throw newBadRequest('Binding.target.name is required');
  if (binding.target?.kind && binding.target.kind !== 'Node') throw newBadRequest(`Binding target kind must be Node, got ${binding.target.kind}`);
  const pods = scope.registry.lookup('', 'v1', 'pods')!;
  await pods.store.update(scope.ctx, podName, (current) => {
    const pod = current as KObject & { spec?: { nodeName?: string }; status?: { conditions?: Array<Record<string, unknown>> } };
    if (pod.metadata.deletionTimestamp) throw newConflict(pods.store.gr, podName, 'pod is being deleted, cannot be assigned to a host');
    if (pod.spec?.nodeName) throw newConflict(pods.store.gr, podName, `pod ${podName} is already assigned to node "${pod.spec.nodeName}"`);
    pod.spec = { ...(pod.spec ?? {}), nodeName: node };
    for (const [k, v] of Object.entries(binding.metadata?.annotations ?? {})) (pod.metadata.annotations ??= {})[k] = v;
    // setPodHostAndAnnotations: PodScheduled becomes True (a scheduler's Unschedulable reason/message go).
    const conditions = [...(pod.status?.conditions ?? [])];
    const i = conditions.findIndex((c) => c.type === 'PodScheduled');
    const old = i >= 0 ? conditions[i] : undefined;
    const lastTransitionTime = old?.status === 'True' && old.lastTransitionTime ? old.lastTransitionTime : scope.ctx.now().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const scheduled = { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime };
    if (i >= 0) conditions[i] = scheduled;
    else conditions.push(scheduled);
    pod.status = { ...(pod.status ?? {}), conditions };
    return pod;
  }, { isPatch: true, subresource: '', bindingWrite: true });
  writeBody(req, res, 201, successStatus(), negotiate(req.headers.accept, []));
};
