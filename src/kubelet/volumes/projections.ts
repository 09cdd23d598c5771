// The file sets of configMap, secret, downwardAPI and projected volumes (upstream MakePayload and
// CollectData): every key, or the listed items at their paths, with item mode, else the volume's
// defaultMode (0644). Missing objects and keys fail unless the source is optional.
import type {
  V1ConfigMapVolumeSource, V1DownwardAPIVolumeFile, V1KeyToPath, V1ProjectedVolumeSource, V1SecretVolumeSource,
} from '@kubernetes/client-node';
import type { KObject } from '../../apimachinery/types.ts';
import type { ConfigMapData, SecretData } from '../env/environment.ts';
import { extractFieldPathAsString } from '../env/field-path.ts';
import { configMapNotFound, secretNotFound } from '../env/object-errors.ts';
import { containerResourceValue, type NodeAllocatable } from '../env/resource-field.ts';
import type { Payload } from './atomic-writer.ts';
import type { VolumeObjectSource } from './object-source.ts';

export const DEFAULT_MODE = 0o644;

/** utilerrors.NewAggregate's message: one error as is, several as "[a, b]". */
export function aggregateMessage(messages: string[]): string {
  return messages.length === 1 ? messages[0]! : `[${messages.join(', ')}]`;
}

function keyPayload(
  items: V1KeyToPath[] | undefined, entries: Map<string, Buffer>, mode: number, optional: boolean, missingKey: (k: string) => string,
): Payload {
  const payload: Payload = new Map();
  if (!items?.length) {
    for (const [k, data] of entries) payload.set(k, { data, mode });
    return payload;
  }
  for (const item of items) {
    const data = entries.get(item.key);
    if (data === undefined) {
      if (optional) continue;
      throw new Error(missingKey(item.key));
    }
    payload.set(item.path, { data, mode: item.mode ?? mode });
  }
  return payload;
}

function configMapEntries(cm: ConfigMapData): Map<string, Buffer> {
  const m = new Map<string, Buffer>();
  for (const [k, v] of Object.entries(cm.data ?? {})) m.set(k, Buffer.from(v, 'utf8'));
  for (const [k, v] of Object.entries(cm.binaryData ?? {})) m.set(k, Buffer.from(v, 'base64'));
  return m;
}

function secretEntries(s: SecretData): Map<string, Buffer> {
  return new Map(Object.entries(s.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')]));
}

export async function configMapPayload(
  src: VolumeObjectSource, namespace: string, cm: Pick<V1ConfigMapVolumeSource, 'name' | 'items' | 'optional'>, defaultMode: number,
): Promise<Payload> {
  const name = cm.name ?? '';
  const obj = await src.getConfigMap(namespace, name);
  if (!obj && !cm.optional) throw configMapNotFound(name);
  return keyPayload(cm.items, configMapEntries(obj ?? {}), defaultMode, !!cm.optional, (k) => `configmap references non-existent config key: ${k}`);
}

export async function secretPayload(
  src: VolumeObjectSource, namespace: string, name: string, s: Pick<V1SecretVolumeSource, 'items' | 'optional'>, defaultMode: number,
): Promise<Payload> {
  const obj = await src.getSecret(namespace, name);
  if (!obj && !s.optional) throw secretNotFound(name);
  return keyPayload(s.items, secretEntries(obj ?? {}), defaultMode, !!s.optional, (k) => `references non-existent secret key: ${k}`);
}

/** CollectData: every item that could be read, then one error naming the ones that could not. */
export function downwardAPIPayload(pod: KObject, items: V1DownwardAPIVolumeFile[] | undefined, defaultMode: number, allocatable?: NodeAllocatable): Payload {
  const payload: Payload = new Map();
  const errs: string[] = [];
  for (const item of items ?? []) {
    let value: string | undefined;
    try {
      if (item.fieldRef) value = extractFieldPathAsString(pod, item.fieldRef.fieldPath);
      else if (item.resourceFieldRef) value = containerResourceValue(item.resourceFieldRef, pod, undefined, allocatable);
    } catch (err) {
      errs.push((err as Error).message);
      continue;
    }
    payload.set(item.path, { data: Buffer.from(value ?? '', 'utf8'), mode: item.mode ?? defaultMode });
  }
  if (errs.length) throw new Error(aggregateMessage(errs));
  return payload;
}

/** The projected volume: each source's files in order (a later source wins a path). */
export async function projectedPayload(
  src: VolumeObjectSource, pod: KObject, projected: V1ProjectedVolumeSource, allocatable?: NodeAllocatable,
): Promise<Payload> {
  const ns = pod.metadata.namespace ?? '';
  const mode = projected.defaultMode ?? DEFAULT_MODE;
  const payload: Payload = new Map();
  const errs: string[] = [];
  for (const source of projected.sources ?? []) {
    try {
      let part: Payload = new Map();
      if (source.secret) part = await secretPayload(src, ns, source.secret.name ?? '', source.secret, mode);
      else if (source.configMap) part = await configMapPayload(src, ns, source.configMap, mode);
      else if (source.downwardAPI) part = downwardAPIPayload(pod, source.downwardAPI.items, mode, allocatable);
      else if (source.serviceAccountToken) {
        const token = await src.serviceAccountToken(pod, source.serviceAccountToken);
        part.set(source.serviceAccountToken.path, { data: Buffer.from(token, 'utf8'), mode });
      } else if (source.clusterTrustBundle || source.podCertificate) {
        throw new Error('clusterTrustBundle and podCertificate projections are not supported by this kubelet');
      }
      for (const [p, f] of part) payload.set(p, f);
    } catch (err) {
      errs.push((err as Error).message);
    }
  }
  if (errs.length) throw new Error(aggregateMessage(errs));
  return payload;
}
