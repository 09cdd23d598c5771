// JSON decoding that fails with Go's encoding/json messages ("invalid character 'x' looking for
// beginning of value", "json: cannot unmarshal array into Go value of type ..."), because the
// apiserver returns those texts in the 400s for unparsable patch bodies.

export class GoJsonError extends Error {
  override name = 'GoJsonError';
}

/** Parses JSON; on a syntax error throws GoJsonError with the message Go's scanner gives. */
export function parseGoJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new GoJsonError(goSyntaxError(text) ?? 'unexpected end of JSON input');
  }
}

/** The JSON kind Go names in an UnmarshalTypeError. */
export function goJsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  switch (typeof v) {
    case 'object': return 'object';
    case 'string': return 'string';
    case 'number': return 'number';
    case 'boolean': return 'bool';
    default: return 'unknown';
  }
}

/** `json: cannot unmarshal array into Go value of type map[string]interface {}`. */
export function goUnmarshalTypeError(v: unknown, goType: string): GoJsonError {
  return new GoJsonError(`json: cannot unmarshal ${goJsonKind(v)} into Go value of type ${goType}`);
}

/** Go's quoteChar: the offending byte quoted the way strconv.Quote would. */
function quoteChar(c: string): string {
  if (c === "'") return "'\\''";
  if (c === '"') return "'\"'";
  const q = JSON.stringify(c).slice(1, -1).replace(/\\u00([0-9a-f]{2})/g, '\\x$1');
  return `'${q}'`;
}

class Stop extends Error {}

/** Walks the text with the states of Go's encoding/json scanner and reports the first error. */
function goSyntaxError(text: string): string | undefined {
  let i = 0;
  const n = text.length;
  const ws = () => { while (i < n && ' \t\r\n'.includes(text[i]!)) i++; };
  const fail = (ctx: string): never => { throw new Stop(`invalid character ${quoteChar(text[i]!)} ${ctx}`); };
  const need = () => { if (i >= n) throw new Stop('unexpected end of JSON input'); };
  const isDigit = () => i < n && text[i]! >= '0' && text[i]! <= '9';

  const literal = (word: string) => {
    for (let k = 1; k < word.length; k++) {
      i++;
      need();
      if (text[i] !== word[k]) fail(`in literal ${word} (expecting '${word[k]}')`);
    }
    i++;
  };
  const number = () => {
    if (text[i] === '-') { i++; need(); if (!isDigit()) fail('in numeric literal'); }
    if (text[i] === '0') i++; else while (isDigit()) i++;
    if (text[i] === '.') {
      i++; need();
      if (!isDigit()) fail('after decimal point in numeric literal');
      while (isDigit()) i++;
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++; need();
      if (text[i] === '+' || text[i] === '-') { i++; need(); }
      if (!isDigit()) fail('in exponent of numeric literal');
      while (isDigit()) i++;
    }
  };
  const string = () => {
    i++; // opening quote
    for (;;) {
      need();
      const c = text[i]!;
      if (c === '"') { i++; return; }
      if (c === '\\') {
        i++; need();
        if ('bfnrt\\/"'.includes(text[i]!)) { i++; continue; }
        if (text[i] !== 'u') fail('in string escape code');
        i++;
        for (let k = 0; k < 4; k++) {
          need();
          if (!/[0-9a-fA-F]/.test(text[i]!)) fail('in \\u hexadecimal character escape');
          i++;
        }
        continue;
      }
      if (c < ' ') fail('in string literal');
      i++;
    }
  };
  const value = (): void => {
    ws(); need();
    const c = text[i]!;
    if (c === '{') return object();
    if (c === '[') return array();
    if (c === '"') return string();
    if (c === '-' || (c >= '0' && c <= '9')) return number();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    fail('looking for beginning of value');
  };
  const object = () => {
    i++; ws(); need();
    if (text[i] === '}') { i++; return; }
    for (;;) {
      ws(); need();
      if (text[i] !== '"') fail('looking for beginning of object key string');
      string();
      ws(); need();
      if (text[i] !== ':') fail('after object key');
      i++;
      value();
      ws(); need();
      if (text[i] === ',') { i++; continue; }
      if (text[i] === '}') { i++; return; }
      fail('after object key:value pair');
    }
  };
  const array = () => {
    i++; ws(); need();
    if (text[i] === ']') { i++; return; }
    for (;;) {
      value();
      ws(); need();
      if (text[i] === ',') { i++; continue; }
      if (text[i] === ']') { i++; return; }
      fail('after array element');
    }
  };

  try {
    value();
    ws();
    if (i < n) fail('after top-level value');
    return undefined;
  } catch (e) {
    if (e instanceof Stop) return e.message;
    throw e;
  }
}
