// client-node model name → upstream OpenAPI definition name (V1Pod → io.k8s.api.core.v1.Pod,
// V1LabelSelector → io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector, V1Scale →
// io.k8s.api.autoscaling.v1.Scale). Nested types belong to the first group whose kinds reach them:
// core first, then the other built-in groups, then the served definitions' own groups.
import type { ResourceDefinition } from '../registry/types.ts';
import { GROUP_VERSION_ROOTS, META_V1, META_V1_MODELS, MODEL_PREFIX_GROUPS, VERSION_INFO, packageOfGroup } from './known-types.ts';
import { getModel, modelClosure } from './model-registry.ts';

const NAME_RE = /^([A-Z][a-z]+)?V(\d+(?:alpha\d+|beta\d+)?)([A-Z]\w*)$/;

interface ParsedName {
  prefixGroup?: string;
  version: string;
  kind: string;
}

export function parseModelName(model: string): ParsedName | undefined {
  const m = NAME_RE.exec(model);
  if (!m) return undefined;
  const prefix = m[1];
  if (prefix !== undefined && !Object.hasOwn(MODEL_PREFIX_GROUPS, prefix)) return undefined;
  return {
    ...(prefix !== undefined ? { prefixGroup: MODEL_PREFIX_GROUPS[prefix] } : {}),
    version: `v${m[2]}`,
    kind: m[3]!,
  };
}

/** Client-node model name of a served kind: openapiModel, else V1Pod / CoreV1Event style. */
export function modelOfDef(def: ResourceDefinition): string | undefined {
  if (def.openapiModel) return def.openapiModel;
  const v = `V${def.version.slice(1)}`;
  const prefix = Object.entries(MODEL_PREFIX_GROUPS).find(([, g]) => g === def.group)?.[0];
  const candidates = [prefix ? `${prefix}${v}${def.kind}` : undefined, `${v}${def.kind}`];
  return candidates.find((c) => c !== undefined && getModel(c) !== undefined);
}

function withLists(models: string[]): string[] {
  return models.flatMap((m) => (getModel(`${m}List`) ? [m, `${m}List`] : [m]));
}

export type NameResolver = (model: string) => string;

let staticGroups: Map<string, string> | undefined;

function assign(groups: Map<string, string>, group: string, version: string, roots: string[], matchVersion: boolean): void {
  for (const model of modelClosure(withLists(roots))) {
    if (groups.has(model) || META_V1_MODELS.has(model)) continue;
    const parsed = parseModelName(model);
    if (!parsed || parsed.prefixGroup !== undefined) continue;
    if (matchVersion && parsed.version !== version) continue;
    groups.set(model, group);
  }
}

function builtinGroups(): Map<string, string> {
  if (!staticGroups) {
    staticGroups = new Map();
    for (const [group, version, roots] of GROUP_VERSION_ROOTS) assign(staticGroups, group, version, roots, true);
  }
  return staticGroups;
}

const resolvers = new WeakMap<ResourceDefinition[], NameResolver>();

/** A resolver for the served definitions; served kinds outside the built-in groups claim their types. */
export function nameResolver(defs: ResourceDefinition[]): NameResolver {
  const cached = resolvers.get(defs);
  if (cached) return cached;
  const groups = new Map(builtinGroups());
  const defRoots = defs.map((d) => ({ d, model: modelOfDef(d) })).filter((x): x is { d: ResourceDefinition; model: string } => !!x.model);
  for (const { d, model } of defRoots) assign(groups, d.group, d.version, [model], true);
  for (const { d, model } of defRoots) assign(groups, d.group, d.version, [model], false);
  const cache = new Map<string, string>();
  const resolve: NameResolver = (model) => {
    let name = cache.get(model);
    if (name === undefined) {
      name = definitionName(model, groups);
      cache.set(model, name);
    }
    return name;
  };
  resolvers.set(defs, resolve);
  return resolve;
}

function definitionName(model: string, groups: Map<string, string>): string {
  if (model === 'VersionInfo') return VERSION_INFO;
  const parsed = parseModelName(model);
  if (!parsed) return model;
  if (META_V1_MODELS.has(model)) return `${META_V1}.${parsed.kind}`;
  const group = parsed.prefixGroup ?? groups.get(model) ?? '';
  return `${packageOfGroup(group)}.${parsed.version}.${parsed.kind}`;
}
