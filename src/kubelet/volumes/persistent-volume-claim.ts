// persistentVolumeClaim volumes: claim → bound volume → its hostPath or local path, with the texts
// of upstream's desired-state populator ("error processing PVC ns/x: …") when the claim cannot be
// used yet, so the pod's FailedMount event says why.
import type { V1PersistentVolumeSpec } from '@kubernetes/client-node';
import type { KObject } from '../../apimachinery/types.ts';
import type { VolumeObjectSource } from './object-source.ts';

export class ClaimProcessingError extends Error {
  override name = 'ClaimProcessingError';
}

export interface ResolvedClaim {
  /** The bound PersistentVolume's name (events name the volume by it). */
  pvName: string;
  pvSpec: V1PersistentVolumeSpec;
}

export async function resolveClaim(src: VolumeObjectSource, namespace: string, claimName: string): Promise<ResolvedClaim> {
  const fail = (msg: string) => new ClaimProcessingError(`error processing PVC ${namespace}/${claimName}: ${msg}`);
  let pvc: KObject;
  try {
    pvc = await src.getPersistentVolumeClaim(namespace, claimName);
  } catch (err) {
    throw fail(`failed to fetch PVC from API server: ${(err as Error).message}`);
  }
  if (pvc.metadata.deletionTimestamp) throw fail('PVC is being deleted');
  const phase = (pvc.status as { phase?: string } | undefined)?.phase ?? '';
  const volumeName = (pvc.spec as { volumeName?: string } | undefined)?.volumeName ?? '';
  if (phase !== 'Bound' || !volumeName) {
    throw fail(`PVC ${namespace}/${claimName} has non-bound phase ("${phase}") or empty pvc.Spec.VolumeName ("${volumeName}")`);
  }
  let pv: KObject;
  try {
    pv = await src.getPersistentVolume(volumeName);
  } catch (err) {
    throw fail(`failed to fetch PV ${volumeName} from API server: ${(err as Error).message}`);
  }
  const spec = (pv.spec ?? {}) as V1PersistentVolumeSpec;
  if (!spec.claimRef) throw fail(`found PV object ${volumeName} but it has a nil pv.Spec.ClaimRef indicating it is not yet bound to the claim`);
  if (spec.claimRef.uid !== pvc.metadata.uid) {
    throw fail(`found PV object ${volumeName} but its pv.Spec.ClaimRef.UID (${spec.claimRef.uid ?? ''}) does not point to claim.UID (${pvc.metadata.uid ?? ''})`);
  }
  return { pvName: volumeName, pvSpec: spec };
}
