// Owner references for controllers (upstream's controller_ref.go and ControllerRefManager): who
// controls an object, the reference a controller puts on what it creates, and claiming — adopt
// orphans that match the selector, release owned objects that no longer match, leave others' alone.
// Adopt/release are strategic-merge patches that carry the child's uid, so a recreated child with
// the same name is never adopted by mistake.
import type { LabelSelectorMatcher } from '../../apimachinery/labels.ts';
import type { GroupVersionKind, KObject, OwnerReference } from '../../apimachinery/types.ts';
import { apiVersionOf } from '../../apimachinery/types.ts';
import { isInvalid, isNotFound } from '../../client/api-error.ts';
import type { ResourceClient } from '../../client/resource-client.ts';

export function getControllerOf(obj: KObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true);
}

export function isControlledBy(obj: KObject, owner: KObject): boolean {
  const ref = getControllerOf(obj);
  return ref !== undefined && ref.uid === owner.metadata.uid;
}

/** The reference a controller sets on what it creates (NewControllerRef). */
export function newControllerRef(owner: KObject, gvk: GroupVersionKind): OwnerReference {
  return {
    apiVersion: apiVersionOf(gvk.group, gvk.version), kind: gvk.kind,
    name: owner.metadata.name!, uid: owner.metadata.uid!,
    controller: true, blockOwnerDeletion: true,
  };
}

/**
 * Before the first adoption, check against a fresh read (not the cache) that the controller still
 * exists with the same uid and is not being deleted (RecheckDeletionTimestamp).
 */
export function recheckDeletionTimestamp(getFresh: () => Promise<KObject>, cached: KObject): () => Promise<void> {
  return async () => {
    const fresh = await getFresh();
    const id = `${cached.metadata.namespace ? `${cached.metadata.namespace}/` : ''}${cached.metadata.name}`;
    if (fresh.metadata.uid !== cached.metadata.uid) {
      throw new Error(`original ${id} is gone: got uid ${fresh.metadata.uid}, wanted ${cached.metadata.uid}`);
    }
    if (fresh.metadata.deletionTimestamp) throw new Error(`${id} has just been deleted at ${fresh.metadata.deletionTimestamp}`);
  };
}

export interface ControllerRefManagerOptions<T extends KObject> {
  /** The children's resource (any namespace; each patch goes to the child's own). */
  children: ResourceClient<T>;
  controller: KObject;
  controllerKind: GroupVersionKind;
  selector: LabelSelectorMatcher;
  /** Checked once, before the first adoption; throw to refuse adopting. */
  canAdopt?: () => Promise<void>;
}

export class ControllerRefManager<T extends KObject> {
  private canAdoptOnce?: Promise<void>;

  constructor(private readonly o: ControllerRefManagerOptions<T>) {}

  /**
   * The objects this controller owns after claiming: already-owned matches, plus adopted orphans.
   * Errors from individual adopt/release calls are collected and thrown after all were tried.
   */
  async claim(objects: readonly T[], filter: (obj: T) => boolean = () => true): Promise<T[]> {
    const claimed: T[] = [];
    const errors: unknown[] = [];
    const match = (obj: T) => this.o.selector.matches(obj.metadata.labels) && filter(obj);
    for (const obj of objects) {
      try {
        if (await this.claimObject(obj, match)) claimed.push(obj);
      } catch (err) {
        errors.push(err);
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, `[${errors.map((e) => (e as Error).message).join(', ')}]`);
    return claimed;
  }

  private async claimObject(obj: T, match: (obj: T) => boolean): Promise<boolean> {
    const controller = this.o.controller;
    const ref = getControllerOf(obj);
    if (ref) {
      if (ref.uid !== controller.metadata.uid) return false; // someone else's
      if (match(obj)) return true;
      // Ours but no longer selected: let go, unless we are going away anyway (GC handles that).
      if (controller.metadata.deletionTimestamp) return false;
      try {
        await this.release(obj);
      } catch (err) {
        if (!isNotFound(err) && !isInvalid(err)) throw err;
      }
      return false;
    }
    // An orphan: adopt it if it matches and neither side is being deleted.
    if (controller.metadata.deletionTimestamp || !match(obj) || obj.metadata.deletionTimestamp) return false;
    if (controller.metadata.namespace && controller.metadata.namespace !== obj.metadata.namespace) return false;
    try {
      await this.adopt(obj);
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
    return true;
  }

  async adopt(obj: T): Promise<T> {
    if (this.o.canAdopt) {
      this.canAdoptOnce ??= this.o.canAdopt();
      try {
        await this.canAdoptOnce;
      } catch (err) {
        throw new Error(`can't adopt ${this.o.children.info.kind} ${obj.metadata.namespace ?? ''}/${obj.metadata.name} (${obj.metadata.uid}): ${(err as Error).message}`);
      }
    }
    const patch = { metadata: { ownerReferences: [newControllerRef(this.o.controller, this.o.controllerKind)], uid: obj.metadata.uid } };
    return this.childClient(obj).patch(obj.metadata.name!, patch, 'strategic');
  }

  async release(obj: T): Promise<T> {
    const patch = { metadata: { ownerReferences: [{ $patch: 'delete', uid: this.o.controller.metadata.uid }], uid: obj.metadata.uid } };
    return this.childClient(obj).patch(obj.metadata.name!, patch, 'strategic');
  }

  private childClient(obj: T): ResourceClient<T> {
    return obj.metadata.namespace ? this.o.children.namespace(obj.metadata.namespace) : this.o.children;
  }
}
