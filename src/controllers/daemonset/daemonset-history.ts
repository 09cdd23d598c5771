// A DaemonSet's ControllerRevisions (pkg/controller/daemon/update.go constructHistory and
// cleanupHistory): the revision whose stored template equals the DaemonSet's is current — created
// as <ds>-<hash> when missing, renumbered to be the newest when it was an older one (a rollback) —
// and old revisions no pod still uses are deleted beyond revisionHistoryLimit.
import { labelSelectorAsMatcher } from '../../apimachinery/labels.ts';
import type { KObject } from '../../apimachinery/types.ts';
import { deepCopy } from '../../apimachinery/types.ts';
import { isAlreadyExists, isNotFound } from '../../client/api-error.ts';
import type { Lister } from '../../client/cache/lister.ts';
import type { KubeClient } from '../../client/kube-client.ts';
import { GVR } from '../../client/resources.ts';
import { ControllerRefManager, newControllerRef } from '../framework/controller-ref.ts';
import { canonicalJSON } from '../history/canonical-json.ts';
import { ControllerHistory, sortControllerRevisions, type ControllerRevision } from '../history/controller-history.ts';
import { controllerRevisionName, hashRevisionData } from '../history/revision-hash.ts';
import { DEFAULT_DAEMON_SET_UNIQUE_LABEL_KEY, type DaemonSet } from './daemon-pod.ts';

export const DAEMONSET_KIND = { group: 'apps', version: 'v1', kind: 'DaemonSet' };

/** The revision data: a strategic-merge patch that puts back exactly this pod template. */
export function getPatch(ds: DaemonSet): Record<string, unknown> {
  return { spec: { template: { ...deepCopy(ds.spec.template), $patch: 'replace' } } };
}

function matches(ds: DaemonSet, revision: ControllerRevision): boolean {
  return canonicalJSON(getPatch(ds)) === canonicalJSON(revision.data);
}

export class DaemonSetHistory {
  private readonly history: ControllerHistory;

  constructor(private readonly client: KubeClient, private readonly lister: Lister<ControllerRevision>) {
    this.history = new ControllerHistory(client, lister);
  }

  private revisions(ns: string) { return this.client.resource<ControllerRevision>(GVR.controllerrevisions).namespace(ns); }

  /** The DaemonSet's revisions after adopting matching orphans and releasing ones it no longer selects. */
  async controlledHistories(ds: DaemonSet, canAdopt: () => Promise<void>): Promise<ControllerRevision[]> {
    const all = this.lister.namespace(ds.metadata.namespace!).list();
    const manager = new ControllerRefManager<ControllerRevision>({
      children: this.client.resource<ControllerRevision>(GVR.controllerrevisions), controller: ds, controllerKind: DAEMONSET_KIND,
      selector: labelSelectorAsMatcher(ds.spec.selector as never), canAdopt,
    });
    return manager.claim([...all]);
  }

  /** constructHistory: the current revision (created or renumbered if needed) and the old ones. */
  async constructHistory(ds: DaemonSet, canAdopt: () => Promise<void>, relabelPods: (fromHash: string, toHash: string) => Promise<void>): Promise<{ cur: ControllerRevision; old: ControllerRevision[] }> {
    const current: ControllerRevision[] = [];
    const old: ControllerRevision[] = [];
    for (let h of await this.controlledHistories(ds, canAdopt)) {
      if (!h.metadata.labels?.[DEFAULT_DAEMON_SET_UNIQUE_LABEL_KEY]) {
        // Revisions from before the label: the name stands in for the hash.
        const copy = deepCopy(h);
        copy.metadata.labels = { ...(copy.metadata.labels ?? {}), [DEFAULT_DAEMON_SET_UNIQUE_LABEL_KEY]: copy.metadata.name! };
        h = await this.revisions(ds.metadata.namespace!).update(copy);
      }
      (matches(ds, h) ? current : old).push(h);
    }
    const next = Math.max(0, ...old.map((h) => h.revision)) + 1;
    let cur: ControllerRevision;
    if (current.length === 0) {
      cur = await this.snapshot(ds, next);
    } else {
      cur = await this.dedupCurHistories(current, relabelPods);
      if (cur.revision < next) cur = await this.history.updateControllerRevision(cur, next);
    }
    return { cur, old };
  }

