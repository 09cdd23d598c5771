// The kubelet's status manager: the latest computed status per pod, written through pods/status
// only when it differs from what the API holds — one write in flight per pod, later statuses
// coalesced into the next. A write re-reads conditions other components own from the pod it
// updates, carries the pod's resourceVersion and retries on conflict; it never revives a pod
// whose UID changed (deleted and re-created under the same name).
import type { KObject } from '../apimachinery/types.ts';
import { isConflict, isNotFound } from '../client/api-error.ts';
import type { KubeClient } from '../client/kube-client.ts';
import { GVR } from '../client/resources.ts';
import { semanticEqual } from '../nodes/semantic-equal.ts';
import { KUBELET_CONDITION_TYPES } from './pod-conditions.ts';

type Obj = Record<string, any>;

const MAX_CONFLICT_RETRIES = 5;

interface Entry {
  namespace: string;
  name: string;
  uid: string;
  status: Obj;
  /** Bumped on every set; a write that finishes with an older version writes again. */
  version: number;
  written: number;
  inflight?: Promise<void>;
}

export class StatusManager {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly client: KubeClient,
    /** The informer's copy of a pod, to skip a GET when it is current. */
    private readonly cachedPod: (namespace: string, name: string) => KObject | undefined,
    private readonly log: (m: string) => void,
  ) {}

  /** The status last set for a pod (the base of the next one). */
  getPodStatus(uid: string): Obj | undefined {
    return this.entries.get(uid)?.status;
  }

  /** Records a pod's status and writes it unless the API already says the same. */
  setPodStatus(pod: KObject, status: Obj): void {
    const uid = pod.metadata.uid!;
    let e = this.entries.get(uid);
    if (!e) {
      e = { namespace: pod.metadata.namespace!, name: pod.metadata.name!, uid, status, version: 0, written: 0 };
      this.entries.set(uid, e);
    }
    e.status = status;
    e.version++;
    if (semanticEqual(normalize(pod.status as Obj), normalize(status))) {
      e.written = e.version;
      return;
    }
    this.kick(e);
  }

  /** Resolves once the latest status of the pod is written (or given up on). */
  async flush(uid: string): Promise<void> {
    for (let e = this.entries.get(uid); e?.inflight; e = this.entries.get(uid)) await e.inflight;
  }

  /** Forgets pods that are gone (RemoveOrphanedStatuses). */
  removeOrphanedStatuses(keep: Set<string>): void {
    for (const uid of this.entries.keys()) if (!keep.has(uid)) this.entries.delete(uid);
  }

  forget(uid: string): void {
    this.entries.delete(uid);
  }

  private kick(e: Entry): void {
    if (e.inflight) return;
    e.inflight = (async () => {
      try {
        while (e.written < e.version && this.entries.get(e.uid) === e) {
          const version = e.version;
          await this.write(e);
          e.written = version;
        }
      } catch (err) {
        this.log(`failed to update status for pod "${e.namespace}/${e.name}": ${(err as Error).message}`);
      } finally {
        e.inflight = undefined;
      }
    })();
  }

  private async write(e: Entry): Promise<void> {
    const pods = this.client.resource(GVR.pods).namespace(e.namespace);
    let pod: KObject | undefined = this.cachedPod(e.namespace, e.name);
    for (let attempt = 0; ; attempt++) {
      if (!pod) {
        try {
          pod = await pods.get(e.name);
        } catch (err) {
          if (isNotFound(err)) return;
          throw err;
        }
      }
      if (pod.metadata.uid !== e.uid) return;
      const merged = mergePodStatus(pod.status as Obj ?? {}, e.status);
      if (semanticEqual(normalize(pod.status as Obj), normalize(merged))) return;
      try {
        await pods.updateStatus({ ...pod, status: merged } as KObject);
        return;
      } catch (err) {
        if (isNotFound(err)) return;
        if (!isConflict(err) || attempt >= MAX_CONFLICT_RETRIES) throw err;
        pod = undefined;
      }
    }
  }
}

/** The kubelet's status with the API's conditions of other owners kept (mergePodStatus). */
export function mergePodStatus(api: Obj, ours: Obj): Obj {
  const theirs = (Array.isArray(api.conditions) ? api.conditions : []).filter((c: Obj) => c && !KUBELET_CONDITION_TYPES.includes(c.type));
  const mine = (Array.isArray(ours.conditions) ? ours.conditions : []).filter((c: Obj) => c && KUBELET_CONDITION_TYPES.includes(c.type));
  return { ...ours, conditions: [...theirs, ...mine] };
}

/** Conditions in a stable order, so a reordering alone is not a change. */
function normalize(status: Obj | undefined): Obj {
  if (!status) return {};
  const conditions = Array.isArray(status.conditions) ? [...status.conditions].sort((a, b) => String(a?.type).localeCompare(String(b?.type))) : status.conditions;
  return { ...status, conditions };
}
