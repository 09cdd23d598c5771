// Type navigation for the strategic merge patch over src/openapi/models.generated.json: the
// declared type of a field ("Array<V1Container>", "V1PodSpec", "{ [key: string]: string; }")
// joined with its patch strategy from patch-meta.ts.
import { createRequire } from 'node:module';
import { patchMeta } from './patch-meta.ts';

interface ModelProperty { type: string }
interface Model { properties?: Record<string, ModelProperty> }

const require = createRequire(import.meta.url);
const models = require('../../openapi/models.generated.json') as Record<string, Model>;

export interface FieldInfo {
  /** The declared type string, e.g. "Array<V1Container>". */
  type?: string;
  /** For arrays, the element type string, e.g. "V1Container" or "string". */
  elementType?: string;
  strategy?: string;
  mergeKey?: string;
}

export type ParsedType =
  | { kind: 'array'; element: string }
  | { kind: 'map'; value: string }
  | { kind: 'model'; name: string }
  | { kind: 'primitive' };

const ARRAY = /^Array<(.+)>$/;
const MAP = /^\{ \[key: string\]: (.+); \}$/;

export function parseTypeString(t: string): ParsedType {
  let m = ARRAY.exec(t);
  if (m) return { kind: 'array', element: m[1]! };
  m = MAP.exec(t);
  if (m) return { kind: 'map', value: m[1]! };
  if (Object.prototype.hasOwnProperty.call(models, t)) return { kind: 'model', name: t };
  return { kind: 'primitive' };
}

export function hasModel(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(models, name);
}

/** The field's declared type and patch metadata; {} when the model or field is unknown. */
export function lookupField(modelName: string, field: string): FieldInfo {
  const prop = models[modelName]?.properties?.[field];
  if (!prop) return {};
  const info: FieldInfo = { type: prop.type };
  const parsed = parseTypeString(prop.type);
  if (parsed.kind === 'array') info.elementType = parsed.element;
  const meta = patchMeta[`${modelName}.${field}`];
  if (meta) {
    info.strategy = meta.strategy;
    if (meta.mergeKey) info.mergeKey = meta.mergeKey;
  }
  return info;
}

/**
 * The model name of a built-in kind: "apps/v1" Deployment → "V1Deployment", "autoscaling/v2"
 * HorizontalPodAutoscaler → "V2HorizontalPodAutoscaler". Undefined for kinds with no model
 * (custom resources), which upstream does not accept strategic merge patches for.
 */
export function modelNameFor(apiVersion: string, kind: string): string | undefined {
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  const v = version.charAt(0).toUpperCase() + version.slice(1);
  // Names the client generator disambiguated with a group prefix.
  const prefixed: Record<string, string> = {
    '': 'Core', 'events.k8s.io': 'Events', 'resource.k8s.io': 'Resource', 'authentication.k8s.io': 'Authentication',
  };
  const candidates = [`${v}${kind}`];
  if (group in prefixed) candidates.unshift(`${prefixed[group]}${v}${kind}`);
  return candidates.find(hasModel);
}
