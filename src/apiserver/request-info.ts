// Parses a Kubernetes API path into its parts (upstream: request.RequestInfoFactory).
import { queryBool } from '../apimachinery/query-bool.ts';

export interface RequestInfo {
  group: string;
  version: string;
  namespace: string;
  resource: string;
  name: string;
  subresource: string;
  /** get, list, watch, create, update, patch, delete, deletecollection */
  verb: string;
  /** Extra path after the subresource (proxy paths). */
  rest: string[];
}

export function parseRequestInfo(method: string, path: string, query: Record<string, unknown>): RequestInfo | undefined {
  const parts = path.split('/').filter((p) => p.length > 0);
  let group: string;
  let version: string;
  let i: number;
  if (parts[0] === 'api') {
    if (parts.length < 2) return undefined;
    group = '';
    version = parts[1]!;
    i = 2;
  } else if (parts[0] === 'apis') {
    if (parts.length < 3) return undefined;
    group = parts[1]!;
    version = parts[2]!;
    i = 3;
  } else {
    return undefined;
  }
  let legacyWatch = false;
  if (parts[i] === 'watch') { legacyWatch = true; i++; }
  let namespace = '';
  let rest = parts.slice(i);
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    // /namespaces/{ns}/{resource}/…; "/namespaces/{name}/status" and "/finalize" are namespace subresources.
    if (!(rest.length === 3 && (rest[2] === 'status' || rest[2] === 'finalize'))) {
      namespace = rest[1]!;
      rest = rest.slice(2);
    }
  }
  if (rest.length === 0) return undefined;
  const resource = rest[0]!;
  const name = rest[1] ?? '';
  const subresource = rest[2] ?? '';
  const extra = rest.slice(3);
  if (resource === 'namespaces' && name && !namespace) namespace = '';
  const watchParam = queryBool(query.watch) === true;
  let verb: string;
  switch (method) {
    case 'GET': case 'HEAD':
      verb = legacyWatch || watchParam ? 'watch' : name ? 'get' : 'list';
      break;
    case 'POST': verb = 'create'; break;
    case 'PUT': verb = 'update'; break;
    case 'PATCH': verb = 'patch'; break;
    case 'DELETE': verb = name ? 'delete' : 'deletecollection'; break;
    default: verb = method.toLowerCase();
  }
  for (const seg of [namespace, resource, name, subresource]) {
    if (seg === '.' || seg === '..') return undefined;
  }
  return { group, version, namespace, resource, name: decode(name), subresource, verb, rest: extra };
}

function decode(s: string): string {
  try { return decodeURIComponent(s); } catch { return s; }
}
