// How CRI objects live in Docker, as dockershim stored them: the container name carries the metadata
// (k8s_POD_<pod>_<ns>_<uid>_<attempt> for a sandbox, k8s_<container>_<pod>_<ns>_<uid>_<attempt> for a
// container), so Docker refuses a duplicate and a restarted kubelet reads everything back; CRI labels are
// Docker labels, annotations are labels prefixed "annotation." (Docker has no annotations), and a few
// internal labels mark the object's type, its sandbox and its CRI log path.
import type { ContainerMetadata, PodSandboxMetadata } from '../runtime/runtime-service.ts';

export const CONTAINER_TYPE_LABEL = 'io.kubernetes.docker.type';
export const CONTAINER_TYPE_SANDBOX = 'podsandbox';
export const CONTAINER_TYPE_CONTAINER = 'container';
export const SANDBOX_ID_LABEL = 'io.kubernetes.sandbox.id';
export const CONTAINER_LOG_PATH_LABEL = 'io.kubernetes.container.logpath';
/** Keeps the objects of several kubelets sharing one dockerd apart. */
export const SCOPE_LABEL = 'io.k8ts.runtime.scope';

export const POD_NAME_LABEL = 'io.kubernetes.pod.name';
export const POD_NAMESPACE_LABEL = 'io.kubernetes.pod.namespace';
export const POD_UID_LABEL = 'io.kubernetes.pod.uid';
export const CONTAINER_NAME_LABEL = 'io.kubernetes.container.name';

const ANNOTATION_PREFIX = 'annotation.';
const KUBE_PREFIX = 'k8s';
/** The sandbox's "container name" (leaky.PodInfraContainerName). */
export const SANDBOX_CONTAINER_NAME = 'POD';
const INTERNAL_LABELS = new Set([CONTAINER_TYPE_LABEL, SANDBOX_ID_LABEL, CONTAINER_LOG_PATH_LABEL, SCOPE_LABEL]);

export function makeSandboxName(m: PodSandboxMetadata): string {
  return [KUBE_PREFIX, SANDBOX_CONTAINER_NAME, m.name, m.namespace, m.uid, String(m.attempt)].join('_');
}

export function makeContainerName(sandbox: PodSandboxMetadata, c: ContainerMetadata): string {
  return [KUBE_PREFIX, c.name, sandbox.name, sandbox.namespace, sandbox.uid, String(c.attempt)].join('_');
}

function nameParts(name: string): string[] | undefined {
  const parts = name.replace(/^\//, '').split('_');
  if (parts.length !== 6 || parts[0] !== KUBE_PREFIX || !/^\d+$/.test(parts[5]!)) return undefined;
  return parts;
}

/** Docker prefixes names with "/"; undefined for a container k8ts did not name. */
export function parseSandboxName(name: string): PodSandboxMetadata | undefined {
  const p = nameParts(name);
  return p && { name: p[2]!, namespace: p[3]!, uid: p[4]!, attempt: Number(p[5]) };
}

export function parseContainerName(name: string): ContainerMetadata | undefined {
  const p = nameParts(name);
  return p && { name: p[1]!, attempt: Number(p[5]) };
}

export function makeLabels(labels: Record<string, string>, annotations: Record<string, string>): Record<string, string> {
  const merged: Record<string, string> = { ...labels };
  for (const [k, v] of Object.entries(annotations)) merged[ANNOTATION_PREFIX + k] = v;
  return merged;
}

/** Docker labels back to CRI labels and annotations, without the internal ones. */
export function extractLabels(docker: Record<string, string> | null | undefined): { labels: Record<string, string>; annotations: Record<string, string> } {
  const labels: Record<string, string> = {};
  const annotations: Record<string, string> = {};
  const input = docker ?? {};
  for (const [k, v] of Object.entries(input)) {
    if (INTERNAL_LABELS.has(k)) continue;
    // The sandbox's container-name label is the shim's own, not the kubelet's.
    if (k === CONTAINER_NAME_LABEL && input[CONTAINER_TYPE_LABEL] === CONTAINER_TYPE_SANDBOX) continue;
    if (k.startsWith(ANNOTATION_PREFIX)) annotations[k.slice(ANNOTATION_PREFIX.length)] = v;
    else labels[k] = v;
  }
  return { labels, annotations };
}

/** Docker's list filter ({"label": ["k=v", …]}) for the given labels. */
export function labelFilter(selector: Record<string, string>): string[] {
  return Object.entries(selector).map(([k, v]) => `${k}=${v}`);
}
