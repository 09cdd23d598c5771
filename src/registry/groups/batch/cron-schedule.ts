// The schedule syntax CronJobs accept: robfig/cron's ParseStandard (5 fields or an @descriptor),
// with its error texts, which upstream returns verbatim in `spec.schedule: Invalid value` errors.

interface Bounds { min: number; max: number; names?: Record<string, number> }

const MINUTES: Bounds = { min: 0, max: 59 };
const HOURS: Bounds = { min: 0, max: 23 };
const DOM: Bounds = { min: 1, max: 31 };
const MONTHS: Bounds = {
  min: 1, max: 12,
  names: { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 },
};
const DOW: Bounds = { min: 0, max: 6, names: { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 } };

const DESCRIPTORS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);

/** The parsed fields: the set of allowed values of minute, hour, day of month, month and day of week. */
export interface CronFields {
  minute: Set<number>;
  hour: Set<number>;
  dayOfMonth: Set<number>;
  month: Set<number>;
  dayOfWeek: Set<number>;
  /** robfig's star bits: a "*" day field makes the other day field decide alone. */
  dayOfMonthStar: boolean;
  dayOfWeekStar: boolean;
}

export type ParseResult = { ok: true; fields?: CronFields; descriptor?: string } | { ok: false; error: string };

// strconv.Atoi's acceptance: optional sign and decimal digits only.
function mustParseInt(expr: string): number | string {
  if (!/^[+-]?[0-9]+$/.test(expr)) return `failed to parse int from ${expr}: strconv.Atoi: parsing ${JSON.stringify(expr)}: invalid syntax`;
  const n = Number.parseInt(expr, 10);
  if (n > 2 ** 63 - 1 || n < -(2 ** 63)) return `failed to parse int from ${expr}: strconv.Atoi: parsing ${JSON.stringify(expr)}: value out of range`;
  if (n < 0) return `negative number (${n}) not allowed: ${expr}`;
  return n;
}

function parseIntOrName(expr: string, b: Bounds): number | string {
  const named = b.names?.[expr.toLowerCase()];
  return named !== undefined ? named : mustParseInt(expr);
}

/** getRange: one comma-separated element of a field. */
function getRange(expr: string, b: Bounds, out: Set<number>): string | { star: boolean } {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0]!.split('-');
  const singleDigit = lowAndHigh.length === 1;
  let start: number;
  let end: number;
  let star = false;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = b.min;
    end = b.max;
    star = true;
  } else {
    const s = parseIntOrName(lowAndHigh[0]!, b);
    if (typeof s === 'string') return s;
    start = s;
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) {
      const e = parseIntOrName(lowAndHigh[1]!, b);
      if (typeof e === 'string') return e;
      end = e;
    } else return `too many hyphens: ${expr}`;
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    const st = mustParseInt(rangeAndStep[1]!);
    if (typeof st === 'string') return st;
    step = st;
    // "N/step" means "N-max/step".
    if (singleDigit) end = b.max;
    if (step > 1) star = false;
  } else if (rangeAndStep.length > 2) return `too many slashes: ${expr}`;
  if (start < b.min) return `beginning of range (${start}) below minimum (${b.min}): ${expr}`;
  if (end > b.max) return `end of range (${end}) above maximum (${b.max}): ${expr}`;
  if (start > end) return `beginning of range (${start}) beyond end of range (${end}): ${expr}`;
  if (step === 0) return `step of range should be a positive number: ${expr}`;
  for (let i = start; i <= end; i += step) out.add(i);
  return { star };
}

function getField(field: string, b: Bounds): string | { values: Set<number>; star: boolean } {
  const values = new Set<number>();
  let star = false;
  for (const expr of field.split(',').filter((s) => s !== '')) {
    const r = getRange(expr, b, values);
    if (typeof r === 'string') return r;
    star ||= r.star;
  }
  return { values, star };
}

/** Go's time.ParseDuration acceptance, enough for "@every 1h30m". */
function isGoDuration(s: string): boolean {
  return s === '0' || /^[+-]?(([0-9]*\.)?[0-9]+(ns|us|µs|μs|ms|s|m|h))+$/.test(s);
}

/** cron.ParseStandard. */
export function parseStandard(spec: string): ParseResult {
  if (spec.length === 0) return { ok: false, error: 'empty spec string' };
  let s = spec;
  if (s.startsWith('TZ=') || s.startsWith('CRON_TZ=')) {
    const i = s.indexOf(' ');
    const eq = s.indexOf('=');
    const loc = i < 0 ? s.slice(eq + 1) : s.slice(eq + 1, i);
    if (!isKnownTimeZone(loc)) return { ok: false, error: `provided bad location ${loc}: unknown time zone ${loc}` };
    s = i < 0 ? '' : s.slice(i).trim();
  }
  if (s.startsWith('@')) {
    if (DESCRIPTORS.has(s)) return { ok: true, descriptor: s };
    if (s.startsWith('@every ')) {
      const d = s.slice('@every '.length);
      if (!isGoDuration(d)) return { ok: false, error: `failed to parse duration ${s}: time: invalid duration ${JSON.stringify(d)}` };
      return { ok: true, descriptor: s };
    }
    return { ok: false, error: `unrecognized descriptor: ${s}` };
  }
  const fields = s.split(/\s+/).filter((f) => f !== '');
  if (fields.length !== 5) return { ok: false, error: `expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]` };
  const bounds = [MINUTES, HOURS, DOM, MONTHS, DOW];
  const parsed: { values: Set<number>; star: boolean }[] = [];
  for (let i = 0; i < 5; i++) {
    const r = getField(fields[i]!, bounds[i]!);
    if (typeof r === 'string') return { ok: false, error: r };
    parsed.push(r);
  }
  const [minute, hour, dom, month, dow] = parsed as [typeof parsed[0], typeof parsed[0], typeof parsed[0], typeof parsed[0], typeof parsed[0]];
  return {
    ok: true,
    fields: {
      minute: minute.values, hour: hour.values, dayOfMonth: dom.values, month: month.values, dayOfWeek: dow.values,
      dayOfMonthStar: dom.star, dayOfWeekStar: dow.star,
    },
  };
}

/** Whether time.LoadLocation would accept the name (IANA names known to this runtime, and "UTC"). */
export function isKnownTimeZone(name: string): boolean {
  if (name === 'UTC' || name === '' || name === 'Local') return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
