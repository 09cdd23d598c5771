// Routes a parsed resource request to the verb handler (upstream: the installer's route table).
import type { Request, Response } from 'express';
import { newMethodNotAllowed, newNotFound, newPathNotFound } from '../apimachinery/errors.ts';
import type { Registry } from '../registry/registry.ts';
import type { UserInfo } from './authn/types.ts';
import { createBinding } from './handlers/binding.ts';
import { createResource } from './handlers/create.ts';
import { deleteCollection, deleteResource } from './handlers/delete.ts';
import { isDryRun } from './handlers/dry-run.ts';
import { getResource } from './handlers/get.ts';
import { listResource } from './handlers/list.ts';
import { patchResource } from './handlers/patch.ts';
import { getScale, updateScale } from './handlers/scale.ts';
import type { Handler, Scope } from './handlers/scope.ts';
import { updateResource } from './handlers/update.ts';
import { watchResource } from './handlers/watch.ts';
import { describeSubresource } from './discovery/subresource-catalog.ts';
import type { RequestInfo } from './request-info.ts';
import type { WatchRegistry } from './watch-registry.ts';

const MAIN: Record<string, Handler> = {
  get: getResource, list: listResource, watch: watchResource, create: createResource,
  update: updateResource, patch: patchResource, delete: deleteResource, deletecollection: deleteCollection,
};

const VIEW_HANDLERS: Record<string, Handler> = { get: getResource, update: updateResource, patch: patchResource };

const DEFAULT_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

// The routes upstream installs per path (a verb the resource does not serve has no route): a method
// without a route on a path that has others is 405, a path without any route is 404.
const COLLECTION_VERBS = ['list', 'watch', 'create', 'deletecollection'];
const ITEM_VERBS = ['get', 'watch', 'update', 'patch', 'delete'];

export interface DispatchDeps {
  registry: Registry;
  watches: WatchRegistry;
  now: () => Date;
  /**
   * Resources and subresources served by handlers of their own instead of the generic store, keyed
   * "group/resource" or "group/resource/subresource" (the kubelet proxies, metrics.k8s.io).
   */
  handlers?: Map<string, Handler>;
}

export async function dispatch(req: Request, res: Response, info: RequestInfo, user: UserInfo | null, deps: DispatchDeps): Promise<void> {
  const served = deps.registry.lookup(info.group, info.version, info.resource);
  if (!served) throw newPathNotFound();
  const { def } = served;
  if (!def.namespaced && info.namespace && info.resource !== 'namespaces') throw newPathNotFound();
  const verbs = def.verbs ?? DEFAULT_VERBS;
  const scope: Scope = {
    ...served, info, registry: deps.registry, watches: deps.watches, now: deps.now,
    ctx: { namespace: def.namespaced ? info.namespace : '', user: user ?? undefined, dryRun: false, now: deps.now },
  };
  const writes = ['create', 'update', 'patch', 'delete', 'deletecollection'];
  if (writes.includes(info.verb)) scope.ctx.dryRun = isDryRun(req, info.verb);
  const own = deps.handlers?.get(`${def.group}/${def.resource}${info.subresource ? `/${info.subresource}` : ''}`);
  if (own) return own(req, res, scope);

  if (info.subresource) {
    const sub = info.subresource;
    if (sub === 'status' && def.subresources?.status) {
      if (info.verb === 'get') return getResource(req, res, scope);
      if (info.verb === 'update') return updateResource(req, res, scope);
      if (info.verb === 'patch') return patchResource(req, res, scope);
      throw newMethodNotAllowed();
    }
    if (sub === 'scale' && def.subresources?.scale) {
      if (info.verb === 'get') return getScale(req, res, scope);
      if (info.verb === 'update' || info.verb === 'patch') return updateScale(req, res, scope);
      throw newMethodNotAllowed();
    }
    if (sub === 'binding' && def.resource === 'pods' && def.group === '' && info.verb === 'create') {
      return createBinding(req, res, scope);
    }
    if (def.subresources?.views?.[sub]) {
      // Served by the generic handlers with the view's strategy; only the verbs upstream routes for it.
      const handler = VIEW_HANDLERS[info.verb];
      if (!handler || !describeSubresource(def, sub).verbs.includes(info.verb)) throw newMethodNotAllowed();
      return handler(req, res, scope);
    }
    if (def.subresources?.custom?.includes(sub)) {
      throw newNotFound({ group: def.group, resource: `${def.resource}/${sub}` }, info.name);
    }
    throw newPathNotFound();
  }
  const routed = (info.name ? ITEM_VERBS : COLLECTION_VERBS).filter((v) => verbs.includes(v));
  const handler = MAIN[info.verb];
  if (!handler || !routed.includes(info.verb)) throw routed.length ? newMethodNotAllowed() : newPathNotFound();
  if (def.resource === 'bindings' && def.group === '' && info.verb === 'create') return createBinding(req, res, scope);
  return handler(req, res, scope);
}
