// Log timestamps with nanosecond precision: CRI log lines and Docker's json-file carry RFC 3339 times
// with up to nine fraction digits, and the kubelet prints them back with exactly nine
// (upstream's RFC3339NanoFixed), keeping the offset the runtime wrote.

export interface LogTime {
  /** Nanoseconds since the Unix epoch. */
  ns: bigint;
  /** The UTC offset the time was written with, in minutes (0 = "Z"). */
  offsetMinutes: number;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/** RFC 3339 with any number of fraction digits (Go's RFC3339Nano, leniently); undefined when malformed. */
export function parseLogTime(text: string): LogTime | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac = '', z, sign, oh, om] = m;
  const offsetMinutes = z ? 0 : (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om));
  const localMs = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (Number.isNaN(localMs)) return undefined;
  const seconds = BigInt(localMs / 1000 - offsetMinutes * 60);
  return { ns: seconds * 1_000_000_000n + BigInt(frac.padEnd(9, '0') || '0'), offsetMinutes };
}

/** "2024-05-01T10:00:00.123456789Z": nine fraction digits, the original offset. */
export function formatLogTime(t: LogTime): string {
  const seconds = floorDiv(t.ns, 1_000_000_000n);
  const nanos = t.ns - seconds * 1_000_000_000n;
  const local = new Date((Number(seconds) + t.offsetMinutes * 60) * 1000).toISOString().slice(0, 19);
  return `${local}.${nanos.toString().padStart(9, '0')}${formatOffset(t.offsetMinutes)}`;
}

export function logTimeFromDate(date: Date): LogTime {
  return { ns: BigInt(date.getTime()) * 1_000_000n, offsetMinutes: 0 };
}

function formatOffset(minutes: number): string {
  if (minutes === 0) return 'Z';
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && (a < 0n) !== (b < 0n) ? q - 1n : q;
}
