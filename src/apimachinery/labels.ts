// Label selectors as upstream's k8s.io/apimachinery/pkg/labels: the same lexer/parser (so the same
// strings are accepted and the same error texts come back as 400s) and metav1.LabelSelector helpers.
import { newBadRequest } from './errors.ts';
import { isQualifiedName, isValidLabelValue } from './validation.ts';

/** selection.Operator values. */
export type Operator = 'in' | 'notin' | '=' | '==' | '!=' | 'exists' | '!' | 'gt' | 'lt';

export interface Requirement {
  key: string;
  operator: Operator;
  /** As given (set-based values are de-duplicated and sorted, as upstream's sets.String.List()). */
  values: string[];
}

export type Labels = Record<string, string> | null | undefined;

export interface LabelSelectorMatcher {
  readonly requirements: readonly Requirement[];
  /** True when the selector does not restrict anything (Everything()). */
  readonly empty: boolean;
  /** True for labels.Nothing(): matches no object (a nil metav1.LabelSelector). */
  readonly nothing: boolean;
  matches(labels: Labels): boolean;
  /** The value a selector requires for key (=, == or a single-valued in), for index lookups. */
  requiresExactMatch(key: string): string | undefined;
  toString(): string;
}

const BINARY_OPERATORS = ['in', 'notin', '=', '==', '!=', 'gt', 'lt'];

export function requirementMatches(r: Requirement, labels: Labels): boolean {
  const has = labels != null && Object.prototype.hasOwnProperty.call(labels, r.key);
  const val = has ? labels![r.key]! : undefined;
  switch (r.operator) {
    case 'in': case '=': case '==':
      return has && r.values.includes(val!);
    case 'notin': case '!=':
      return !has || !r.values.includes(val!);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt': case 'lt': {
      if (!has || r.values.length !== 1) return false;
      const lv = parseGoInt(val!);
      const rv = parseGoInt(r.values[0]!);
      if (lv === undefined || rv === undefined) return false;
      return r.operator === 'gt' ? lv > rv : lv < rv;
    }
  }
}

function parseGoInt(s: string): bigint | undefined {
  return /^[+-]?\d+$/.test(s) ? BigInt(s) : undefined;
}

/** Requirement.String() of upstream. */
export function requirementString(r: Requirement): string {
  let s = r.operator === '!' ? '!' + r.key : r.key;
  switch (r.operator) {
    case 'exists': case '!': return s;
    case 'in': s += ' in ('; break;
    case 'notin': s += ' notin ('; break;
    case 'gt': s += '>'; break;
    case 'lt': s += '<'; break;
    default: s += r.operator;
  }
  s += r.values.length === 1 ? r.values[0] : [...r.values].sort().join(',');
  if (r.operator === 'in' || r.operator === 'notin') s += ')';
  return s;
}

class Selector implements LabelSelectorMatcher {
  readonly requirements: readonly Requirement[];
  constructor(reqs: Requirement[], readonly nothing = false) {
    // ByKey sort, as upstream does after parsing or Add(), for a deterministic String().
    this.requirements = [...reqs].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
  get empty(): boolean { return !this.nothing && this.requirements.length === 0; }
  matches(labels: Labels): boolean {
    if (this.nothing) return false;
    return this.requirements.every((r) => requirementMatches(r, labels));
  }
  requiresExactMatch(key: string): string | undefined {
    const r = this.requirements.find((x) => x.key === key);
    if (!r) return undefined;
    if ((r.operator === '=' || r.operator === '==' || r.operator === 'in') && r.values.length === 1) return r.values[0];
    return undefined;
  }
  toString(): string {
    return this.requirements.map(requirementString).join(',');
  }
}

export function everything(): LabelSelectorMatcher { return new Selector([]); }
export function nothing(): LabelSelectorMatcher { return new Selector([], true); }

/** labels.SelectorFromSet: equality on every pair; an empty set selects everything. */
export function selectorFromSet(set: Record<string, string> | null | undefined): LabelSelectorMatcher {
  return new Selector(Object.entries(set ?? {}).map(([key, v]) => ({ key, operator: '=' as Operator, values: [v] })));
}

// ---- lexer ----

type Token =
  | 'error' | 'eos' | ')' | ',' | '!' | '==' | '=' | '>' | 'id' | 'in' | '<' | '!=' | 'notin' | '(';

const STRING_TO_TOKEN: Record<string, Token> = {
  ')': ')', ',': ',', '!': '!', '==': '==', '=': '=', '>': '>', in: 'in', '<': '<', '!=': '!=', notin: 'notin', '(': '(',
};

interface Item { tok: Token; lit: string }

const isWhitespace = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isSpecial = (c: string) => c === '=' || c === '!' || c === '(' || c === ')' || c === ',' || c === '>' || c === '<';

function lex(s: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  for (;;) {
    while (pos < s.length && isWhitespace(s[pos]!)) pos++;
    if (pos >= s.length) { items.push({ tok: 'eos', lit: '' }); return items; }
    if (isSpecial(s[pos]!)) {
      // Longest run of special symbols that still forms a known token ("!=", "==").
      let buf = '';
      let last: Item | undefined;
      while (pos < s.length && isSpecial(s[pos]!)) {
        buf += s[pos];
        const tok = STRING_TO_TOKEN[buf];
        if (tok) { last = { tok, lit: buf }; pos++; } else if (last) break; else pos++;
      }
      items.push(last ?? { tok: 'error', lit: `error expected: keyword found '${buf}'` });
      continue;
    }
    let buf = '';
    while (pos < s.length && !isSpecial(s[pos]!) && !isWhitespace(s[pos]!)) buf += s[pos++];
    const tok = STRING_TO_TOKEN[buf];
    items.push({ tok: tok ?? 'id', lit: buf });
  }
}

// ---- parser ----

class ParseError extends Error {}

class Parser {
  private pos = 0;
  constructor(private readonly items: Item[]) {}

