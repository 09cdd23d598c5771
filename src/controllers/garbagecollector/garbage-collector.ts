// The garbage collector (upstream pkg/controller/garbagecollector): monitors every resource that can
// be listed, watched and deleted (found through discovery, again every 30s for new custom
// resources), keeps the ownerReferences graph by uid, and
//  - deletes dependents whose owners are all gone (background cascading; "dangling" references),
//  - for an owner deleted in the foreground (finalizer foregroundDeletion) deletes its dependents
//    and removes the finalizer once no dependent with blockOwnerDeletion is left,
//  - for an owner deleted with propagationPolicy Orphan (finalizer orphan) strips the reference
//    from its dependents, then removes the finalizer.
// Decisions about an owner's absence are always confirmed with a live GET, never from the cache.
import type { KObject, OwnerReference } from '../../apimachinery/types.ts';
import { parseApiVersion } from '../../apimachinery/types.ts';
import { isNotFound } from '../../client/api-error.ts';
import { objectOf } from '../../client/cache/keys.ts';
import { discoverResources } from '../../client/discovery.ts';
import type { KubeClient } from '../../client/kube-client.ts';
import type { ResourceClient } from '../../client/resource-client.ts';
import { gvrKey, type ResourceInfo } from '../../client/resources.ts';
import type { TimerHandle } from '../../client/clock.ts';
import type { ControllerContext, ControllerDescriptor, RunningController } from '../../components/controller-manager/controller-context.ts';
import { Controller } from '../framework/controller.ts';
import { describeError } from '../framework/describe-error.ts';
import {
  DependencyGraph, FINALIZER_DELETE_DEPENDENTS, FINALIZER_ORPHAN, isDeletingDependents, isOrphaningDependents, type GraphNode,
} from './graph.ts';
import { removeFinalizer, removeOwnerReferences, unblockOwnerReference } from './metadata-patch.ts';

/** Upstream's --concurrent-gc-syncs default. */
const GC_WORKERS = 20;
/** How often discovery is re-read for resources to monitor (upstream's ResourceResyncTime). */
const RESOURCE_RESYNC_MS = 30_000;
/** Resources the collector never looks at (upstream's DefaultIgnoredResources). */
const IGNORED = new Set(['/events', 'events.k8s.io/events']);

/** Listable, watchable and deletable, not ignored: what the collector monitors. */
export function isGarbageCollectable(info: ResourceInfo): boolean {
  const verbs = info.verbs ?? [];
  return ['list', 'watch', 'delete', 'get'].every((v) => verbs.includes(v)) && !IGNORED.has(`${info.group}/${info.resource}`);
}

type OwnerState = 'solid' | 'dangling' | 'waiting';

export class GarbageCollector {
  readonly graph: DependencyGraph;
  private readonly attemptToDelete: Controller;
  private readonly attemptToOrphan: Controller;
  private readonly monitored = new Set<string>();
  private resyncTimer?: TimerHandle;
  private stopped = false;

  constructor(private readonly ctx: ControllerContext) {
    this.graph = new DependencyGraph({
      attemptToDelete: (uid) => this.attemptToDelete.enqueue(uid),
      attemptToOrphan: (uid) => this.attemptToOrphan.enqueue(uid),
    });
    this.attemptToDelete = new Controller({
      name: 'garbage_collector_attempt_to_delete', reconcile: (uid) => this.attemptToDeleteItem(uid),
      workers: GC_WORKERS, clock: ctx.clock, log: ctx.log,
    });
    this.attemptToOrphan = new Controller({
      name: 'garbage_collector_attempt_to_orphan', reconcile: (uid) => this.attemptToOrphanItem(uid),
      workers: GC_WORKERS, clock: ctx.clock, log: ctx.log,
    });
  }

  private get client(): KubeClient { return this.ctx.client; }

