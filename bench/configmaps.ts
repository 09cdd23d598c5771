// The objects under load: ConfigMaps of 8 keys × 96 B, the size kube-apiserver's bar was measured with.
import { randomBytes } from 'node:crypto';

export const DATA_KEYS = 8;
export const VALUE_BYTES = 96;

export interface ObjectRef {
  namespace: string;
  name: string;
  /** The resourceVersion of the last write this client saw. */
  resourceVersion: string;
}

const BASE_VALUES = Array.from({ length: DATA_KEYS }, () => randomBytes(VALUE_BYTES).toString('base64url').slice(0, VALUE_BYTES));

/** A 96-byte value that carries `text` (a counter or a timestamp) at its start. */
export function value(text: string): string {
  return text.padEnd(VALUE_BYTES, '.').slice(0, VALUE_BYTES);
}

export function configMap(namespace: string, name: string, overrides: Record<string, string> = {}, resourceVersion?: string): string {
  const data: Record<string, string> = {};
  BASE_VALUES.forEach((v, i) => { data[`key${i}`] = v; });
  Object.assign(data, overrides);
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: resourceVersion === undefined ? { name, namespace } : { name, namespace, resourceVersion },
    data,
  });
}

export function configMapsPath(namespace: string, name?: string): string {
  return `/api/v1/namespaces/${namespace}/configmaps${name === undefined ? '' : `/${name}`}`;
}

/** metadata.resourceVersion of a JSON answer, or undefined when there is none. */
export function resourceVersionOf(body: Buffer): string | undefined {
  try {
    return (JSON.parse(body.toString('utf8')) as { metadata?: { resourceVersion?: string } }).metadata?.resourceVersion;
  } catch {
    return undefined;
  }
}

/** A random permutation of 0..n-1 (Fisher–Yates), so requests do not walk the keys in order. */
export function shuffledIndexes(n: number): number[] {
  const a = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}
