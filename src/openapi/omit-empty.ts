// What a Go round trip does to a built-in object: JSON null becomes nil and an empty map or slice is
// dropped by `omitempty`, so `labels: {}`, `data: {}` and `ports: []` never come back from
// kube-apiserver. Required fields are left alone (they have no omitempty). Structs are kept even
// when empty (`emptyDir: {}` means something).
import models from './models.generated.json' with { type: 'json' };
import { parseTypeString } from '../apimachinery/patch/schema-lookup.ts';

interface Property { type: string; required?: boolean }
interface Model { properties?: Record<string, Property> }
const MODELS = models as unknown as Record<string, Model>;

type Json = Record<string, unknown>;

function isEmptyCollection(v: unknown): boolean {
  if (Array.isArray(v)) return v.length === 0;
  return typeof v === 'object' && v !== null && Object.keys(v).length === 0;
}

/** Drops nulls and empty optional maps/arrays from obj, in place, following the model's types. */
export function omitEmpty(obj: unknown, model: string): void {
  const props = MODELS[model]?.properties;
  if (!props || typeof obj !== 'object' || obj === null || Array.isArray(obj)) return;
  const o = obj as Json;
  for (const [k, v] of Object.entries(o)) {
    const p = props[k];
    if (!p) continue; // unknown fields were dealt with by decoding
    if (v === null) {
      delete o[k];
      continue;
    }
    const t = parseTypeString(p.type);
    if (t.kind === 'model') omitEmpty(v, t.name);
    else if (t.kind === 'array' && Array.isArray(v)) for (const e of v) omitEmpty(e, t.element);
    else if (t.kind === 'map' && typeof v === 'object' && !Array.isArray(v)) {
      for (const e of Object.values(v as Json)) omitEmpty(e, t.value);
    }
    if (!p.required && (t.kind === 'array' || t.kind === 'map') && isEmptyCollection(v)) delete o[k];
  }
}
