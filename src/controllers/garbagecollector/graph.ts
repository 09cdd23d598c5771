// The garbage collector's view of the cluster (upstream graph.go + graph_builder.go): every object
// seen by the monitors, by uid, with its owners, and the reverse edges owner uid → dependents'
// uids. Owners never seen (absent, or not yet listed) are edges without a node. The graph does no
// I/O: each change tells the collector which uids to look at again (attemptToDelete /
// attemptToOrphan), as the graph builder's processTransitions does.
import type { KObject, OwnerReference } from '../../apimachinery/types.ts';
import type { ResourceInfo } from '../../client/resources.ts';

export const FINALIZER_ORPHAN = 'orphan';
export const FINALIZER_DELETE_DEPENDENTS = 'foregroundDeletion';

export interface GraphNode {
  uid: string;
  /** The resource the object was seen through: how to read and delete it. */
  info: ResourceInfo;
  namespace?: string;
  name: string;
  owners: readonly OwnerReference[];
  deletionTimestamp?: string;
  finalizers: readonly string[];
}

/** Being deleted in the foreground: waits for its blocking dependents to go. */
export function isDeletingDependents(n: { deletionTimestamp?: string; finalizers?: readonly string[] } | undefined): boolean {
  return !!n?.deletionTimestamp && !!n.finalizers?.includes(FINALIZER_DELETE_DEPENDENTS);
}

/** Being deleted with propagationPolicy Orphan: its dependents lose their reference to it first. */
export function isOrphaningDependents(n: { deletionTimestamp?: string; finalizers?: readonly string[] } | undefined): boolean {
  return !!n?.deletionTimestamp && !!n.finalizers?.includes(FINALIZER_ORPHAN);
}

export interface GraphEvents {
  attemptToDelete(uid: string): void;
  attemptToOrphan(uid: string): void;
}

export class DependencyGraph {
  private readonly nodes = new Map<string, GraphNode>();
  private readonly dependentsOf = new Map<string, Set<string>>();

  constructor(private readonly events: GraphEvents) {}

  node(uid: string): GraphNode | undefined { return this.nodes.get(uid); }

  get size(): number { return this.nodes.size; }

  dependents(uid: string): GraphNode[] {
    return [...(this.dependentsOf.get(uid) ?? [])].map((d) => this.nodes.get(d)).filter((n): n is GraphNode => !!n);
  }

  /** Dependents whose reference to uid has blockOwnerDeletion: a foreground deletion waits for them. */
  blockingDependents(uid: string): GraphNode[] {
    return this.dependents(uid).filter((d) => d.owners.some((r) => r.uid === uid && r.blockOwnerDeletion === true));
  }

  /** An object was added or changed. */
  observe(obj: KObject, info: ResourceInfo): void {
    const uid = obj.metadata.uid;
    if (!uid) return;
    const old = this.nodes.get(uid);
    const node: GraphNode = {
      uid, info, namespace: obj.metadata.namespace, name: obj.metadata.name ?? '',
      owners: obj.metadata.ownerReferences ?? [], deletionTimestamp: obj.metadata.deletionTimestamp,
      finalizers: obj.metadata.finalizers ?? [],
    };
    this.nodes.set(uid, node);

    const oldOwners = new Map((old?.owners ?? []).map((r) => [r.uid, r]));
    const newOwners = new Map(node.owners.map((r) => [r.uid, r]));
    for (const [ownerUid, ref] of oldOwners) {
      const now = newOwners.get(ownerUid);
      if (!now) this.dependentsOf.get(ownerUid)?.delete(uid);
      // An owner waiting for its blocking dependents may be free now.
      if (!now || !!now.blockOwnerDeletion !== !!ref.blockOwnerDeletion) this.enqueueIfDeletingDependents(ownerUid);
    }
    for (const ownerUid of newOwners.keys()) {
      let set = this.dependentsOf.get(ownerUid);
      if (!set) this.dependentsOf.set(ownerUid, set = new Set());
      set.add(uid);
    }

    if (isOrphaningDependents(node)) this.events.attemptToOrphan(uid);
    if (isDeletingDependents(node)) {
      this.events.attemptToDelete(uid);
      // Starting a foreground deletion: every dependent is looked at (graph builder's processTransitions).
      if (!isDeletingDependents(old)) for (const d of this.dependents(uid)) this.events.attemptToDelete(d.uid);
    }
    // An owner never seen, or one deleting its dependents, makes this object a candidate.
    if (node.owners.some((r) => !this.nodes.has(r.uid) || isDeletingDependents(this.nodes.get(r.uid)))) this.events.attemptToDelete(uid);
  }

  /** An object is gone: its dependents may be dangling now, and owners waiting for it may finish. */
  forget(obj: KObject): void {
    const uid = obj.metadata.uid;
    if (!uid) return;
    const node = this.nodes.get(uid);
    if (!node) return;
    this.nodes.delete(uid);
    for (const ref of node.owners) {
      const set = this.dependentsOf.get(ref.uid);
      set?.delete(uid);
      if (set && set.size === 0 && !this.nodes.has(ref.uid)) this.dependentsOf.delete(ref.uid);
      this.enqueueIfDeletingDependents(ref.uid);
    }
    for (const d of this.dependents(uid)) this.events.attemptToDelete(d.uid);
    if (!this.dependentsOf.get(uid)?.size) this.dependentsOf.delete(uid);
  }

  private enqueueIfDeletingDependents(uid: string): void {
    if (isDeletingDependents(this.nodes.get(uid))) this.events.attemptToDelete(uid);
  }
}
