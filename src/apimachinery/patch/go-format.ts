// Go's fmt "%v" rendering of decoded JSON (map[a:1 b:[x y]]), because strategic merge patch
// errors embed values that way ("map: map[image:nginx] does not contain declared merge key: name").

export function goFormatValue(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goFormatValue).join(' ')}]`;
  switch (typeof v) {
    case 'string': return v;
    case 'boolean': return String(v);
    case 'number': return goFormatNumber(v);
    case 'object': {
      const m = v as Record<string, unknown>;
      return `map[${Object.keys(m).sort().map((k) => `${k}:${goFormatValue(m[k])}`).join(' ')}]`;
    }
    default: return String(v);
  }
}

/** Integers print as int64 does; other floats as %v of float64 (%g with exponent below -4 or from 21). */
function goFormatNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  const exp = Math.floor(Math.log10(Math.abs(n)));
  if (exp < -4 || exp >= 21) {
    const [mant, e] = n.toExponential().split('e') as [string, string];
    const sign = e.startsWith('-') ? '-' : '+';
    const digits = e.replace(/^[+-]/, '').padStart(2, '0');
    return `${mant}e${sign}${digits}`;
  }
  return String(n);
}

/** reflect.TypeOf(v).String() for decoded JSON values, as mergepatch.ErrBadArgType prints. */
export function goTypeName(v: unknown): string {
  if (v === null || v === undefined) return '%!s(<nil>)';
  if (Array.isArray(v)) return '[]interface {}';
  switch (typeof v) {
    case 'string': return 'string';
    case 'boolean': return 'bool';
    case 'number': return Number.isInteger(v) ? 'int64' : 'float64';
    case 'object': return 'map[string]interface {}';
    default: return typeof v;
  }
}
