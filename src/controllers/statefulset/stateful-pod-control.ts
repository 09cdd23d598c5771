// Writes on a StatefulSet's members (stateful_pod_control.go): claims are created before their pod,
// pods are created, fixed up and deleted through the API, and each outcome is recorded as an event
// on the set with upstream's texts ("create Pod web-0 in StatefulSet web successful").
import type { KObject } from '../../apimachinery/types.ts';
import { deepCopy } from '../../apimachinery/types.ts';
import { isAlreadyExists, isConflict, isNotFound } from '../../client/api-error.ts';
import type { Lister } from '../../client/cache/lister.ts';
import type { KubeClient } from '../../client/kube-client.ts';
import { GVR } from '../../client/resources.ts';
import type { EventRecorder } from '../framework/events/event-recorder.ts';
import type { ObjectReference } from '../framework/events/types.ts';
import type { Pod } from './pod-state.ts';
import {
  claimOwnerRefForSet, getPersistentVolumeClaims, identityMatches, storageMatches, updateIdentity, updateStorage,
  type StatefulSet,
} from './stateful-set-utils.ts';

const title = (verb: string) => verb[0]!.toUpperCase() + verb.slice(1);
/** What Go's err.Error() gives for an API error: the Status message alone. */
const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

export function setReference(set: StatefulSet): ObjectReference {
  return { kind: 'StatefulSet', apiVersion: 'apps/v1', namespace: set.metadata.namespace, name: set.metadata.name, uid: set.metadata.uid, resourceVersion: set.metadata.resourceVersion };
}

export class StatefulPodControl {
  constructor(
    private readonly client: KubeClient,
    private readonly podLister: Lister<Pod>,
    private readonly pvcLister: Lister<KObject>,
    private readonly recorder: EventRecorder,
  ) {}

  private pods(ns: string) { return this.client.resource<Pod>(GVR.pods).namespace(ns); }

  /** The pod's claims first, then the pod; an AlreadyExists pod is not an event (a stale cache). */
  async createStatefulPod(set: StatefulSet, pod: Pod): Promise<void> {
    try {
      await this.createPersistentVolumeClaims(set, pod);
    } catch (err) {
      this.recordPodEvent('create', set, pod, err);
      throw err;
    }
    try {
      await this.pods(set.metadata.namespace!).create(pod);
    } catch (err) {
      if (isAlreadyExists(err)) throw err;
      this.recordPodEvent('create', set, pod, err);
      throw err;
    }
    this.recordPodEvent('create', set, pod);
  }

  /** Restores a member's identity labels and claim volumes when someone changed them. */
  async updateStatefulPod(set: StatefulSet, cached: Pod): Promise<void> {
    let pod = deepCopy(cached);
    let attempted = false;
    let lastErr: unknown;
    for (let attempt = 0; attempt < 5; attempt++) {
      let consistent = true;
      if (!identityMatches(set, pod)) {
        updateIdentity(set, pod);
        consistent = false;
      }
      if (!storageMatches(set, pod)) {
        updateStorage(set, pod);
        consistent = false;
        try {
          await this.createPersistentVolumeClaims(set, pod);
        } catch (err) {
          this.recordPodEvent('update', set, pod, err);
          throw err;
        }
      }
      if (consistent) return;
      attempted = true;
      try {
        await this.pods(set.metadata.namespace!).update(pod);
        this.recordPodEvent('update', set, pod);
        return;
      } catch (err) {
        lastErr = err;
        if (!isConflict(err)) break;
        const fresh = this.podLister.get(`${set.metadata.namespace}/${pod.metadata.name}`);
        if (fresh) pod = deepCopy(fresh);
      }
    }
    if (attempted) this.recordPodEvent('update', set, pod, lastErr);
    throw lastErr;
  }

  async deleteStatefulPod(set: StatefulSet, pod: Pod): Promise<void> {
    try {
      // The uid precondition keeps a stale cache from deleting a newer pod of the same name.
      await this.pods(set.metadata.namespace!).delete(pod.metadata.name!, { preconditions: { uid: pod.metadata.uid } });
    } catch (err) {
      this.recordPodEvent('delete', set, pod, err);
      throw err;
    }
    this.recordPodEvent('delete', set, pod);
  }

  /** For a pending pod whose claims were deleted: make them again. */
  createMissingPersistentVolumeClaims(set: StatefulSet, pod: Pod): Promise<void> {
    return this.createPersistentVolumeClaims(set, pod);
  }

  private async createPersistentVolumeClaims(set: StatefulSet, pod: Pod): Promise<void> {
    const errors: string[] = [];
    const pvcs = this.client.resource(GVR.persistentvolumeclaims).namespace(set.metadata.namespace!);
    for (const claim of getPersistentVolumeClaims(set, pod).values()) {
      const existing = this.pvcLister.get(`${claim.metadata.namespace}/${claim.metadata.name}`);
      if (existing) {
        if (existing.metadata.deletionTimestamp) errors.push(`pvc ${claim.metadata.name} is being deleted`);
        continue;
      }
      const owner = claimOwnerRefForSet(set);
      if (owner) claim.metadata.ownerReferences = [owner];
      try {
        await pvcs.create(claim);
        this.recordClaimEvent('create', set, pod, claim);
      } catch (err) {
        if (isAlreadyExists(err)) continue;
        errors.push(`failed to create PVC ${claim.metadata.name}: ${errorText(err)}`);
        this.recordClaimEvent('create', set, pod, claim, err);
      }
    }
    if (errors.length > 0) throw new Error(errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`);
  }

  private recordPodEvent(verb: string, set: StatefulSet, pod: Pod, err?: unknown): void {
    if (err === undefined) {
      this.recorder.event(setReference(set), 'Normal', `Successful${title(verb)}`, `${verb} Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} successful`);
    } else if (!isNotFound(err) || verb !== 'delete') {
      this.recorder.event(setReference(set), 'Warning', `Failed${title(verb)}`, `${verb} Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${errorText(err)}`);
    }
  }

  private recordClaimEvent(verb: string, set: StatefulSet, pod: Pod, claim: KObject, err?: unknown): void {
    if (err === undefined) {
      this.recorder.event(setReference(set), 'Normal', `Successful${title(verb)}`, `${verb} Claim ${claim.metadata.name} Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} success`);
    } else {
      this.recorder.event(setReference(set), 'Warning', `Failed${title(verb)}`, `${verb} Claim ${claim.metadata.name} for Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${errorText(err)}`);
    }
  }
}
