// Operations kube-apiserver's installer registers for each resource, in a neutral form that the v2
// and v3 renderers share: paths, operationIds (listCoreV1NamespacedPod…), x-kubernetes-action,
// x-kubernetes-group-version-kind, parameters, bodies and responses.
import type { ResourceDefinition } from '../registry/types.ts';
import { describeSubresource, subresourcesOf } from '../apiserver/discovery/subresource-catalog.ts';
import { verbsOf } from '../apiserver/discovery/api-resources.ts';
import { type NameResolver, modelOfDef } from './definition-names.ts';
import { META_V1, SUBRESOURCE_KIND_MODELS, VERSION_INFO } from './known-types.ts';
import {
  ATTACH_PARAMS, DELETE_COLLECTION_PARAMS, DELETE_PARAMS, EXEC_PARAMS, LIST_PARAMS, LOG_PARAMS, PARAMETERS, PATCH_PARAMS,
  type ParameterId, type ParameterSpec, WRITE_PARAMS, nameParameter,
} from './parameters.ts';
import type { GVK, Schema } from './schema-builder.ts';
import { definitionRef } from './schema-builder.ts';

export type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'options' | 'head' | 'patch';

export interface ResponseSpec {
  code: string;
  description: string;
  schema?: Schema;
}

export interface OperationSpec {
  method: HttpMethod;
  operationId: string;
  description: string;
  action?: string;
  gvk?: GVK;
  params: ParameterSpec[];
  body?: { schema: Schema; required: boolean };
  responses: ResponseSpec[];
  consumes: string[];
  produces: string[];
  tags: string[];
}

export interface PathSpec {
  path: string;
  params: ParameterSpec[];
  ops: OperationSpec[];
}

export const PATCH_CONTENT_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
];
const JSON_YAML = ['application/json', 'application/yaml'];
const WITH_WATCH = [...JSON_YAML, 'application/json;stream=watch'];
const ANY = ['*/*'];

export function groupPascal(group: string): string {
  if (group === '') return 'Core';
  return group.replace(/\.k8s\.io$/, '').split('.').map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('');
}

export function versionPascal(version: string): string {
  return version.charAt(0).toUpperCase() + version.slice(1);
}

export function tagOf(group: string, version: string): string {
  const g = groupPascal(group);
  return `${g.charAt(0).toLowerCase()}${g.slice(1)}_${version}`;
}

export function groupVersionPrefix(group: string, version: string): string {
  return group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
}

const params = (ids: ParameterId[]): ParameterSpec[] => ids.map((id) => PARAMETERS[id]);
const ref = (definition: string): Schema => ({ $ref: definitionRef(definition) });
const STATUS = `${META_V1}.Status`;

function ok(schema: Schema, ...codes: Array<'200' | '201' | '202'>): ResponseSpec[] {
  const text = { '200': 'OK', '201': 'Created', '202': 'Accepted' };
  return [...codes.map((code) => ({ code, description: text[code], schema })), { code: '401', description: 'Unauthorized' }];
}

const CONNECT_PARAMS: Record<string, ParameterId[]> = { exec: EXEC_PARAMS, attach: ATTACH_PARAMS, portforward: ['ports'] };

