// Keys that occur twice in one JSON object. JSON.parse keeps the last value silently, while
// upstream's strict decoder reports `duplicate field "<path>"` and Go's decoder merges a repeated
// object into the one already decoded. This scanner only walks text JSON.parse has already accepted:
// it finds keys and value spans, and never builds values itself.

export interface Span { start: number; end: number }

export interface DuplicateKey {
  /** Upstream's field path: "spec.template.spec.containers[0].imagePullPolicy". */
  path: string;
  /** The same path as keys and indexes, to reach the value in the parsed object. */
  segments: (string | number)[];
  /** Place among all key occurrences of the document, for reporting in document order. */
  ordinal: number;
  /** Where the value of the previous occurrence and of this one are in the text. */
  previous: Span;
  value: Span;
}

export interface JsonKeyScan {
  duplicates: DuplicateKey[];
  /** Ordinal of the first occurrence of each asked-for path. */
  ordinals: Map<string, number>;
}

interface ObjectFrame { array: false; path: string; start: number; seen: Map<string, Span>; key: string; pending?: DuplicateKey }
interface ArrayFrame { array: true; path: string; start: number; index: number }
type Frame = ObjectFrame | ArrayFrame;

/** Go's decoder refuses deeper documents; beyond it the scan gives up rather than spend memory. */
const MAX_DEPTH = 10_000;

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function skipWs(text: string, i: number): number {
  while (isWs(text.charCodeAt(i))) i++;
  return i;
}

/** Index just past the closing quote of the string starting at i. */
function stringEnd(text: string, i: number): number {
  let from = i + 1;
  for (;;) {
    const q = text.indexOf('"', from);
    if (q < 0) return text.length;
    let backslashes = 0;
    for (let b = q - 1; text.charCodeAt(b) === 0x5c; b--) backslashes++;
    if (backslashes % 2 === 0) return q + 1;
    from = q + 1;
  }
}

/** Index just past a number or literal starting at i. */
function literalEnd(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (Number.isNaN(c) || c === 0x2c || c === 0x5d || c === 0x7d || isWs(c)) return i;
    i++;
  }
}

/** Scan well-formed JSON text (already accepted by JSON.parse). `wanted`: paths whose first ordinal to return. */
export function scanJsonKeys(text: string, wanted?: ReadonlySet<string>): JsonKeyScan {
  const duplicates: DuplicateKey[] = [];
  const ordinals = new Map<string, number>();
  const stack: Frame[] = [];
  let ordinal = 0;
  let i = skipWs(text, 0);

  const slotPath = (): string => {
    const top = stack[stack.length - 1];
    if (!top) return '';
    if (top.array) return `${top.path}[${top.index}]`;
    return top.path ? `${top.path}.${top.key}` : top.key;
  };
  const valueDone = (span: Span): void => {
    const top = stack[stack.length - 1];
    if (!top) return;
    if (top.array) { top.index++; return; }
    top.seen.set(top.key, span);
    if (top.pending) { top.pending.value = span; top.pending = undefined; }
  };
  const beginValue = (): void => {
    const c = text.charCodeAt(i);
    if (c === 0x7b || c === 0x5b) {
      const path = slotPath();
      stack.push(c === 0x7b ? { array: false, path, start: i, seen: new Map(), key: '' } : { array: true, path, start: i, index: 0 });
      i++;
      return;
    }
    const start = i;
    i = c === 0x22 ? stringEnd(text, i) : literalEnd(text, i);
    valueDone({ start, end: i });
  };

  beginValue();
  while (stack.length > 0) {
    if (stack.length > MAX_DEPTH) return { duplicates: [], ordinals: new Map() };
    i = skipWs(text, i);
    const top = stack[stack.length - 1]!;
    const c = text.charCodeAt(i);
    if (c === 0x7d || c === 0x5d) {
      stack.pop();
      i++;
      valueDone({ start: top.start, end: i });
      continue;
    }
    if (c === 0x2c) { i = skipWs(text, i + 1); continue; }
    if (top.array) { beginValue(); continue; }
    // An object key, its colon and its value.
    const keyStart = i;
    i = stringEnd(text, i);
    const raw = text.slice(keyStart + 1, i - 1);
    const key = raw.includes('\\') ? JSON.parse(text.slice(keyStart, i)) as string : raw;
    top.key = key;
    ordinal++;
    const path = slotPath();
    const previous = top.seen.get(key);
    if (previous) {
      const segments = stack.map((f) => (f.array ? f.index : f.key));
      const dup: DuplicateKey = { path, segments, ordinal, previous, value: { start: 0, end: 0 } };
      duplicates.push(dup);
      top.pending = dup;
    } else if (wanted && wanted.has(path) && !ordinals.has(path)) {
      ordinals.set(path, ordinal);
    }
    i = skipWs(text, i);
    i = skipWs(text, i + 1); // the colon
    beginValue();
  }
  return { duplicates, ordinals };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Go decodes a repeated object into the map or struct it already filled: keys merge, the later wins. */
function goMerge(into: unknown, from: unknown): unknown {
  if (!isPlainObject(into) || !isPlainObject(from)) return from;
  const out: Record<string, unknown> = { ...into };
  for (const [k, v] of Object.entries(from)) out[k] = k in out ? goMerge(out[k], v) : v;
  return out;
}

/** Apply Go's merge of repeated objects to the value JSON.parse made of text (last value only). */
export function mergeDuplicateObjects(root: unknown, text: string, duplicates: DuplicateKey[]): void {
  // Repeats inside an occurrence that a later one supersedes are not followed (its last value counts).
  const superseded = duplicates.map((d) => d.previous);
  const live = duplicates.filter((d) => !superseded.some((p) => p.start < d.value.start && d.value.start < p.end));
  const byPath = new Map<string, DuplicateKey[]>();
  for (const d of live) byPath.set(d.path, [...(byPath.get(d.path) ?? []), d]);
  const parse = (s: Span): unknown => JSON.parse(text.slice(s.start, s.end));
  for (const dups of byPath.values()) {
    let merged = parse(dups[0]!.previous);
    for (const d of dups) merged = goMerge(merged, parse(d.value));
    const segments = dups[0]!.segments;
    let parent: unknown = root;
    for (const s of segments.slice(0, -1)) {
      parent = parent !== null && typeof parent === 'object' ? (parent as Record<string | number, unknown>)[s] : undefined;
    }
    const last = segments[segments.length - 1]!;
    if (isPlainObject(parent) && typeof last === 'string' && last in parent) parent[last] = merged;
  }
}
