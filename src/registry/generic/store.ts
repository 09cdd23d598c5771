// The one CRUD path for every resource (upstream: k8s.io/apiserver/pkg/registry/generic/registry.Store).
// Per-resource behaviour comes from the ResourceDefinition's strategy; everything here is generic:
// system metadata, generation, optimistic concurrency, dry-run, finalizers and graceful deletion.
import {
  newAlreadyExists, newBadRequest, newConflict, newInvalid, newNotFound, newResourceExpired, newTimeoutError,
  OPTIMISTIC_LOCK_MESSAGE, StatusError, type FieldError, type GroupResource,
} from '../../apimachinery/errors.ts';
import { omitEmpty } from '../../openapi/omit-empty.ts';
import { deepCopy, type KList, type KObject } from '../../apimachinery/types.ts';
import type {
  ListOptions as StorageListOptions, ListResult as StorageListResult, Preconditions, Storage,
} from '../../storage/interface.ts';
import { apiVersionOfDef, type RequestContext, type ResourceDefinition, type ResourceStrategy } from '../types.ts';
import {
  carrySystemFields, fillSystemFields, generateNameSuffix, rfc3339, validateObjectMeta, validateObjectMetaUpdate,
} from './object-meta.ts';
import { statusStrategy as genericStatusStrategy } from './status-strategy.ts';
import { interpretStorageError } from './storage-errors.ts';
import { decodeContinue, encodeContinue } from './continue-token.ts';

export interface GetOptions { resourceVersion?: string }

export interface ListOptions {
  predicate?: (obj: KObject) => boolean;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: string;
}

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  preconditions?: Preconditions;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  orphanDependents?: boolean;
}

export interface DeleteResult { object: KObject; deleted: boolean }

/** '' for the object itself, 'status', or one of the definition's subresource views (namespaces/finalize). */
export type Subresource = string;

/** Produces the desired object from the current one (update: the client's body; patch: current + patch). */
export type UpdateProducer = (current: KObject | undefined) => KObject | Promise<KObject>;

const MAX_GENERATE_NAME_ATTEMPTS = 8;

export class GenericStore {
  readonly gr: GroupResource;
  readonly gk: { group: string; kind: string };
  readonly apiVersion: string;
  private readonly root: string;

  constructor(
    readonly def: ResourceDefinition,
    private readonly storage: Storage,
    private readonly now: () => Date = () => new Date(),
    /** The random suffix of generateName (injectable so a name clash can be tested). */
    private readonly generateSuffix: () => string = generateNameSuffix,
  ) {
    this.gr = { group: def.group, resource: def.resource };
    this.gk = { group: def.group, kind: def.kind };
    this.apiVersion = apiVersionOfDef(def);
    this.root = `/registry/${(def.storageGroup ?? def.group) || 'core'}/${def.storagePrefix ?? def.resource}/`;
  }

  key(namespace: string, name: string): string {
    return this.def.namespaced ? `${this.root}${namespace}/${name}` : `${this.root}${name}`;
  }

  /** The prefix holding every object of the namespace ('' = all namespaces). */
  prefix(namespace: string): string {
    return this.def.namespaced && namespace ? `${this.root}${namespace}/` : this.root;
  }

  currentRevision(): number { return this.storage.currentRevision(); }

  /** Let the strategy rebuild in-memory state (allocators) from what is stored. */
  async restore(): Promise<void> {
    const restore = this.def.strategy.restore;
    if (!restore) return;
    const all = await this.storage.list(this.root, { recursive: true });
    for (const o of all.items) restore(o);
  }

  // ---- conversion between the served version and the stored one (only multi-version resources)
  toExternal(stored: KObject): KObject {
    const obj = this.def.convertFromStorage ? this.def.convertFromStorage(stored) : stored;
    obj.apiVersion = this.apiVersion;
    obj.kind = this.def.kind;
    return obj;
  }

  private toStorage(obj: KObject): KObject {
    return this.def.convertToStorage ? this.def.convertToStorage(obj) : obj;
  }

  /** A stored object's JSON text as served: the stored text itself whenever toExternal would not change it. */
  externalJson(storedJson: string): string {
    return this.servesStoredJson(storedJson) ? storedJson : JSON.stringify(this.toExternal(JSON.parse(storedJson) as KObject));
  }