  /** Discovers the resources, starts monitoring them; workers start once every monitor has listed. */
  async start(): Promise<void> {
    const infos = await this.syncMonitors();
    const informers = infos.map((info) => this.ctx.informers.forResource(info));
    const caches = { whenSynced: async (signal?: AbortSignal) => (await Promise.all(informers.map((i) => i.whenSynced(signal)))).every(Boolean) };
    // Controller gates its workers on caches given at construction; wait here instead.
    void caches.whenSynced().then((ok) => {
      if (!ok || this.stopped) return;
      this.ctx.log('all resource monitors have synced; proceeding to collect garbage');
      void this.attemptToDelete.run();
      void this.attemptToOrphan.run();
    });
    this.scheduleResync();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.resyncTimer) this.ctx.clock.clearTimeout(this.resyncTimer);
    await Promise.all([this.attemptToDelete.stop(), this.attemptToOrphan.stop()]);
  }

  private scheduleResync(): void {
    if (this.stopped) return;
    this.resyncTimer = this.ctx.clock.setTimeout(() => {
      this.syncMonitors().catch((err) => this.ctx.log(`failed to discover resources: ${describeError(err)}`)).finally(() => this.scheduleResync());
    }, RESOURCE_RESYNC_MS);
  }

  /** Monitors every collectable resource not monitored yet; returns those newly added. */
  private async syncMonitors(): Promise<ResourceInfo[]> {
    const infos = (await discoverResources(this.client, { preferredOnly: true })).filter(isGarbageCollectable);
    const added: ResourceInfo[] = [];
    for (const info of infos) {
      const key = gvrKey(info);
      if (this.monitored.has(key) || this.stopped) continue;
      this.monitored.add(key);
      added.push(info);
      this.ctx.informers.forResource(info).addEventHandler({
        onAdd: (obj) => this.graph.observe(obj, info),
        onUpdate: (_old, obj) => this.graph.observe(obj, info),
        onDelete: (obj) => this.graph.forget(objectOf(obj)),
      });
    }
    return added;
  }

  private itemClient(node: { info: ResourceInfo; namespace?: string }): ResourceClient {
    const c = this.client.resource(node.info);
    return node.namespace ? c.namespace(node.namespace) : c;
  }

  // ---- attemptToDelete (upstream attemptToDeleteItem) --------------------------------------

  private async attemptToDeleteItem(uid: string): Promise<void> {
    const node = this.graph.node(uid);
    if (!node) return;
    if (node.deletionTimestamp && !isDeletingDependents(node)) return;
    // Cheap check from the graph: every owner seen and none deleting its dependents → nothing to do.
    if (!isDeletingDependents(node) && node.owners.every((r) => {
      const owner = this.graph.node(r.uid);
      return owner && !isDeletingDependents(owner);
    })) return;

    const client = this.itemClient(node);
    let latest: KObject;
    try {
      latest = await client.get(node.name);
    } catch (err) {
      if (isNotFound(err)) return; // the monitor will report the deletion
      throw err;
    }
    if (latest.metadata.uid !== uid) return;
    if (isDeletingDependents(latest.metadata)) return this.processDeletingDependents(node);
    if (latest.metadata.deletionTimestamp) return;

    const refs = latest.metadata.ownerReferences ?? [];
    if (refs.length === 0) return;
    const states = await Promise.all(refs.map((r) => this.ownerState(r, latest)));
    const byState = (s: OwnerState) => refs.filter((_, i) => states[i] === s);
    const solid = byState('solid');
    const dangling = byState('dangling');
    const waiting = byState('waiting');

    if (solid.length > 0) {
      // Still owned: only drop the references to owners that are gone or deleting their dependents.
      if (dangling.length === 0 && waiting.length === 0) return;
      await removeOwnerReferences(client, node.name, uid, new Set([...dangling, ...waiting].map((r) => r.uid)));
      return;
    }
    const dependents = this.graph.dependents(uid);
    if (waiting.length > 0 && dependents.length > 0) {
      // An owner waits for us and we have dependents: delete in the foreground too, after unblocking
      // dependents that themselves wait (a cycle would never finish otherwise).
      for (const dep of dependents) {
        if (isDeletingDependents(dep)) await unblockOwnerReference(this.itemClient(dep), dep.name, dep.uid, uid);
      }
      await this.deleteItem(client, node, 'Foreground');
      return;
    }
    const finalizers = latest.metadata.finalizers ?? [];
    const policy = finalizers.includes(FINALIZER_ORPHAN) ? 'Orphan' : finalizers.includes(FINALIZER_DELETE_DEPENDENTS) ? 'Foreground' : 'Background';
    await this.deleteItem(client, node, policy);
  }

  private async deleteItem(client: ResourceClient, node: GraphNode, policy: 'Orphan' | 'Foreground' | 'Background'): Promise<void> {
    this.ctx.log(`deleting ${node.info.kind} ${node.namespace ? `${node.namespace}/` : ''}${node.name} (uid ${node.uid}) with propagationPolicy ${policy}`);
    try {
      await client.delete(node.name, { propagationPolicy: policy, preconditions: { uid: node.uid } });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  /** An owner is solid (exists, not deleting its dependents), dangling (absent) or waiting for its dependents. */
  private async ownerState(ref: OwnerReference, dependent: KObject): Promise<OwnerState> {
    const seen = this.graph.node(ref.uid);
    if (seen) return isDeletingDependents(seen) ? 'waiting' : 'solid';
    const { group } = parseApiVersion(ref.apiVersion);
    const info = this.client.resources.forKind(group, ref.kind);
    if (!info) throw new Error(`unable to get REST mapping for ${ref.apiVersion}/${ref.kind}`);
    const namespace = dependent.metadata.namespace;
    // A cluster-scoped dependent cannot be owned by a namespaced object: such an owner is absent.
    if (info.namespaced && !namespace) return 'dangling';
    const owners = this.client.resource(info);
    try {
      const owner = await (info.namespaced ? owners.namespace(namespace!) : owners).get(ref.name);
      if (owner.metadata.uid !== ref.uid) return 'dangling';
      return isDeletingDependents(owner.metadata) ? 'waiting' : 'solid';
    } catch (err) {
      if (isNotFound(err)) return 'dangling';
      throw err;
    }
  }

  /** Foreground deletion: remove the finalizer once no blocking dependent is left, else delete them. */
  private async processDeletingDependents(node: GraphNode): Promise<void> {
    const blocking = this.graph.blockingDependents(node.uid);
    if (blocking.length === 0) {
      await removeFinalizer(this.itemClient(node), node.name, node.uid, FINALIZER_DELETE_DEPENDENTS);
      return;
    }
    for (const dep of blocking) if (!isDeletingDependents(dep)) this.attemptToDelete.enqueue(dep.uid);
  }

  // ---- attemptToOrphan (upstream attemptToOrphanWorker) ------------------------------------

  private async attemptToOrphanItem(uid: string): Promise<void> {
    const node = this.graph.node(uid);
    if (!node || !isOrphaningDependents(node)) return;
    const owner = new Set([uid]);
    await Promise.all(this.graph.dependents(uid).map((dep) => removeOwnerReferences(this.itemClient(dep), dep.name, dep.uid, owner)));
    await removeFinalizer(this.itemClient(node), node.name, uid, FINALIZER_ORPHAN);
  }
}

export const garbageCollectorController: ControllerDescriptor = {
  name: 'garbage-collector-controller',
  async start(ctx): Promise<RunningController> {
    const gc = new GarbageCollector(ctx);
    await gc.start();
    return gc;
  },
};
