// Namespace lifecycle admission (upstream NamespaceLifecycle): no new objects in a namespace that
// does not exist or is being terminated.
import { newForbidden, newNotFound } from '../apimachinery/errors.ts';
import type { Registry } from '../registry/registry.ts';
import type { RequestContext, ResourceDefinition } from '../registry/types.ts';

// Access reviews are always admitted: answering about the namespace would leak whether it exists.
const ACCESS_REVIEWS = new Set(['authorization.k8s.io/localsubjectaccessreviews']);

export async function admitNamespace(registry: Registry, def: ResourceDefinition, ctx: RequestContext, name: string): Promise<void> {
  if (!def.namespaced || !ctx.namespace) return;
  if (ACCESS_REVIEWS.has(`${def.group}/${def.resource}`)) return;
  const ns = registry.lookup('', 'v1', 'namespaces');
  if (!ns) return;
  let obj;
  try {
    obj = await ns.store.get({ ...ctx, namespace: '' }, ctx.namespace);
  } catch {
    throw newNotFound({ group: '', resource: 'namespaces' }, ctx.namespace);
  }
  const phase = (obj.status as { phase?: string } | undefined)?.phase;
  if (obj.metadata.deletionTimestamp || phase === 'Terminating') {
    const err = newForbidden({ group: def.group, resource: def.resource }, name, `unable to create new content in namespace ${ctx.namespace} because it is being terminated`);
    // The cause controllers look for to stop retrying (upstream v1.NamespaceTerminatingCause).
    err.status.details = { ...err.status.details, causes: [{ reason: 'NamespaceTerminating', message: `namespace ${ctx.namespace} is being terminated`, field: 'metadata.namespace' }] };
    throw err;
  }
}
