// The set of definitions the documents need: every served kind and its List, the subresource kinds
// (Scale, Eviction, TokenRequest, Binding), the meta types operations use, everything they reach, and
// the apimachinery value types. Served kinds carry x-kubernetes-group-version-kind, which kubectl
// uses to find a kind's schema (explain, apply's patch metadata).
import type { ResourceDefinition } from '../registry/types.ts';
import { describeSubresource, subresourcesOf } from '../apiserver/discovery/subresource-catalog.ts';
import { type NameResolver, modelOfDef } from './definition-names.ts';
import { SUBRESOURCE_KIND_MODELS } from './known-types.ts';
import { getModel, modelClosure } from './model-registry.ts';
import { type GVK, type Schema, modelDefinition } from './schema-builder.ts';
import { SPECIAL_DEFINITIONS_V2 } from './special-types.ts';

const META_ROOTS = ['V1DeleteOptions', 'V1Status', 'V1WatchEvent', 'V1APIResourceList', 'V1APIGroup', 'V1APIGroupList', 'V1APIVersions', 'VersionInfo'];

function addGvk(map: Map<string, GVK[]>, model: string, gvk: GVK): void {
  const list = map.get(model) ?? [];
  if (!list.some((g) => g.group === gvk.group && g.version === gvk.version && g.kind === gvk.kind)) list.push(gvk);
  map.set(model, list);
}

export function buildDefinitions(defs: ResourceDefinition[], resolve: NameResolver): Record<string, Schema> {
  const gvks = new Map<string, GVK[]>();
  const roots: string[] = [];
  const groupVersions = new Map<string, GVK>([['/v1', { group: '', version: 'v1', kind: '' }]]);
  for (const def of defs) {
    const model = modelOfDef(def);
    if (!model) continue;
    groupVersions.set(`${def.group}/${def.version}`, { group: def.group, version: def.version, kind: '' });
    roots.push(model);
    addGvk(gvks, model, { group: def.group, version: def.version, kind: def.kind });
    if (getModel(`${model}List`)) {
      roots.push(`${model}List`);
      addGvk(gvks, `${model}List`, { group: def.group, version: def.version, kind: `${def.kind}List` });
    }
    for (const sub of subresourcesOf(def)) {
      const info = describeSubresource(def, sub);
      const subModel = SUBRESOURCE_KIND_MODELS[info.kind];
      if (!subModel) continue;
      roots.push(subModel);
      addGvk(gvks, subModel, { group: info.group ?? def.group, version: info.version ?? def.version, kind: info.kind });
    }
  }
  // Options and events are registered in every served group version, as upstream.
  for (const gv of groupVersions.values()) {
    addGvk(gvks, 'V1DeleteOptions', { ...gv, kind: 'DeleteOptions' });
    addGvk(gvks, 'V1WatchEvent', { ...gv, kind: 'WatchEvent' });
  }
  addGvk(gvks, 'V1Status', { group: '', version: 'v1', kind: 'Status' });

  const out: Record<string, Schema> = {};
  for (const model of modelClosure([...roots, ...META_ROOTS])) {
    const schema = modelDefinition(model, resolve, gvks.get(model));
    if (schema) out[resolve(model)] = schema;
  }
  for (const [name, schema] of Object.entries(SPECIAL_DEFINITIONS_V2)) out[name] = { ...schema };
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
