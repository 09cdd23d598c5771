// Duplicate fields in a request body, as fieldValidation reports them next to unknown fields, in
// upstream's words and order. JSON: `duplicate field "spec.paused"` in document order (the strict
// JSON decoder's); YAML: the YAML decoder's `line 5: key "name" already set in map`, before the
// unknown fields, which then come in sorted order (upstream converts YAML to JSON with sorted keys).
import { isScalar, parseDocument, visit } from 'yaml';
import { mergeDuplicateObjects, scanJsonKeys } from './json-duplicate-keys.ts';

export interface DuplicateFields {
  /** fieldValidation=Strict: the strict decoding errors, with the given unknown-field paths. */
  errors(unknown: string[]): string[];
  /** fieldValidation=Warn: one warning each. */
  warnings(unknown: string[]): string[];
}

/** Upstream keeps at most this many strict decoding errors. */
const MAX_ERRORS = 100;

const unknownField = (path: string): string => `unknown field "${path}"`;

function capped(messages: string[]): string[] {
  return [...new Set(messages)].slice(0, MAX_ERRORS);
}

export const NO_DUPLICATES: DuplicateFields = {
  errors: (unknown) => capped(unknown.map(unknownField)),
  warnings: (unknown) => capped(unknown.map(unknownField)),
};

/** Whether path is the unknown field u or lies under it. */
function under(path: string, u: string): boolean {
  return path === u || path.startsWith(`${u}.`) || path.startsWith(`${u}[`);
}

/**
 * Finds repeated keys in JSON text that JSON.parse turned into value, and gives value what Go's
 * decoder makes of them (a repeated object merges into the first). Returns what to report.
 */
export function resolveJsonDuplicates(text: string, value: unknown): DuplicateFields {
  const { duplicates } = scanJsonKeys(text);
  if (duplicates.length === 0) return NO_DUPLICATES;
  mergeDuplicateObjects(value, text, duplicates);
  const report = (unknown: string[]): string[] => {
    // The typed decoder skips unknown fields whole: a repeated unknown field is reported as unknown only.
    const repeated = duplicates.filter((d) => !unknown.some((u) => under(d.path, u)));
    const ordinals = unknown.length > 0 ? scanJsonKeys(text, new Set(unknown)).ordinals : new Map<string, number>();
    const entries = [
      ...unknown.map((u) => ({ at: ordinals.get(u) ?? Number.MAX_SAFE_INTEGER, message: unknownField(u) })),
      ...repeated.map((d) => ({ at: d.ordinal, message: `duplicate field "${d.path}"` })),
    ];
    return capped(entries.sort((a, b) => a.at - b.at).map((e) => e.message));
  };
  return { errors: report, warnings: report };
}

/** Parse YAML accepting repeated keys (the last one wins, as in upstream's non-strict decoding). */
export function parseYamlReportingDuplicates(text: string): { value: unknown; duplicates: DuplicateFields } {
  const doc = parseDocument(text);
  const lines: string[] = [];
  let keysAt: Map<number, unknown> | undefined;
  for (const err of doc.errors) {
    if (err.code !== 'DUPLICATE_KEY') throw err;
    if (!keysAt) {
      const found = new Map<number, unknown>();
      visit(doc, { Pair(_, pair) { if (isScalar(pair.key) && pair.key.range) found.set(pair.key.range[0], pair.key.value); } });
      keysAt = found;
    }
    const key = keysAt.get(err.pos[0]);
    lines.push(`line ${err.linePos?.[0].line ?? 0}: key ${typeof key === 'string' ? JSON.stringify(key) : String(key)} already set in map`);
  }
  const value = doc.toJS({ maxAliasCount: 100 });
  const sorted = (unknown: string[]): string[] => [...unknown].sort((a, b) => {
    // Field by field: a path's separators sort before any name character.
    const ka = a.replace(/[.[]/g, '\u0000');
    const kb = b.replace(/[.[]/g, '\u0000');
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  }).map(unknownField);
  return {
    value,
    duplicates: {
      errors: (unknown) => capped([...(lines.length ? [`yaml: unmarshal errors:\n  ${lines.join('\n  ')}`] : []), ...sorted(unknown)]),
      warnings: (unknown) => capped([...lines, ...sorted(unknown)]),
    },
  };
}
