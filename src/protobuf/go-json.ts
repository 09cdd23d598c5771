// How Go's encoding/json prints the apimachinery types that have their own protobuf form, so a
// protobuf body becomes the same JSON object the client's Go struct would have marshalled to.

/** metav1.Time: RFC 3339 in UTC, whole seconds ("2006-01-02T15:04:05Z"). */
export function formatTime(seconds: bigint): string {
  return isoSeconds(seconds) + 'Z';
}

/** metav1.MicroTime: RFC 3339 in UTC with six fraction digits ("2006-01-02T15:04:05.000000Z"). */
export function formatMicroTime(seconds: bigint, nanos: number): string {
  const micros = Math.floor(Math.max(0, nanos) / 1000);
  return `${isoSeconds(seconds)}.${String(micros).padStart(6, '0')}Z`;
}

// Seconds of 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z: Go's Time.MarshalJSON refuses years outside.
const MIN_SECONDS = -62167219200n;
const MAX_SECONDS = 253402300799n;

function isoSeconds(seconds: bigint): string {
  if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) throw new Error('Time.MarshalJSON: year outside of range [0,9999]');
  // toISOString gives "….sssZ"; the milliseconds are always 000 here.
  return new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
}

const SECOND = 1_000_000_000n;

/** metav1.Duration: Go's time.Duration.String() of a nanosecond count ("1h0m0s", "1.5s", "300ms", "0s"). */
export function formatDuration(nanos: bigint): string {
  const neg = nanos < 0n;
  let u = neg ? -nanos : nanos;
  let out: string;
  if (u < SECOND) {
    if (u === 0n) return '0s';
    const [unit, prec] = u < 1000n ? ['ns', 0] : u < 1_000_000n ? ['µs', 3] : ['ms', 6];
    out = fraction(u, prec) + unit;
  } else {
    out = fraction(u, 9);
    const whole = u / SECOND;
    out = `${whole % 60n}${out.slice(String(whole).length)}s`;
    u = whole / 60n;
    if (u > 0n) {
      out = `${u % 60n}m${out}`;
      u /= 60n;
      if (u > 0n) out = `${u}h${out}`;
    }
  }
  return neg ? `-${out}` : out;
}

/** v / 10^prec with the fraction's trailing zeros (and a bare point) left off: 1500, 3 → "1.5". */
function fraction(v: bigint, prec: number): string {
  const scale = 10n ** BigInt(prec);
  const frac = prec === 0 ? '' : String(v % scale).padStart(prec, '0').replace(/0+$/, '');
  return `${v / scale}${frac ? `.${frac}` : ''}`;
}