  /** In a Values context "in"/"notin" are plain identifiers ("x in (in)"). */
  private lookahead(values: boolean): Item { return this.adjust(this.items[this.pos]!, values); }
  private consume(values: boolean): Item { return this.adjust(this.items[this.pos++]!, values); }
  private adjust(it: Item, values: boolean): Item {
    return values && (it.tok === 'in' || it.tok === 'notin') ? { tok: 'id', lit: it.lit } : it;
  }

  parse(): Requirement[] {
    const reqs: Requirement[] = [];
    for (;;) {
      const { tok, lit } = this.lookahead(true);
      switch (tok) {
        case 'id': case '!': {
          let r: Requirement;
          try { r = this.parseRequirement(); } catch (e) {
            throw new ParseError(`unable to parse requirement: ${(e as Error).message}`);
          }
          reqs.push(r);
          const t = this.consume(true);
          if (t.tok === 'eos') return reqs;
          if (t.tok === ',') {
            const t2 = this.lookahead(true);
            if (t2.tok !== 'id' && t2.tok !== '!') throw new ParseError(`found '${t2.lit}', expected: identifier after ','`);
            break;
          }
          throw new ParseError(`found '${t.lit}', expected: ',' or 'end of string'`);
        }
        case 'eos':
          return reqs;
        default:
          throw new ParseError(`found '${lit}', expected: !, identifier, or 'end of string'`);
      }
    }
  }

  private parseRequirement(): Requirement {
    const { key, operator } = this.parseKeyAndInferOperator();
    if (operator === 'exists' || operator === '!') return newRequirement(key, operator, []);
    const op = this.parseOperator();
    const values = op === 'in' || op === 'notin' ? this.parseValues() : this.parseExactValue();
    return newRequirement(key, op, [...values].sort());
  }

  private parseKeyAndInferOperator(): { key: string; operator?: Operator } {
    let operator: Operator | undefined;
    let it = this.consume(true);
    if (it.tok === '!') { operator = '!'; it = this.consume(true); }
    if (it.tok !== 'id') throw new Error(`found '${it.lit}', expected: identifier`);
    const keyErr = validateLabelKey(it.lit, '<nil>');
    if (keyErr) throw new Error(keyErr);
    const next = this.lookahead(true).tok;
    if ((next === 'eos' || next === ',') && operator !== '!') operator = 'exists';
    return { key: it.lit, operator };
  }

  private parseOperator(): Operator {
    const it = this.consume(false);
    switch (it.tok) {
      case 'in': return 'in';
      case '=': return '=';
      case '==': return '==';
      case '>': return 'gt';
      case '<': return 'lt';
      case 'notin': return 'notin';
      case '!=': return '!=';
      default: throw new Error(`found '${it.lit}', expected: ${BINARY_OPERATORS.join(', ')}`);
    }
  }

  private parseValues(): Set<string> {
    let it = this.consume(true);
    if (it.tok !== '(') throw new Error(`found '${it.lit}' expected: '('`);
    it = this.lookahead(true);
    switch (it.tok) {
      case 'id': case ',': {
        const s = this.parseIdentifiersList();
        if (this.consume(true).tok !== ')') throw new Error(`found '${it.lit}', expected: ')'`);
        return s;
      }
      case ')':
        this.consume(true);
        return new Set(['']);
      default:
        throw new Error(`found '${it.lit}', expected: ',', ')' or identifier`);
    }
  }

