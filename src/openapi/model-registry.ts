// The Kubernetes types as @kubernetes/client-node describes them (models.generated.json), read on
// first use — never at import time — with their field types parsed into a small type language.
import { readFileSync } from 'node:fs';

export interface ModelField {
  type: string;
  format?: string;
  description?: string;
  required?: boolean;
}

export interface Model {
  description?: string;
  properties: Record<string, ModelField>;
}

export type FieldType =
  | { kind: 'primitive'; type: 'string' | 'number' | 'boolean'; format?: string }
  | { kind: 'date' }
  | { kind: 'any' }
  | { kind: 'intOrString' }
  | { kind: 'model'; name: string }
  | { kind: 'array'; items: FieldType }
  | { kind: 'map'; values: FieldType };

let models: Record<string, Model> | undefined;

export function loadModels(): Record<string, Model> {
  models ??= JSON.parse(readFileSync(new URL('./models.generated.json', import.meta.url), 'utf8')) as Record<string, Model>;
  return models;
}

export function getModel(name: string): Model | undefined {
  const all = loadModels();
  return Object.hasOwn(all, name) ? all[name] : undefined;
}

const ARRAY_RE = /^Array<(.+)>$/;
const MAP_RE = /^\{ \[key: string\]: (.+); \}$/;

/** Parses client-node's TypeScript-ish type strings: `Array<V1Container>`, `{ [key: string]: string; }`… */
export function parseFieldType(type: string, format?: string): FieldType {
  const arr = ARRAY_RE.exec(type);
  if (arr) return { kind: 'array', items: parseFieldType(arr[1]!) };
  const map = MAP_RE.exec(type);
  if (map) return { kind: 'map', values: parseFieldType(map[1]!) };
  switch (type) {
    case 'string':
    case 'number':
    case 'boolean':
      return format ? { kind: 'primitive', type, format } : { kind: 'primitive', type };
    case 'Date':
      return { kind: 'date' };
    case 'any':
    case 'object':
      return { kind: 'any' };
    case 'IntOrString':
      return { kind: 'intOrString' };
    default:
      return { kind: 'model', name: type };
  }
}

/** Model names a field type refers to. */
export function referencedModels(t: FieldType): string[] {
  switch (t.kind) {
    case 'model':
      return [t.name];
    case 'array':
      return referencedModels(t.items);
    case 'map':
      return referencedModels(t.values);
    default:
      return [];
  }
}

/** Every model reachable from the roots (roots included), in discovery order. */
export function modelClosure(roots: Iterable<string>): string[] {
  const seen = new Set<string>();
  const queue = [...roots];
  while (queue.length) {
    const name = queue.shift()!;
    if (seen.has(name)) continue;
    const model = getModel(name);
    if (!model) continue;
    seen.add(name);
    for (const f of Object.values(model.properties)) queue.push(...referencedModels(parseFieldType(f.type, f.format)));
  }
  return [...seen];
}
