// Field selectors as upstream's k8s.io/apimachinery/pkg/fields: comma-separated `field=value`,
// `field==value`, `field!=value` terms, values escaped with backslashes, upstream's error texts.
import { newBadRequest } from './errors.ts';

export interface FieldRequirement {
  field: string;
  operator: '=' | '!=';
  value: string;
}

export interface FieldSelectorMatcher {
  /** In upstream's order (terms sorted by their raw text). */
  readonly requirements: readonly FieldRequirement[];
  readonly empty: boolean;
  /** A missing field reads as "", as upstream's fields.Set.Get. */
  matches(fields: Record<string, string>): boolean;
  requiresExactMatch(field: string): string | undefined;
  /** The field names referenced, in the order upstream checks them. */
  fieldNames(): string[];
  toString(): string;
}

class Selector implements FieldSelectorMatcher {
  constructor(readonly requirements: readonly FieldRequirement[]) {}
  get empty(): boolean { return this.requirements.length === 0; }
  matches(fields: Record<string, string>): boolean {
    return this.requirements.every((r) => ((fields[r.field] ?? '') === r.value) === (r.operator === '='));
  }
  requiresExactMatch(field: string): string | undefined {
    return this.requirements.find((r) => r.field === field && r.operator === '=')?.value;
  }
  fieldNames(): string[] { return this.requirements.map((r) => r.field); }
  toString(): string {
    return this.requirements.map((r) => `${r.field}${r.operator}${escapeFieldValue(r.value)}`).join(',');
  }
}

export function everythingFields(): FieldSelectorMatcher { return new Selector([]); }

/** fields.EscapeValue: a literal string for use as a field selector value. */
export function escapeFieldValue(s: string): string {
  return s.replace(/[\\,=]/g, (c) => '\\' + c);
}

/** Commas split terms unless backslash-escaped; the backslash stays in the term. */
function splitTerms(s: string): string[] {
  if (s.length === 0) return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') { terms.push(s.slice(start, i)); start = i + 1; }
  }
  terms.push(s.slice(start));
  return terms;
}

/** The first recognised operator splits the term; "!=" and "==" are tried before "=" at each position. */
function splitTerm(term: string): { lhs: string; op: string; rhs: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of ['!=', '==', '=']) {
      if (term.startsWith(op, i)) return { lhs: term.slice(0, i), op, rhs: term.slice(i + op.length) };
    }
  }
  return undefined;
}

/** fields.UnescapeValue; Go prints the offending rune with %v, i.e. as its code point number. */
function unescapeValue(s: string): string {
  if (!/[\\,=]/.test(s)) return s;
  let out = '';
  let inSlash = false;
  for (const c of s) {
    if (inSlash) {
      if (c === '\\' || c === ',' || c === '=') out += c;
      else throw new Error(`invalid field selector: invalid escape sequence: \\${c}`);
      inSlash = false;
      continue;
    }
    if (c === '\\') inSlash = true;
    else if (c === ',' || c === '=') throw new Error(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    else out += c;
  }
  if (inSlash) throw new Error('invalid field selector: invalid escape sequence: \\');
  return out;
}

/**
 * fields.ParseSelector: the `fieldSelector` query parameter. Throws a 400 BadRequest StatusError
 * with upstream's text, e.g. `invalid selector: 'a'; can't understand 'a'`.
 */
export function parseFieldSelector(selector: string): FieldSelectorMatcher {
  // Upstream sorts the raw terms (byte order) before parsing.
  const parts = splitTerms(selector).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const reqs: FieldRequirement[] = [];
  for (const part of parts) {
    if (part === '') continue;
    const t = splitTerm(part);
    if (!t) throw newBadRequest(`invalid selector: '${selector}'; can't understand '${part}'`);
    let value: string;
    try { value = unescapeValue(t.rhs); } catch (e) { throw newBadRequest((e as Error).message); }
    reqs.push({ field: t.lhs, operator: t.op === '!=' ? '!=' : '=', value });
  }
  return new Selector(reqs);
}

/**
 * The check upstream's field label conversion functions make on the first field a resource does
 * not support: kinds with their own selectable fields (pods, nodes, secrets, …) answer
 * `field label not supported: <field>`; every other kind goes through
 * DefaultMetaV1FieldSelectorConversion and its `"<field>" is not a known field selector` text.
 */
export function checkSupportedFields(sel: FieldSelectorMatcher, supported: Iterable<string>, ownFields: boolean): void {
  const ok = new Set(supported);
  for (const f of sel.fieldNames()) {
    if (ok.has(f)) continue;
    throw newBadRequest(ownFields
      ? `field label not supported: ${f}`
      : `"${f}" is not a known field selector: only "metadata.name", "metadata.namespace"`);
  }
}