  private parseIdentifiersList(): Set<string> {
    const s = new Set<string>();
    for (;;) {
      const it = this.consume(true);
      if (it.tok === 'id') {
        s.add(it.lit);
        const it2 = this.lookahead(true);
        if (it2.tok === ',') continue;
        if (it2.tok === ')') return s;
        throw new Error(`found '${it2.lit}', expected: ',' or ')'`);
      } else if (it.tok === ',') {
        // "(,", ",," and ",)" all denote the empty value.
        if (s.size === 0) s.add('');
        const t2 = this.lookahead(true).tok;
        if (t2 === ')') { s.add(''); return s; }
        if (t2 === ',') s.add('');
      } else {
        throw new Error(`found '${it.lit}', expected: ',', or identifier`);
      }
    }
  }

  private parseExactValue(): Set<string> {
    const t = this.lookahead(true).tok;
    if (t === 'eos' || t === ',') return new Set(['']);
    const it = this.consume(true);
    if (it.tok === 'id') return new Set([it.lit]);
    throw new Error(`found '${it.lit}', expected: identifier`);
  }
}

function quote(s: string): string { return JSON.stringify(s); }

function validateLabelKey(key: string, path: string): string | undefined {
  const errs = isQualifiedName(key);
  return errs.length ? `${path}: Invalid value: ${quote(key)}: ${errs.join('; ')}` : undefined;
}

/** labels.NewRequirement's checks, with field paths as upstream prints them ("values[0][key]"). */
function newRequirement(key: string, operator: Operator, values: string[]): Requirement {
  const errs: string[] = [];
  const keyErr = validateLabelKey(key, 'key');
  if (keyErr) errs.push(keyErr);
  switch (operator) {
    case 'in': case 'notin':
      if (values.length === 0) errs.push("values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty");
      break;
    case '=': case '==': case '!=':
      if (values.length !== 1) errs.push('values: Invalid value: exact-match compatibility requires one single value');
      break;
    case 'exists': case '!':
      if (values.length !== 0) errs.push('values: Invalid value: values set must be empty for exists and does not exist');
      break;
    case 'gt': case 'lt':
      if (values.length !== 1) errs.push("values: Invalid value: for 'Gt', 'Lt' operators, exactly one value is required");
      values.forEach((v, i) => {
        if (parseGoInt(v) === undefined) errs.push(`values[${i}]: Invalid value: ${quote(v)}: for 'Gt', 'Lt' operators, the value must be an integer`);
      });
      break;
  }
  values.forEach((v, i) => {
    const ve = isValidLabelValue(v);
    if (ve.length) errs.push(`values[${i}][${key}]: Invalid value: ${quote(v)}: ${ve.join('; ')}`);
  });
  if (errs.length === 1) throw new Error(errs[0]);
  if (errs.length > 1) throw new Error(`[${errs.join(', ')}]`);
  return { key, operator, values };
}

/**
 * labels.Parse: the `labelSelector` query parameter. Throws a 400 BadRequest StatusError with
 * upstream's text, e.g. `unable to parse requirement: <nil>: Invalid value: "a b": ...`.
 */
export function parseLabelSelector(s: string): LabelSelectorMatcher {
  try {
    return new Selector(new Parser(lex(s)).parse());
  } catch (e) {
    if (e instanceof ParseError) throw newBadRequest(e.message);
    throw e;
  }
}

// ---- metav1.LabelSelector ----

export interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: LabelSelectorRequirement[] | null;
}

const OPERATOR_OF: Record<string, Operator> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' };

/**
 * metav1.LabelSelectorAsSelector: a nil selector matches nothing, an empty one everything.
 * Throws a plain Error with upstream's text for an invalid selector (validation reports those
 * as field errors before any controller sees them).
 */
export function labelSelectorAsMatcher(sel: LabelSelector | null | undefined): LabelSelectorMatcher {
  if (sel == null) return nothing();
  const labels = Object.entries(sel.matchLabels ?? {});
  const exprs = sel.matchExpressions ?? [];
  if (labels.length + exprs.length === 0) return everything();
  const reqs: Requirement[] = labels.map(([k, v]) => newRequirement(k, '=', [v]));
  for (const e of exprs) {
    const op = OPERATOR_OF[e.operator];
    if (!op) throw new Error(`${quote(e.operator)} is not a valid label selector operator`);
    reqs.push(newRequirement(e.key, op, [...(e.values ?? [])]));
  }
  return new Selector(reqs);
}

/** metav1.FormatLabelSelector, as kubectl's wide SELECTOR column prints it. */
export function formatLabelSelector(sel: LabelSelector | null | undefined): string {
  let s: string;
  try { s = labelSelectorAsMatcher(sel).toString(); } catch { return '<error>'; }
  return s === '' ? '<none>' : s;
}

/** labels.FormatLabels: a plain map (e.g. Service.spec.selector) as sorted k=v pairs or <none>. */
export function formatLabels(set: Record<string, string> | null | undefined): string {
  const s = Object.keys(set ?? {}).sort().map((k) => `${k}=${set![k]}`).join(',');
  return s === '' ? '<none>' : s;
}