  /** No conversion, and the text already starts with the served apiVersion and kind: toExternal is a no-op. */
  servesStoredJson(storedJson: string): boolean {
    this.storedJsonPrefix ??= `{"apiVersion":${JSON.stringify(this.apiVersion)},"kind":${JSON.stringify(this.def.kind)},`;
    return !this.def.convertFromStorage && storedJson.startsWith(this.storedJsonPrefix);
  }
  private storedJsonPrefix: string | undefined;

  private strategyFor(sub: Subresource): ResourceStrategy {
    if (sub === '') return this.def.strategy;
    if (sub === 'status') return this.def.statusStrategy ?? genericStatusStrategy;
    const view = this.def.subresources?.views?.[sub];
    if (!view) throw new Error(`${this.def.resource}/${sub} is not a subresource view`);
    return view;
  }

  private invalid(name: string, errs: FieldError[]): StatusError {
    return newInvalid(this.gk, name, errs);
  }

  private omitEmpty(obj: KObject): void {
    if (this.def.openapiModel) omitEmpty(obj, this.def.openapiModel);
  }

  // ---- create
  async create(ctx: RequestContext, input: KObject): Promise<KObject> {
    if (this.def.virtual) return this.evaluate(ctx, input);
    const generating = !input.metadata?.name && !!input.metadata?.generateName;
    const s = this.def.strategy;
    for (let attempt = 0; ; attempt++) {
      // Each attempt prepares a fresh copy (upstream: BeforeCreate on a deep copy per attempt), so
      // everything derived from the generated name (Job's job-name labels) follows a retried name.
      const obj = await this.prepareCreate(ctx, input, generating);
      try {
        if (ctx.dryRun) {
          s.abortCreate?.(obj);
          if (await this.storage.get(this.key(ctx.namespace, obj.metadata.name!))) throw newAlreadyExists(this.gr, obj.metadata.name!);
          return obj;
        }
        const stored = await this.storage.create(this.key(ctx.namespace, obj.metadata.name!), this.toStorage(obj));
        const out = this.toExternal(stored);
        await s.afterCreate?.(out, ctx);
        return out;
      } catch (err) {
        const st = err instanceof StatusError ? err : interpretStorageError(err, this.gr, obj.metadata.name!);
        if (!ctx.dryRun) s.abortCreate?.(obj);
        // A generated name that collides is retried with a new suffix, as upstream does.
        if (generating && st.reason === 'AlreadyExists' && attempt < MAX_GENERATE_NAME_ATTEMPTS) continue;
        throw st;
      }
    }
  }

  /** Name, system fields, defaults, the strategy's preparation and validation of a new object. */
  private async prepareCreate(ctx: RequestContext, input: KObject, generating: boolean): Promise<KObject> {
    const obj = deepCopy(input);
    this.omitEmpty(obj);
    obj.metadata ??= {};
    obj.apiVersion = this.apiVersion;
    obj.kind = this.def.kind;
    if (this.def.namespaced) obj.metadata.namespace = ctx.namespace;
    else delete obj.metadata.namespace;
    delete obj.metadata.resourceVersion;
    fillSystemFields(obj, this.now());
    const s = this.def.strategy;
    // The name is generated before the strategy runs: some derive labels from it (Job's job-name).
    if (generating) obj.metadata.name = obj.metadata.generateName + this.generateSuffix();
    s.defaults?.(obj);
    await s.prepareForCreate?.(obj, ctx);
    if (obj.spec !== undefined || s.specChanged) obj.metadata.generation = 1;
    else delete obj.metadata.generation;
    const errs = [...validateObjectMeta(obj, this.def), ...(s.validate?.(obj, ctx) ?? [])];
    if (errs.length) { s.abortCreate?.(obj); throw this.invalid(obj.metadata.name ?? '', errs); }
    s.canonicalize?.(obj);
    return obj;
  }

