// ControllerRevision history shared by the StatefulSet and DaemonSet controllers (upstream's
// pkg/controller/history): listing a parent's revisions, creating one under a collision-avoiding
// name, renumbering, adopting orphans, deleting. Reads come from the informer cache, writes go
// through the API.
import type { LabelSelectorMatcher } from '../../apimachinery/labels.ts';
import type { GroupVersionKind, KObject } from '../../apimachinery/types.ts';
import { deepCopy } from '../../apimachinery/types.ts';
import { isAlreadyExists, isConflict } from '../../client/api-error.ts';
import type { Lister } from '../../client/cache/lister.ts';
import type { KubeClient } from '../../client/kube-client.ts';
import { GVR } from '../../client/resources.ts';
import type { ResourceClient } from '../../client/resource-client.ts';
import { getControllerOf, newControllerRef } from '../framework/controller-ref.ts';
import { canonicalJSON } from './canonical-json.ts';
import { controllerRevisionName, hashRevisionData } from './revision-hash.ts';

/** The label history puts on every revision it creates: the hash of its data. */
export const CONTROLLER_REVISION_HASH_LABEL = 'controller.kubernetes.io/hash';

export interface ControllerRevision extends KObject {
  data?: unknown;
  revision: number;
}

/** NewControllerRevision: template labels plus the hash label, owned by parent, named parent-hash. */
export function newControllerRevision(
  parent: KObject, parentKind: GroupVersionKind, templateLabels: Record<string, string> | undefined,
  data: unknown, revision: number, collisionCount: number,
): ControllerRevision {
  const hash = hashRevisionData(data, collisionCount);
  return {
    apiVersion: 'apps/v1', kind: 'ControllerRevision',
    metadata: {
      name: controllerRevisionName(parent.metadata.name!, hash),
      namespace: parent.metadata.namespace,
      labels: { ...(templateLabels ?? {}), [CONTROLLER_REVISION_HASH_LABEL]: hash },
      ownerReferences: [newControllerRef(parent, parentKind)],
    },
    data, revision,
  };
}

/** SortControllerRevisions: by revision, then creation time, then name. */
export function sortControllerRevisions<T extends ControllerRevision>(revisions: T[]): T[] {
  return revisions.sort((a, b) => (a.revision - b.revision)
    || (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '')
    || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
}

/** EqualRevision: differing hash labels mean different; otherwise the data decides. */
export function equalRevision(a: ControllerRevision | undefined, b: ControllerRevision | undefined): boolean {
  if (!a || !b) return a === b;
  const ha = a.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL];
  const hb = b.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL];
  if (ha !== undefined && hb !== undefined && ha !== hb) return false;
  return canonicalJSON(a.data) === canonicalJSON(b.data);
}

export function findEqualRevisions<T extends ControllerRevision>(revisions: readonly T[], needle: ControllerRevision): T[] {
  return revisions.filter((r) => equalRevision(r, needle));
}

/** One more than the highest revision number (revisions sorted), 1 for none. */
export function nextRevision(sorted: readonly ControllerRevision[]): number {
  return sorted.length === 0 ? 1 : sorted[sorted.length - 1]!.revision + 1;
}

export class ControllerHistory {
  private readonly revisions: ResourceClient<ControllerRevision>;

  constructor(client: KubeClient, private readonly lister: Lister<ControllerRevision>) {
    this.revisions = client.resource<ControllerRevision>(GVR.controllerrevisions);
  }

  /** Revisions in parent's namespace matching selector, owned by parent or by no controller. */
  listControllerRevisions(parent: KObject, selector: LabelSelectorMatcher): ControllerRevision[] {
    return this.lister.namespace(parent.metadata.namespace!).list(selector)
      .filter((r) => {
        const ref = getControllerOf(r);
        return !ref || ref.uid === parent.metadata.uid;
      });
  }

  /**
   * Creates revision under parent-hash; when another revision already holds that name with other
   * data, bumps collisionCount (an in/out box) and tries the next name. An existing revision with
   * the same data is returned as it is.
   */
  async createControllerRevision(parent: KObject, revision: ControllerRevision, collisionCount: { value: number }): Promise<ControllerRevision> {
    const ns = parent.metadata.namespace!;
    for (;;) {
      const hash = hashRevisionData(revision.data, collisionCount.value);
      const clone = deepCopy(revision);
      clone.metadata.name = controllerRevisionName(parent.metadata.name!, hash);
      clone.metadata.namespace = ns;
      clone.metadata.labels = { ...(clone.metadata.labels ?? {}), [CONTROLLER_REVISION_HASH_LABEL]: hash };
      try {
        return await this.revisions.namespace(ns).create(clone);
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
        const existing = await this.revisions.namespace(ns).get(clone.metadata.name);
        if (canonicalJSON(existing.data) === canonicalJSON(clone.data)) return existing;
        collisionCount.value++;
      }
    }
  }

  /** Gives revision a new number (a rollback to an earlier template), retrying on conflicts. */
  async updateControllerRevision(revision: ControllerRevision, newRevision: number): Promise<ControllerRevision> {
    let current = deepCopy(revision);
    for (let attempt = 0; ; attempt++) {
      if (current.revision === newRevision) return current;
      current.revision = newRevision;
      try {
        return await this.revisions.namespace(current.metadata.namespace!).update(current);
      } catch (err) {
        if (!isConflict(err) || attempt >= 4) throw err;
        current = await this.revisions.namespace(current.metadata.namespace!).get(current.metadata.name!);
      }
    }
  }

  async deleteControllerRevision(revision: ControllerRevision): Promise<void> {
    await this.revisions.namespace(revision.metadata.namespace!).delete(revision.metadata.name!);
  }

  /** Adds parent as controller of an orphaned revision (the patch carries the revision's uid). */
  adoptControllerRevision(parent: KObject, parentKind: GroupVersionKind, revision: ControllerRevision): Promise<ControllerRevision> {
    const owner = getControllerOf(revision);
    if (owner) return Promise.reject(new Error(`attempt to adopt revision owned by ${owner.kind}/${owner.name}`));
    return this.revisions.namespace(parent.metadata.namespace!).patch(revision.metadata.name!, {
      metadata: { ownerReferences: [newControllerRef(parent, parentKind)], uid: revision.metadata.uid },
    }, 'strategic');
  }
}