export function resourcePaths(def: ResourceDefinition, resolve: NameResolver): PathSpec[] {
  const model = modelOfDef(def);
  if (!model) return [];
  const G = groupPascal(def.group);
  const V = versionPascal(def.version);
  const K = def.kind;
  const N = def.namespaced ? 'Namespaced' : '';
  const prefix = groupVersionPrefix(def.group, def.version);
  const tags = [tagOf(def.group, def.version)];
  const gvk: GVK = { group: def.group, version: def.version, kind: K };
  const verbs = new Set(verbsOf(def));
  const kindRef = ref(resolve(model));
  const listRef = ref(resolve(`${model}List`));
  const watchRef = ref(`${META_V1}.WatchEvent`);
  const deleteBody = { schema: ref(`${META_V1}.DeleteOptions`), required: false };
  const deleteResult = def.strategy.defaultGracePeriodSeconds ? kindRef : ref(STATUS);
  const nsParams = def.namespaced ? [PARAMETERS.namespace] : [];
  const collection = def.namespaced ? `${prefix}/namespaces/{namespace}/${def.resource}` : `${prefix}/${def.resource}`;
  const item = `${collection}/{name}`;
  const op = (o: Omit<OperationSpec, 'tags' | 'consumes' | 'produces'> & Partial<Pick<OperationSpec, 'consumes' | 'produces'>>): OperationSpec => ({
    consumes: ANY,
    produces: JSON_YAML,
    tags,
    ...o,
  });
  const out: PathSpec[] = [];

  const collectionOps: OperationSpec[] = [];
  if (verbs.has('deletecollection')) {
    collectionOps.push(op({
      method: 'delete', operationId: `delete${G}${V}Collection${N}${K}`, description: `delete collection of ${K}`,
      action: 'deletecollection', gvk, params: params(DELETE_COLLECTION_PARAMS), body: deleteBody, responses: ok(ref(STATUS), '200'),
    }));
  }
  if (verbs.has('list')) {
    collectionOps.push(op({
      method: 'get', operationId: `list${G}${V}${N}${K}`, description: `list or watch objects of kind ${K}`,
      action: 'list', gvk, params: params(LIST_PARAMS), responses: ok(listRef, '200'), produces: WITH_WATCH,
    }));
  }
  if (verbs.has('create')) {
    collectionOps.push(op({
      method: 'post', operationId: `create${G}${V}${N}${K}`, description: `create a ${K}`,
      action: 'post', gvk, params: params(WRITE_PARAMS), body: { schema: kindRef, required: true }, responses: ok(kindRef, '200', '201', '202'),
    }));
  }
  if (collectionOps.length) out.push({ path: collection, params: [...nsParams, PARAMETERS.pretty], ops: collectionOps });

  const itemOps: OperationSpec[] = [];
  if (verbs.has('delete')) {
    itemOps.push(op({
      method: 'delete', operationId: `delete${G}${V}${N}${K}`, description: `delete a ${K}`,
      action: 'delete', gvk, params: params(DELETE_PARAMS), body: deleteBody, responses: ok(deleteResult, '200', '202'),
    }));
  }
  if (verbs.has('get')) {
    itemOps.push(op({ method: 'get', operationId: `read${G}${V}${N}${K}`, description: `read the specified ${K}`, action: 'get', gvk, params: [], responses: ok(kindRef, '200') }));
  }
  if (verbs.has('patch')) {
    itemOps.push(op({
      method: 'patch', operationId: `patch${G}${V}${N}${K}`, description: `partially update the specified ${K}`, action: 'patch', gvk,
      params: params(PATCH_PARAMS), body: { schema: ref(`${META_V1}.Patch`), required: true }, responses: ok(kindRef, '200', '201'), consumes: PATCH_CONTENT_TYPES,
    }));
  }
  if (verbs.has('update')) {
    itemOps.push(op({
      method: 'put', operationId: `replace${G}${V}${N}${K}`, description: `replace the specified ${K}`, action: 'put', gvk,
      params: params(WRITE_PARAMS), body: { schema: kindRef, required: true }, responses: ok(kindRef, '200', '201'),
    }));
  }
  if (itemOps.length) out.push({ path: item, params: [nameParameter(K), ...nsParams, PARAMETERS.pretty], ops: itemOps });

  if (def.namespaced && verbs.has('list')) {
    out.push({
      path: `${prefix}/${def.resource}`,
      params: [...params(LIST_PARAMS.slice(0, 5)), PARAMETERS.pretty, ...params(LIST_PARAMS.slice(5))],
      ops: [op({ method: 'get', operationId: `list${G}${V}${K}ForAllNamespaces`, description: `list or watch objects of kind ${K}`, action: 'list', gvk, params: [], responses: ok(listRef, '200'), produces: WITH_WATCH })],
    });
  }

  if (verbs.has('watch')) {
    const watchParams = (extra: ParameterSpec[]) => [...params(LIST_PARAMS.slice(0, 5)), ...extra, PARAMETERS.pretty, ...params(LIST_PARAMS.slice(5))];
    const watch = (path: string, operationId: string, action: 'watch' | 'watchlist', extra: ParameterSpec[]): PathSpec => ({
      path,
      params: watchParams(extra),
      ops: [op({
        method: 'get', operationId, action, gvk, params: [], responses: ok(watchRef, '200'), produces: WITH_WATCH,
        description: action === 'watch'
          ? `watch changes to an object of kind ${K}. deprecated: use the 'watch' parameter with a list operation instead, filtered to a single item with the 'fieldSelector' parameter.`
          : `watch individual changes to a list of ${K}. deprecated: use the 'watch' parameter with a list operation instead.`,
      })],
    });
    const watchCollection = def.namespaced ? `${prefix}/watch/namespaces/{namespace}/${def.resource}` : `${prefix}/watch/${def.resource}`;
    out.push(watch(watchCollection, `watch${G}${V}${N}${K}List`, 'watchlist', nsParams));
    out.push(watch(`${watchCollection}/{name}`, `watch${G}${V}${N}${K}`, 'watch', [nameParameter(K), ...nsParams]));
    if (def.namespaced) out.push(watch(`${prefix}/watch/${def.resource}`, `watch${G}${V}${K}ListForAllNamespaces`, 'watchlist', []));
  }

  for (const sub of subresourcesOf(def)) {
    const info = describeSubresource(def, sub);
    const S = sub.charAt(0).toUpperCase() + sub.slice(1);
    const subGvk: GVK = { group: info.group ?? def.group, version: info.version ?? def.version, kind: info.kind };
    const subModel = SUBRESOURCE_KIND_MODELS[info.kind] ?? model;
    const subRef = ref(resolve(subModel));
    const pathParams = [nameParameter(info.kind === K ? K : info.kind), ...nsParams];
    const path = `${item}/${sub}`;
    if (sub === 'log') {
      out.push({ path, params: [nameParameter(K), ...nsParams, PARAMETERS.pretty], ops: [op({
        method: 'get', operationId: `read${G}${V}${N}${K}Log`, description: `read log of the specified ${K}`, action: 'get', gvk: subGvk,
        params: params(LOG_PARAMS), responses: ok({ type: 'string' }, '200'),
        produces: ['text/plain', 'application/json', 'application/yaml'],
      })] });
      continue;
    }
    if (sub === 'proxy') {
      const methods: HttpMethod[] = ['delete', 'get', 'head', 'options', 'patch', 'post', 'put'];
      const connect = (withPath: boolean) => methods.map((m) => op({
        method: m, operationId: `connect${G}${V}${m.charAt(0).toUpperCase()}${m.slice(1)}${N}${K}Proxy${withPath ? 'WithPath' : ''}`,
        description: `connect ${m.toUpperCase()} requests to proxy of ${K}`, action: 'connect', gvk: subGvk,
        params: withPath ? [] : [PARAMETERS.proxyPath], responses: ok({ type: 'string' }, '200'), produces: ANY,
      }));
      out.push({ path, params: [nameParameter(info.kind), ...nsParams], ops: connect(false) });
      out.push({ path: `${path}/{path}`, params: [nameParameter(info.kind), ...nsParams, PARAMETERS.pathPath], ops: connect(true) });
      continue;
    }
    if (CONNECT_PARAMS[sub]) {
      const connect = (m: 'get' | 'post') => op({
        method: m, operationId: `connect${G}${V}${m === 'get' ? 'Get' : 'Post'}${N}${K}${S}`,
        description: `connect ${m.toUpperCase()} requests to ${sub} of ${K}`, action: 'connect', gvk: subGvk,
        params: params(CONNECT_PARAMS[sub]!), responses: ok({ type: 'string' }, '200'), produces: ANY,
      });
      out.push({ path, params: [nameParameter(info.kind), ...nsParams], ops: [connect('get'), connect('post')] });
      continue;
    }
    const ops: OperationSpec[] = [];
    for (const verb of info.verbs) {
      if (verb === 'get') ops.push(op({ method: 'get', operationId: `read${G}${V}${N}${K}${S}`, description: `read ${sub} of the specified ${K}`, action: 'get', gvk: subGvk, params: [], responses: ok(subRef, '200') }));
      if (verb === 'patch') {
        ops.push(op({
          method: 'patch', operationId: `patch${G}${V}${N}${K}${S}`, description: `partially update ${sub} of the specified ${K}`, action: 'patch', gvk: subGvk,
          params: params(PATCH_PARAMS), body: { schema: ref(`${META_V1}.Patch`), required: true }, responses: ok(subRef, '200', '201'), consumes: PATCH_CONTENT_TYPES,
        }));
      }
      if (verb === 'update') {
        ops.push(op({
          method: 'put', operationId: `replace${G}${V}${N}${K}${S}`, description: `replace ${sub} of the specified ${K}`, action: 'put', gvk: subGvk,
          params: params(WRITE_PARAMS), body: { schema: subRef, required: true }, responses: ok(subRef, '200', '201'),
        }));
      }
      if (verb === 'create') {
        ops.push(op({
          method: 'post', operationId: `create${G}${V}${N}${K}${S}`, description: `create ${sub} of a ${K}`, action: 'post', gvk: subGvk,
          params: params(WRITE_PARAMS), body: { schema: subRef, required: true }, responses: ok(subRef, '200', '201', '202'),
        }));
      }
    }
    out.push({ path, params: [...pathParams, PARAMETERS.pretty], ops });
  }
  return out;
}