  /** A virtual resource's create: validated and answered by the strategy; nothing is stored. */
  private async evaluate(ctx: RequestContext, input: KObject): Promise<KObject> {
    const s = this.def.strategy;
    const obj = deepCopy(input);
    obj.apiVersion = this.apiVersion;
    obj.kind = this.def.kind;
    obj.metadata ??= {};
    // rest.EnsureObjectNamespaceMatchesRequestNamespace: the request's namespace, none when cluster-scoped.
    if (this.def.namespaced) obj.metadata.namespace = ctx.namespace;
    else delete obj.metadata.namespace;
    s.defaults?.(obj);
    // Upstream's review REST storages name no object in their Invalid errors.
    const errs = s.validate?.(obj, ctx) ?? [];
    if (errs.length) throw this.invalid('', errs);
    if (!s.evaluate) throw new Error(`virtual resource ${this.def.resource} has no evaluate`);
    const { apiVersion: _a, kind: _k, metadata, ...rest } = await s.evaluate(obj, ctx);
    // ObjectMeta is a struct in Go: an unset creationTimestamp is printed as null.
    const meta = { ...(metadata ?? {}) } as Record<string, unknown>;
    if (meta.creationTimestamp === undefined) meta.creationTimestamp = null;
    return { apiVersion: this.apiVersion, kind: this.def.kind, metadata: meta, ...rest } as KObject;
  }

  // ---- get / list
  async get(ctx: RequestContext, name: string, opts: GetOptions = {}): Promise<KObject> {
    return this.toExternal(JSON.parse(await this.getStored(ctx, name, opts)) as KObject);
  }

  /** get, as the served JSON text (for reads that only write it out: no parse or copy when none is needed). */
  async getJson(ctx: RequestContext, name: string, opts: GetOptions = {}): Promise<string> {
    return this.externalJson(await this.getStored(ctx, name, opts));
  }

  private async getStored(ctx: RequestContext, name: string, opts: GetOptions): Promise<string> {
    const revision = this.readRevision(opts.resourceVersion, undefined);
    let stored: string | undefined;
    try {
      stored = await this.storage.getRaw(this.key(ctx.namespace, name), revision ? { revision } : undefined);
    } catch (err) {
      throw interpretStorageError(err, this.gr, name);
    }
    if (stored === undefined) throw newNotFound(this.gr, name);
    return stored;
  }

  /** resourceVersion semantics of get/list: unset or "0" = latest; Exact = that revision; NotOlderThan = latest if new enough. */
  private readRevision(rv: string | undefined, match: string | undefined): number | undefined {
    if (rv === undefined || rv === '' || rv === '0') {
      if (match === 'Exact') throw newBadRequest('resourceVersionMatch "Exact" is forbidden for resourceVersion "0"');
      return undefined;
    }
    const n = parseResourceVersion(rv);
    const current = this.storage.currentRevision();
    if (n > current) throw newTimeoutError(`Too large resource version: ${n}, current: ${current}`, 1);
    if (match === 'Exact') {
      if (n < this.storage.compactedRevision()) throw newResourceExpired(`too old resource version: ${n} (${this.storage.compactedRevision()})`);
      return n;
    }
    return undefined;
  }

  async list(ctx: RequestContext, opts: ListOptions = {}): Promise<KList> {
    const { head, items } = await this.listStored(ctx, opts, (prefix, o) => this.storage.list(prefix, o));
    return { ...head, items: items.map((o) => this.toExternal(o)) };
  }

  /** list for serving: the list without its items, and each item as its served JSON text. */
  async listJson(ctx: RequestContext, opts: ListOptions = {}): Promise<{ head: Omit<KList, 'items'>; items: string[] }> {
    const { head, items } = await this.listStored(ctx, opts, (prefix, o) => this.storage.listRaw(prefix, o));
    return { head, items: items.map((j) => this.externalJson(j)) };
  }