  /** Keeps the newest of several equal revisions; pods of the others are relabelled first. */
  private async dedupCurHistories(current: ControllerRevision[], relabelPods: (fromHash: string, toHash: string) => Promise<void>): Promise<ControllerRevision> {
    if (current.length === 1) return current[0]!;
    const keep = current.reduce((a, b) => (b.revision > a.revision ? b : a));
    const keepHash = keep.metadata.labels![DEFAULT_DAEMON_SET_UNIQUE_LABEL_KEY]!;
    for (const dup of current) {
      if (dup === keep) continue;
      await relabelPods(dup.metadata.labels![DEFAULT_DAEMON_SET_UNIQUE_LABEL_KEY]!, keepHash);
      try {
        await this.history.deleteControllerRevision(dup);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    return keep;
  }

  /**
   * Records the template as revision `revision` named <ds>-<hash>. A different revision under that
   * name is a hash collision: status.collisionCount is bumped (changing the next hash) and the sync
   * fails, to run again with the new count.
   */
  private async snapshot(ds: DaemonSet, revision: number): Promise<ControllerRevision> {
    const collisionCount = ds.status?.collisionCount as number | undefined;
    const hash = hashRevisionData(ds.spec.template, collisionCount);
    const name = controllerRevisionName(ds.metadata.name!, hash);
    const history: ControllerRevision = {
      apiVersion: 'apps/v1', kind: 'ControllerRevision',
      metadata: {
        name, namespace: ds.metadata.namespace,
        labels: { ...(ds.spec.template?.metadata?.labels ?? {}), [DEFAULT_DAEMON_SET_UNIQUE_LABEL_KEY]: hash },
        ...(ds.metadata.annotations ? { annotations: { ...ds.metadata.annotations } } : {}),
        ownerReferences: [newControllerRef(ds, DAEMONSET_KIND)],
      },
      data: getPatch(ds), revision,
    };
    try {
      return await this.revisions(ds.metadata.namespace!).create(history);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
    const existing = await this.revisions(ds.metadata.namespace!).get(name);
    const ownedByUs = existing.metadata.ownerReferences?.some((r) => r.controller && r.uid === ds.metadata.uid);
    if (ownedByUs && matches(ds, existing)) return existing;
    const dsClient = this.client.resource<DaemonSet>(GVR.daemonsets).namespace(ds.metadata.namespace!);
    const fresh = await dsClient.get(ds.metadata.name!);
    fresh.status = { ...(fresh.status ?? {}), collisionCount: ((fresh.status?.collisionCount as number | undefined) ?? 0) + 1 };
    await dsClient.updateStatus(fresh);
    throw new Error(`found a hash collision for DaemonSet "${ds.metadata.name}" - bumping collisionCount to ${fresh.status.collisionCount} to resolve it`);
  }

  /** Deletes the oldest old revisions no pod uses, down to revisionHistoryLimit. */
  async cleanupHistory(ds: DaemonSet, old: ControllerRevision[], pods: readonly KObject[]): Promise<void> {
    let toKill = old.length - (ds.spec.revisionHistoryLimit ?? 10);
    if (toKill <= 0) return;
    const live = new Set(pods.map((p) => p.metadata.labels?.[DEFAULT_DAEMON_SET_UNIQUE_LABEL_KEY]).filter(Boolean));
    for (const h of sortControllerRevisions([...old])) {
      if (toKill <= 0) break;
      if (live.has(h.metadata.labels?.[DEFAULT_DAEMON_SET_UNIQUE_LABEL_KEY])) continue;
      try {
        await this.history.deleteControllerRevision(h);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      toKill--;
    }
  }
}