/** GET /api/v1/ or /apis/{g}/{v}/: the APIResourceList. */
export function resourceListPath(group: string, version: string): PathSpec {
  return {
    path: `${groupVersionPrefix(group, version)}/`,
    params: [],
    ops: [{
      method: 'get', operationId: `get${groupPascal(group)}${versionPascal(version)}APIResources`, description: 'get available resources',
      params: [], responses: ok(ref(`${META_V1}.APIResourceList`), '200'), consumes: JSON_YAML, produces: JSON_YAML, tags: [tagOf(group, version)],
    }],
  };
}

/** The paths of the non-group-version documents: "api", "apis", "apis/{g}", "version". */
export function rootPaths(key: string): PathSpec[] | undefined {
  const simple = (path: string, operationId: string, description: string, definition: string, tag: string): PathSpec[] => [{
    path,
    params: [],
    ops: [{ method: 'get', operationId, description, params: [], responses: ok(ref(definition), '200'), consumes: JSON_YAML, produces: JSON_YAML, tags: [tag] }],
  }];
  if (key === 'api') return simple('/api/', 'getCoreAPIVersions', 'get available API versions', `${META_V1}.APIVersions`, 'core');
  if (key === 'apis') return simple('/apis/', 'getAPIVersions', 'get available API versions', `${META_V1}.APIGroupList`, 'apis');
  if (key === 'version') return simple('/version/', 'getCodeVersion', 'get the version information for this server', VERSION_INFO, 'version');
  const m = /^apis\/([^/]+)$/.exec(key);
  if (m) {
    const g = groupPascal(m[1]!);
    return simple(`/apis/${m[1]}/`, `get${g}APIGroup`, 'get information of a group', `${META_V1}.APIGroup`, `${g.charAt(0).toLowerCase()}${g.slice(1)}`);
  }
  return undefined;
}
