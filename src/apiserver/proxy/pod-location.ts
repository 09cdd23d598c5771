// Which kubelet URL a pod subresource goes to (upstream pkg/registry/core/pod: LogLocation and
// streamLocation): the pod, the container it names (or its only one), and the pod's node.
import type { Request } from 'express';
import { newBadRequest } from '../../apimachinery/errors.ts';
import type { KObject } from '../../apimachinery/types.ts';
import type { Scope } from '../handlers/scope.ts';
import { nodeConnectionInfo, type NodeConnectionInfo } from './node-connection.ts';

type Obj = Record<string, any>;

function names(list: unknown): string[] {
  return Array.isArray(list) ? (list as Obj[]).map((c) => String(c?.name ?? '')) : [];
}

/** Init, regular and ephemeral containers, in podutil.VisitContainers' order. */
function allContainerNames(pod: KObject): string[] {
  const spec = (pod.spec ?? {}) as Obj;
  return [...names(spec.initContainers), ...names(spec.containers), ...names(spec.ephemeralContainers)];
}

/** pods/log's validateContainer: the named container must exist; none named is fine with exactly one. */
export function logContainer(pod: KObject, container: string | undefined): string {
  const name = pod.metadata.name ?? '';
  if (container) {
    if (!allContainerNames(pod).includes(container)) throw newBadRequest(`container ${container} is not valid for pod ${name}`);
    return container;
  }
  const regular = names((pod.spec as Obj | undefined)?.containers);
  if (regular.length === 1) return regular[0]!;
  if (regular.length === 0) throw newBadRequest(`a container name must be specified for pod ${name}`);
  throw newBadRequest(`a container name must be specified for pod ${name}, choose one of: [${allContainerNames(pod).join(' ')}]`);
}

/** exec/attach's container choice (streamLocation), which also names the init containers apart. */
export function streamContainer(pod: KObject, container: string | undefined): string {
  const name = pod.metadata.name ?? '';
  if (container) {
    if (!allContainerNames(pod).includes(container)) throw newBadRequest(`container ${container} is not valid for pod ${name}`);
    return container;
  }
  const spec = (pod.spec ?? {}) as Obj;
  const regular = names(spec.containers);
  if (regular.length === 1) return regular[0]!;
  if (regular.length === 0) throw newBadRequest(`a container name must be specified for pod ${name}`);
  let message = `a container name must be specified for pod ${name}, choose one of: [${regular.join(' ')}]`;
  const init = names(spec.initContainers);
  if (init.length > 0) message += ` or one of the init containers: [${init.join(' ')}]`;
  throw newBadRequest(message);
}

export async function getPod(scope: Scope): Promise<KObject> {
  return scope.store.get(scope.ctx, scope.info.name);
}

/** The pod's node's kubelet; undefined when the pod is not scheduled yet. */
export async function podKubelet(scope: Scope, pod: KObject): Promise<NodeConnectionInfo | undefined> {
  const nodeName = (pod.spec as Obj | undefined)?.nodeName;
  if (!nodeName) return undefined;
  return nodeConnectionInfo(scope.registry, scope.ctx, nodeName);
}

/** exec, attach and portforward need a node: upstream's "does not have a host assigned". */
export async function requirePodKubelet(scope: Scope, pod: KObject): Promise<NodeConnectionInfo> {
  const kubelet = await podKubelet(scope, pod);
  if (!kubelet) throw newBadRequest(`pod ${pod.metadata.name} does not have a host assigned`);
  return kubelet;
}

/** The request's query as the client sent it (repeated parameters kept). */
export function requestQuery(req: Request): URLSearchParams {
  return new URL(req.originalUrl, 'http://request').searchParams;
}

export function podPath(pod: KObject): string {
  return `${encodeURIComponent(pod.metadata.namespace ?? '')}/${encodeURIComponent(pod.metadata.name ?? '')}`;
}