  private async listStored<T>(
    ctx: RequestContext, opts: ListOptions, read: (prefix: string, o: StorageListOptions) => Promise<StorageListResult<T>>,
  ): Promise<{ head: Omit<KList, 'items'>; items: T[] }> {
    if (opts.resourceVersionMatch && !['Exact', 'NotOlderThan'].includes(opts.resourceVersionMatch)) {
      throw newBadRequest(`resourceVersionMatch: Unsupported value: "${opts.resourceVersionMatch}": supported values: "Exact", "NotOlderThan"`);
    }
    if (opts.resourceVersionMatch && opts.resourceVersion === undefined) {
      throw newBadRequest('resourceVersionMatch is forbidden unless resourceVersion is provided');
    }
    let revision: number | undefined;
    let startAfterKey: string | undefined;
    const prefix = this.prefix(ctx.namespace);
    if (opts.continue) {
      if (opts.resourceVersion && opts.resourceVersion !== '0') throw newBadRequest('specifying resource version is not allowed when using continue');
      const tok = decodeContinue(opts.continue);
      if (tok.rv < this.storage.compactedRevision()) throw continueExpired();
      revision = tok.rv;
      startAfterKey = prefix + tok.start;
    } else {
      revision = this.readRevision(opts.resourceVersion, opts.resourceVersionMatch);
    }
    // Selectors name the served version's fields: a converted resource is matched in that shape.
    const pred = opts.predicate;
    const predicate = pred && this.def.convertFromStorage ? (o: KObject) => pred(this.toExternal(deepCopy(o))) : pred;
    let res;
    try {
      res = await read(prefix, {
        revision, startAfterKey, limit: opts.limit && opts.limit > 0 ? opts.limit : undefined, predicate, recursive: true,
      });
    } catch (err) {
      const st = interpretStorageError(err, this.gr, '');
      if (opts.continue && st.reason === 'Expired') throw continueExpired();
      throw st;
    }
    const head: Omit<KList, 'items'> = {
      apiVersion: this.apiVersion,
      kind: `${this.def.kind}List`,
      metadata: { resourceVersion: String(res.revision) },
    };
    if (res.continueKey !== undefined) {
      head.metadata.continue = encodeContinue(res.revision, res.continueKey.slice(prefix.length));
      if (res.remainingItemCount !== undefined && !opts.predicate) head.metadata.remainingItemCount = res.remainingItemCount;
    }
    return { head, items: res.items };
  }

  // ---- update (PUT, PATCH, /status): one compare-and-swap path
  async update(ctx: RequestContext, name: string, produce: UpdateProducer, opts: { subresource?: Subresource; forceAllowCreate?: boolean; isPatch?: boolean; bindingWrite?: boolean } = {}): Promise<{ object: KObject; created: boolean }> {
    const sub = opts.subresource ?? '';
    const s = this.strategyFor(sub);
    const key = this.key(ctx.namespace, name);
    // Only whether it exists matters here (and, for a dry run, the object): no parse for a real update.
    const existing = await this.storage.getRaw(key);
    if (existing === undefined) {
      const allowCreate = !opts.isPatch && sub === '' && (opts.forceAllowCreate || this.def.strategy.allowCreateOnUpdate);
      if (!allowCreate) throw newNotFound(this.gr, name);
      const obj = await produce(undefined);
      if (obj.metadata?.resourceVersion) throw newNotFound(this.gr, name);
      obj.metadata ??= {};
      obj.metadata.name = name;
      return { object: await this.create(ctx, obj), created: true };
    }
    // Storage hands tryUpdate a private copy on every attempt.
    const tryUpdate = async (currentStored: KObject): Promise<KObject> => {
      const current = this.toExternal(currentStored);
      const next = deepCopy(await produce(deepCopy(current)));
      this.omitEmpty(next);
      next.metadata ??= {};
      next.apiVersion = this.apiVersion;
      next.kind = this.def.kind;
      const rv = next.metadata.resourceVersion;
      if (rv !== undefined && rv !== '' && rv !== current.metadata.resourceVersion) {
        throw newConflict(this.gr, name, OPTIMISTIC_LOCK_MESSAGE);
      }
      if ((rv === undefined || rv === '') && !opts.isPatch && s.allowUnconditionalUpdate === false) {
        throw newInvalid(this.gk, name, [{ type: 'FieldValueInvalid', field: 'metadata.resourceVersion', badValue: '', detail: 'must be specified for an update' }]);
      }
      if (this.def.namespaced) next.metadata.namespace ??= ctx.namespace;
      // A uid in a PUT body is a storage precondition upstream (409); in a patch it must not change
      // (422, from the metadata update validation below). Controllers rely on both to adopt safely.
      const uid = next.metadata.uid;
      if (uid && uid !== current.metadata.uid && !opts.isPatch) {
        throw newConflict(this.gr, name, `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${current.metadata.uid}`);
      }
      carrySystemFields(next, current);
      s.defaults?.(next);
      // A binding is a system write of spec.nodeName, which the pod update validation forbids.
      if (opts.bindingWrite) return this.toStorage(Object.assign(next, { metadata: { ...next.metadata, resourceVersion: current.metadata.resourceVersion } }));
      await s.prepareForUpdate?.(next, current, ctx);
      const errs = [
        ...validateObjectMeta(next, this.def), ...validateObjectMetaUpdate(next, current),
        ...(s.validate?.(next, ctx) ?? []), ...(s.validateUpdate?.(next, current, ctx) ?? []),
      ];
      if (errs.length) throw this.invalid(name, errs);
      if (sub === '' && current.metadata.generation !== undefined) {
        const changed = s.specChanged ? s.specChanged(next, current) : specChangedDefault(next, current);
        next.metadata.generation = (current.metadata.generation ?? 0) + (changed ? 1 : 0);
      }
      s.canonicalize?.(next);
      next.metadata.resourceVersion = current.metadata.resourceVersion;
      return this.toStorage(next);
    };
    if (ctx.dryRun) {
      return { object: this.toExternal(await tryUpdate(JSON.parse(existing) as KObject)), created: false };
    }
    let stored: KObject;
    try {
      stored = await this.storage.guaranteedUpdate(key, tryUpdate);
    } catch (err) {
      throw interpretStorageError(err, this.gr, name);
    }
    // The last finalizer removed from an object being deleted completes the deletion.
    if (stored.metadata.deletionTimestamp && !(stored.metadata.finalizers?.length) && !stored.metadata.deletionGracePeriodSeconds
      && !this.def.strategy.pendingFinalizers?.(stored)) {
      try {
        const gone = await this.storage.delete(key, { preconditions: { uid: stored.metadata.uid } });
        this.def.strategy.afterDelete?.(gone);
        return { object: this.toExternal(gone), created: false };
      } catch (err) {
        const st = interpretStorageError(err, this.gr, name);
        if (st.reason !== 'NotFound') throw st;
      }
    }
    return { object: this.toExternal(stored), created: false };
  }

