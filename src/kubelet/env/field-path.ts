// Downward API field selectors (upstream pkg/fieldpath and podFieldSelectorRuntimeValue): the pod's
// metadata for volumes and env, plus the node and status fields only env may read.
import { isQualifiedName } from '../../apimachinery/validation.ts';
import type { KObject } from '../../apimachinery/types.ts';
import { goQuote } from './go-quote.ts';

/** "metadata.labels['app']" → ["metadata.labels", "app"]; undefined when not subscripted. */
export function splitMaybeSubscriptedPath(fieldPath: string): [string, string] | undefined {
  if (!fieldPath.endsWith("']")) return undefined;
  const s = fieldPath.slice(0, -2);
  const i = s.indexOf("['");
  if (i <= 0) return undefined;
  return [s.slice(0, i), s.slice(i + 2)];
}

/** Upstream FormatMap: `key="value"` lines in key order, values Go-quoted. */
export function formatMap(m: Record<string, string> | undefined): string {
  return Object.keys(m ?? {}).sort().map((k) => `${k}=${goQuote(m![k]!)}`).join('\n');
}

/** ExtractFieldPathAsString: the metadata fields a downwardAPI volume file may hold. */
export function extractFieldPathAsString(pod: KObject, fieldPath: string): string {
  const meta = pod.metadata;
  const sub = splitMaybeSubscriptedPath(fieldPath);
  if (sub) {
    const [path, key] = sub;
    if (path !== 'metadata.annotations' && path !== 'metadata.labels') throw new Error(`fieldPath "${fieldPath}" does not support subscript`);
    // Annotation keys may carry upper case; label keys are checked as written.
    const errs = isQualifiedName(path === 'metadata.annotations' ? key.toLowerCase() : key);
    if (errs.length) throw new Error(`invalid key subscript in ${fieldPath}: ${errs.join(';')}`);
    return (path === 'metadata.annotations' ? meta.annotations : meta.labels)?.[key] ?? '';
  }
  switch (fieldPath) {
    case 'metadata.annotations': return formatMap(meta.annotations);
    case 'metadata.labels': return formatMap(meta.labels);
    case 'metadata.name': return meta.name ?? '';
    case 'metadata.namespace': return meta.namespace ?? '';
    case 'metadata.uid': return meta.uid ?? '';
  }
  throw new Error(`unsupported fieldPath: ${fieldPath}`);
}

/** ConvertDownwardAPIFieldLabel: the field paths env may select, with upstream's errors. */
export function convertDownwardAPIFieldLabel(apiVersion: string | undefined, label: string): string {
  const version = apiVersion || 'v1';
  if (version !== 'v1') throw new Error(`unsupported pod version: ${version}`);
  const sub = splitMaybeSubscriptedPath(label);
  if (sub) {
    if (sub[0] === 'metadata.annotations' || sub[0] === 'metadata.labels') return label;
    throw new Error(`field label does not support subscript: ${label}`);
  }
  switch (label) {
    case 'metadata.annotations': case 'metadata.labels': case 'metadata.name': case 'metadata.namespace':
    case 'metadata.uid': case 'spec.nodeName': case 'spec.restartPolicy': case 'spec.serviceAccountName':
    case 'spec.schedulerName': case 'status.phase': case 'status.hostIP': case 'status.hostIPs':
    case 'status.podIP': case 'status.podIPs':
      return label;
    case 'spec.host': return 'spec.nodeName';
  }
  throw new Error(`field label not supported: ${label}`);
}

export interface PodRuntimeFields {
  podIP?: string;
  podIPs?: string[];
  /** The node's IPs, first the primary (status.hostIP). */
  hostIPs?: string[];
}

/** podFieldSelectorRuntimeValue: an env var's fieldRef value. */
export function podFieldSelectorRuntimeValue(
  fieldRef: { apiVersion?: string; fieldPath: string }, pod: KObject, runtime: PodRuntimeFields,
): string {
  const path = convertDownwardAPIFieldLabel(fieldRef.apiVersion, fieldRef.fieldPath);
  const spec = (pod.spec ?? {}) as { nodeName?: string; serviceAccountName?: string; restartPolicy?: string; schedulerName?: string };
  const podIPs = runtime.podIPs?.length ? runtime.podIPs : runtime.podIP ? [runtime.podIP] : [];
  switch (path) {
    case 'spec.nodeName': return spec.nodeName ?? '';
    case 'spec.serviceAccountName': return spec.serviceAccountName ?? '';
    case 'status.hostIP':
      if (!runtime.hostIPs?.length) throw new Error('failed to get host IPs: no node IP known');
      return runtime.hostIPs[0]!;
    case 'status.hostIPs':
      if (!runtime.hostIPs?.length) throw new Error('failed to get host IPs: no node IP known');
      return runtime.hostIPs.join(',');
    case 'status.podIP': return podIPs[0] ?? '';
    case 'status.podIPs': return podIPs.join(',');
  }
  return extractFieldPathAsString(pod, path);
}
