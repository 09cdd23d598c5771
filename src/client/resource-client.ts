// The verbs on one resource, optionally in one namespace (client-go's dynamic
// `Resource(gvr).Namespace(ns)`): get, list, watch, create, update, updateStatus, patch, delete and
// subresources. Everything goes through the HTTP API; nothing here knows the server's internals.
import type { KList, KObject } from '../apimachinery/types.ts';
import { isGone } from './api-error.ts';
import type { KubeClient } from './kube-client.ts';
import {
  PATCH_CONTENT_TYPES, deleteBody, listQuery, watchQuery, writeQuery,
  type CreateOptions, type DeleteOptions, type GetOptions, type ListOptions, type PatchOptions, type PatchType,
  type UpdateOptions, type WatchOptions,
} from './request-options.ts';
import { resourcePath, type ResourceInfo } from './resources.ts';
import type { WatchStream } from './watch-stream.ts';

export interface TypedList<T extends KObject> extends Omit<KList, 'items'> {
  items: T[];
}

/** client-go's pager default. */
export const DEFAULT_PAGE_SIZE = 500;

export class ResourceClient<T extends KObject = KObject> {
  constructor(
    private readonly client: KubeClient,
    readonly info: ResourceInfo,
    readonly namespaceName?: string,
  ) {}

  /** The same resource in namespace ns (ignored for cluster-scoped resources). */
  namespace(ns: string): ResourceClient<T> {
    return new ResourceClient<T>(this.client, this.info, this.info.namespaced ? ns : undefined);
  }

  private path(name?: string, subresource?: string, ns = this.namespaceName): string {
    if (this.info.namespaced && name !== undefined && !ns) {
      throw new Error(`a namespace is required for ${this.info.resource} "${name}"`);
    }
    return resourcePath(this.info, ns, name, subresource);
  }

  private objectNamespace(obj: KObject): string | undefined {
    return this.info.namespaced ? (this.namespaceName ?? obj.metadata?.namespace) : undefined;
  }

  get(name: string, opts: GetOptions = {}): Promise<T> {
    return this.client.request<T>({ method: 'GET', path: this.path(name), query: { resourceVersion: opts.resourceVersion } });
  }

  list(opts: ListOptions = {}, signal?: AbortSignal): Promise<TypedList<T>> {
    return this.client.request<TypedList<T>>({ method: 'GET', path: this.path(), query: listQuery(opts), signal });
  }

  /** Every page of a list, following `continue` (one consistent snapshot: the first page's resourceVersion). */
  async listAll(opts: Omit<ListOptions, 'continue'> = {}, signal?: AbortSignal): Promise<TypedList<T>> {
    const limit = opts.limit ?? DEFAULT_PAGE_SIZE;
    let page = await this.list({ ...opts, limit }, signal);
    const items = [...page.items];
    const first = page;
    while (page.metadata.continue) {
      try {
        page = await this.list({ ...opts, limit, resourceVersion: undefined, resourceVersionMatch: undefined, continue: page.metadata.continue }, signal);
      } catch (err) {
        // The snapshot was compacted while paging: one unpaged list, as client-go's pager falls back to.
        if (isGone(err)) return this.list({ ...opts, limit: undefined }, signal);
        throw err;
      }
      items.push(...page.items);
    }
    return { ...first, metadata: { resourceVersion: first.metadata.resourceVersion }, items };
  }

  watch(opts: WatchOptions = {}): Promise<WatchStream<T>> {
    return this.client.openWatch<T>(this.path(), watchQuery(opts), opts.signal);
  }

  create(obj: T, opts: CreateOptions = {}): Promise<T> {
    return this.client.request<T>({ method: 'POST', path: this.path(undefined, undefined, this.objectNamespace(obj)), query: writeQuery(opts), body: obj });
  }

  /** PUT: a resourceVersion in obj makes it conditional (409 Conflict if the object changed since). */
  update(obj: T, opts: UpdateOptions = {}): Promise<T> {
    return this.client.request<T>({ method: 'PUT', path: this.path(nameOf(obj), undefined, this.objectNamespace(obj)), query: writeQuery(opts), body: obj });
  }

  /** PUT …/status: only status changes are kept by the server. */
  updateStatus(obj: T, opts: UpdateOptions = {}): Promise<T> {
    return this.client.request<T>({ method: 'PUT', path: this.path(nameOf(obj), 'status', this.objectNamespace(obj)), query: writeQuery(opts), body: obj });
  }

  patch(name: string, patch: unknown, type: PatchType = 'merge', opts: PatchOptions & { subresource?: string } = {}): Promise<T> {
    return this.client.request<T>({
      method: 'PATCH', path: this.path(name, opts.subresource), query: writeQuery(opts),
      body: patch, contentType: PATCH_CONTENT_TYPES[type],
    });
  }

  /** The server answers with a Status or (pods, graceful deletes, finalizers) the object as it now is. */
  delete(name: string, opts: DeleteOptions = {}): Promise<T | Record<string, unknown>> {
    return this.client.request({ method: 'DELETE', path: this.path(name), body: deleteBody(opts) });
  }

  deleteCollection(listOpts: ListOptions = {}, opts: DeleteOptions = {}): Promise<unknown> {
    return this.client.request({ method: 'DELETE', path: this.path(), query: listQuery(listOpts), body: deleteBody(opts) });
  }

  getSubresource<R = KObject>(name: string, subresource: string): Promise<R> {
    return this.client.request<R>({ method: 'GET', path: this.path(name, subresource) });
  }

  /** POST to a subresource: pods/binding, pods/eviction. */
  createSubresource<R = unknown>(name: string, subresource: string, body: unknown, opts: CreateOptions = {}): Promise<R> {
    return this.client.request<R>({ method: 'POST', path: this.path(name, subresource), query: writeQuery(opts), body });
  }

  /** PUT to a subresource: …/scale, …/status. */
  updateSubresource<R = unknown>(name: string, subresource: string, body: unknown, opts: UpdateOptions = {}): Promise<R> {
    return this.client.request<R>({ method: 'PUT', path: this.path(name, subresource), query: writeQuery(opts), body });
  }
}

function nameOf(obj: KObject): string {
  const name = obj.metadata?.name;
  if (!name) throw new Error('update needs metadata.name');
  return name;
}