  // ---- delete: graceful, finalizers, propagation
  async delete(ctx: RequestContext, name: string, opts: DeleteOptions = {}): Promise<DeleteResult> {
    const key = this.key(ctx.namespace, name);
    const currentStored = await this.storage.get(key);
    if (!currentStored) throw newNotFound(this.gr, name);
    const current = this.toExternal(currentStored);
    checkPreconditions(this.gr, name, current, opts.preconditions);
    if (opts.gracePeriodSeconds !== undefined && opts.gracePeriodSeconds < 0) {
      throw newInvalid(this.gk, name, [{ type: 'FieldValueInvalid', field: 'gracePeriodSeconds', badValue: opts.gracePeriodSeconds, detail: 'must be greater than or equal to 0' }]);
    }
    const s = this.def.strategy;
    let grace = opts.gracePeriodSeconds ?? s.defaultGracePeriodSeconds?.(current) ?? 0;
    const deleting = !!current.metadata.deletionTimestamp;
    if (deleting) {
      // Already being deleted gracefully: only a shorter grace period changes anything, and the
      // finalizers stay as they are (rest.BeforeDelete's pendingGraceful).
      const pendingGrace = current.metadata.deletionGracePeriodSeconds ?? 0;
      if (pendingGrace > 0 && grace >= pendingGrace) return { object: current, deleted: false };
      if (pendingGrace === 0) grace = 0;
    }
    const finalizers = deletionFinalizers(current, opts, s.defaultDeletePropagation);
    const finalizersChanged = !sameSet(finalizers, current.metadata.finalizers ?? []);
    const pendingFinalizers = finalizers.length > 0 || !!s.pendingFinalizers?.(current);
    if (!pendingFinalizers && grace === 0) {
      if (ctx.dryRun) return { object: current, deleted: true };
      try {
        const gone = await this.storage.delete(key, { preconditions: { uid: current.metadata.uid, resourceVersion: opts.preconditions?.resourceVersion } });
        this.def.strategy.afterDelete?.(gone);
        return { object: this.toExternal(gone), deleted: true };
      } catch (err) {
        throw interpretStorageError(err, this.gr, name);
      }
    }
    // Waiting on finalizers already, and this delete changes none of them: nothing to write.
    if (deleting && grace === 0 && !finalizersChanged) return { object: current, deleted: false };
    const markDeleting = (obj: KObject): KObject => {
      const now = this.now();
      const m = obj.metadata;
      const deadline = new Date(now.getTime() + grace * 1000);
      // The first deletion request moves the generation (markAsDeleting, rest.BeforeDelete).
      if (!m.deletionTimestamp && m.generation !== undefined) m.generation += 1;
      if (!m.deletionTimestamp || grace < (m.deletionGracePeriodSeconds ?? 0)) m.deletionTimestamp = rfc3339(deadline);
      m.deletionGracePeriodSeconds = grace;
      m.finalizers = [...finalizers];
      if (m.finalizers.length === 0) delete m.finalizers;
      s.prepareForDelete?.(obj);
      return obj;
    };
    if (ctx.dryRun) return { object: markDeleting(deepCopy(current)), deleted: false };
    try {
      const stored = await this.storage.guaranteedUpdate(key, (cur) => this.toStorage(markDeleting(this.toExternal(cur))), {
        preconditions: { uid: current.metadata.uid, resourceVersion: opts.preconditions?.resourceVersion },
      });
      return { object: this.toExternal(stored), deleted: false };
    } catch (err) {
      throw interpretStorageError(err, this.gr, name);
    }
  }

