// Decoding checks against the built-in types' schema, as the apiserver's JSON decoder does:
// wrong JSON types are always a 400, unknown fields are dropped, warned about or refused
// according to fieldValidation (Ignore / Warn / Strict).
import models from '../openapi/models.generated.json' with { type: 'json' };

interface FieldInfo { type: string; format?: string }
interface ModelInfo { properties: Record<string, FieldInfo> }
const MODELS = models as unknown as Record<string, ModelInfo>;

// Quantity-valued maps and fields accept JSON numbers (resource.Quantity unmarshals both).
const QUANTITY_FIELDS = new Set(['limits', 'requests', 'overhead', 'capacity', 'allocatable', 'hard', 'used', 'min', 'max',
  'default', 'defaultRequest', 'maxLimitRequestRatio', 'sizeLimit', 'allocatedResources', 'storage']);

export interface SchemaProblems {
  /** "json: cannot unmarshal …" style messages: the request is refused whatever fieldValidation says. */
  typeErrors: string[];
  /** Paths of unknown fields, e.g. "spec.foo" or "spec.containers[0].bar". */
  unknownFields: string[];
}

export function hasModel(model: string | undefined): model is string {
  return !!model && !!MODELS[model];
}

/** Go type name for messages: "V1DeploymentSpec" → "DeploymentSpec". */
function goStruct(model: string): string {
  return model.replace(/^(?:[A-Z][a-z]+)?V\d+(?:(?:alpha|beta)\d+)?/, '');
}

function goType(f: FieldInfo): string {
  if (f.type === 'number') return f.format === 'int64' ? 'int64' : f.format === 'double' ? 'float64' : 'int32';
  if (f.type === 'boolean') return 'bool';
  if (f.type === 'string' || f.type === 'Date') return 'string';
  if (f.type.startsWith('Array<')) return `[]${goTypeName(f.type.slice(6, -1))}`;
  if (f.type.startsWith('{')) return `map[string]${goTypeName(mapValue(f.type))}`;
  return `v1.${goStruct(f.type)}`;
}

function goTypeName(t: string): string {
  return goType({ type: t });
}

function mapValue(t: string): string {
  const m = /^\{ \[key: string\]: (.+); \}$/.exec(t);
  return m ? m[1]! : 'any';
}

function jsType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  return typeof v === 'number' ? `number ${v}` : typeof v;
}

export function checkSchema(obj: unknown, model: string): SchemaProblems {
  const out: SchemaProblems = { typeErrors: [], unknownFields: [] };
  walkModel(obj, model, '', out);
  return out;
}

function walkModel(v: unknown, model: string, path: string, out: SchemaProblems): void {
  const info = MODELS[model];
  if (!info || v === null || typeof v !== 'object' || Array.isArray(v)) return;
  for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
    const f = info.properties[k];
    const p = path ? `${path}.${k}` : k;
    if (!f) { out.unknownFields.push(p); continue; }
    walkValue(child, f, p, model, k, out);
  }
}

function walkValue(v: unknown, f: FieldInfo, path: string, parentModel: string, fieldName: string, out: SchemaProblems): void {
  if (v === null) return;
  const t = f.type;
  const bad = (): void => { out.typeErrors.push(`json: cannot unmarshal ${jsType(v).split(' ')[0]}${typeof v === 'number' && !Number.isInteger(v) ? ` ${v}` : ''} into Go struct field ${goStruct(parentModel)}.${path} of type ${goType(f)}`); };
  switch (t) {
    case 'any': case 'object': return;
    case 'string': case 'Date':
      if (typeof v === 'string') return;
      if (typeof v === 'number' && QUANTITY_FIELDS.has(fieldName)) return;
      return bad();
    case 'number':
      if (typeof v !== 'number') return bad();
      if (f.format !== 'double' && !Number.isInteger(v)) return bad();
      return;
    case 'boolean':
      if (typeof v !== 'boolean') return bad();
      return;
    case 'IntOrString':
      if (typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v))) return;
      return bad();
  }
  if (t.startsWith('Array<')) {
    if (!Array.isArray(v)) return bad();
    const elem = t.slice(6, -1);
    v.forEach((item, i) => walkValue(item, { type: elem }, `${path}[${i}]`, parentModel, fieldName, out));
    return;
  }
  if (t.startsWith('{')) {
    if (typeof v !== 'object' || Array.isArray(v)) return bad();
    const elem = mapValue(t);
    for (const [k, item] of Object.entries(v as Record<string, unknown>)) {
      walkValue(item, { type: elem }, `${path}[${k}]`, parentModel, fieldName, out);
    }
    return;
  }
  if (MODELS[t]) {
    if (typeof v !== 'object' || Array.isArray(v)) return bad();
    walkModel(v, t, path, out);
  }
}
