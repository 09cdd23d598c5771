// Generates src/openapi/models.generated.json from @kubernetes/client-node's generated models:
// every Kubernetes type with its fields (JSON name, type, format, required) and descriptions.
// The OpenAPI documents, kubectl explain and the strategic-merge-patch schema lookup read this
// one description of the types. Run: node --import tsx scripts/gen-models.ts
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

interface FieldInfo { type: string; format?: string; description?: string; required?: boolean }
interface ModelInfo { description?: string; properties: Record<string, FieldInfo> }

const require = createRequire(import.meta.url);
const pkgDir = dirname(require.resolve('@kubernetes/client-node/package.json'));
const modelsDir = join(pkgDir, 'dist', 'gen', 'models');

function unescape(s: string): string {
  return s.replace(/\\'/g, "'").replace(/\\"/g, '"').replace(/\\\\/g, '\\').trim();
}

function parseDts(text: string): { description?: string; fields: Map<string, { description?: string; required: boolean }> } {
  const fields = new Map<string, { description?: string; required: boolean }>();
  const classIdx = text.indexOf('export declare class');
  const head = text.slice(0, classIdx);
  const classDoc = /\/\*\*\s*\n\*\s?([\s\S]*?)\n\*\/\s*$/.exec(head.trimEnd());
  const body = text.slice(classIdx);
  const re = /(?:\/\*\*\s*\n\s*\*\s?([\s\S]*?)\n\s*\*\/\s*\n)?\s*'([^']+)'(\?)?:/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(body))) {
    const desc = m[1] ? unescape(m[1].split('\n').map((l) => l.replace(/^\s*\*\s?/, '')).join('\n')) : undefined;
    fields.set(m[2]!, { description: desc, required: !m[3] });
  }
  return { description: classDoc ? unescape(classDoc[1]!.split('\n').map((l) => l.replace(/^\*\s?/, '')).join('\n')) : undefined, fields };
}

const out: Record<string, ModelInfo> = {};
for (const file of readdirSync(modelsDir).filter((f) => f.endsWith('.js')).sort()) {
  const name = file.slice(0, -3);
  const mod = (await import(join(modelsDir, file))) as Record<string, { attributeTypeMap?: Array<{ name: string; baseName: string; type: string; format: string }> }>;
  const cls = mod[name];
  if (!cls || !Array.isArray(cls.attributeTypeMap)) continue;
  let dts: ReturnType<typeof parseDts> = { fields: new Map() };
  try { dts = parseDts(readFileSync(join(modelsDir, `${name}.d.ts`), 'utf8')); } catch { /* no declaration file */ }
  const model: ModelInfo = { properties: {} };
  if (dts.description) model.description = dts.description;
  for (const a of cls.attributeTypeMap) {
    const f: FieldInfo = { type: a.type };
    if (a.format) f.format = a.format;
    const d = dts.fields.get(a.name);
    if (d?.description) f.description = d.description;
    if (d?.required) f.required = true;
    model.properties[a.baseName] = f;
  }
  out[name] = model;
}
writeFileSync(new URL('../src/openapi/models.generated.json', import.meta.url), JSON.stringify(out) + '\n');
console.log(`wrote ${Object.keys(out).length} models`);