  async deleteCollection(ctx: RequestContext, listOpts: ListOptions, opts: DeleteOptions): Promise<KList> {
    const list = await this.list(ctx, { predicate: listOpts.predicate });
    const items: KObject[] = [];
    for (const item of list.items) {
      try {
        const r = await this.delete({ ...ctx, namespace: item.metadata.namespace ?? '' }, item.metadata.name!, opts);
        items.push(r.object);
      } catch (err) {
        if (!(err instanceof StatusError && err.reason === 'NotFound')) throw err;
      }
    }
    return { ...list, items };
  }
}

const FINALIZER_ORPHAN = 'orphan';
const FINALIZER_FOREGROUND = 'foregroundDeletion';

/**
 * The finalizers an object keeps when deleted with these options (upstream's
 * deletionFinalizersForGarbageCollection): an explicit policy decides orphan/foregroundDeletion,
 * else the finalizers already on the object, else the resource's default (orphan for a few kinds).
 */
function deletionFinalizers(obj: KObject, opts: DeleteOptions, defaultPolicy: ResourceStrategy['defaultDeletePropagation']): string[] {
  const existing = obj.metadata.finalizers ?? [];
  let policy = opts.orphanDependents !== undefined ? (opts.orphanDependents ? 'Orphan' : 'Background') : opts.propagationPolicy;
  if (!policy) {
    if (existing.includes(FINALIZER_ORPHAN)) policy = 'Orphan';
    else if (existing.includes(FINALIZER_FOREGROUND)) policy = 'Foreground';
    else policy = defaultPolicy === 'Orphan' ? 'Orphan' : 'Background';
  }
  const kept = existing.filter((f) => f !== FINALIZER_ORPHAN && f !== FINALIZER_FOREGROUND);
  if (policy === 'Orphan') kept.push(FINALIZER_ORPHAN);
  if (policy === 'Foreground') kept.push(FINALIZER_FOREGROUND);
  return kept;
}

function sameSet(a: string[], b: string[]): boolean {
  const sa = new Set(a);
  const sb = new Set(b);
  return sa.size === sb.size && [...sa].every((x) => sb.has(x));
}

function continueExpired(): StatusError {
  return newResourceExpired('The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.');
}

export function parseResourceVersion(rv: string): number {
  if (!/^\d+$/.test(rv)) throw newBadRequest(`invalid resource version "${rv}"`);
  return Number(rv);
}

function checkPreconditions(gr: GroupResource, name: string, obj: KObject, p?: Preconditions): void {
  if (!p) return;
  if (p.uid && p.uid !== obj.metadata.uid) {
    throw newConflict(gr, name, `Precondition failed: UID in precondition: ${p.uid}, UID in object meta: ${obj.metadata.uid}`);
  }
  if (p.resourceVersion && p.resourceVersion !== obj.metadata.resourceVersion) {
    throw newConflict(gr, name, `Precondition failed: ResourceVersion in precondition: ${p.resourceVersion}, ResourceVersion in object meta: ${obj.metadata.resourceVersion}`);
  }
}

/** Default: the generation moves when anything outside metadata and status changed. */
function specChangedDefault(a: KObject, b: KObject): boolean {
  const strip = (o: KObject) => { const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = o; return rest; };
  return JSON.stringify(strip(a)) !== JSON.stringify(strip(b));
}
