// A CronJob's schedule as the controller reads it (robfig/cron's ParseStandard with a TZ= prefix for
// spec.timeZone): the text is checked by the same parser the API server validates with, and the
// next run times of 5-field schedules come from cron-parser, which knows IANA zones and DST.
import { CronExpressionParser } from 'cron-parser';
import { parseStandard } from '../../registry/groups/batch/cron-schedule.ts';

export interface Schedule {
  /** The first activation strictly after `afterMs` (ms since the epoch), or undefined if there is none. */
  next(afterMs: number): number | undefined;
}

// robfig's descriptors as the 5-field schedules they stand for.
const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *', '@monthly': '0 0 1 * *', '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *', '@midnight': '0 0 * * *', '@hourly': '0 * * * *',
};

export type ParsedSchedule = { ok: true; schedule: Schedule } | { ok: false; error: string };

/** formatSchedule + cron.ParseStandard: spec.timeZone becomes the zone unless the schedule names one itself. */
export function parseSchedule(schedule: string, timeZone?: string | null): ParsedSchedule {
  let text = schedule.trim();
  let zone = timeZone ?? undefined;
  const checked = parseStandard(text);
  if (!checked.ok) return { ok: false, error: checked.error };
  const tz = /^(?:CRON_)?TZ=(\S+)\s*/.exec(text);
  if (tz) {
    zone = tz[1];
    text = text.slice(tz[0].length);
  }
  if (zone === 'Local' || zone === '') zone = undefined;
  if (text.startsWith('@every ')) return { ok: true, schedule: everySchedule(parseGoDuration(text.slice('@every '.length))) };
  const expression = DESCRIPTORS[text] ?? text;
  return { ok: true, schedule: cronSchedule(expression, zone) };
}

function cronSchedule(expression: string, tz: string | undefined): Schedule {
  return {
    next(afterMs) {
      try {
        // Without a zone, upstream uses the controller manager's local time (time.Local).
        const it = CronExpressionParser.parse(expression, { currentDate: new Date(afterMs), tz: tz ?? localTimeZone() });
        return it.next().getTime();
      } catch {
        // Fields that can never match together ("0 0 31 2 *"): robfig returns the zero time.
        return undefined;
      }
    },
  };
}

function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** robfig's ConstantDelaySchedule: whole seconds, at least one, counted from the second `after` falls in. */
function everySchedule(delayMs: number): Schedule {
  const delay = Math.max(1000, Math.floor(delayMs / 1000) * 1000);
  return { next: (afterMs) => Math.floor(afterMs / 1000) * 1000 + delay };
}

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go's time.ParseDuration for the already-validated "@every" argument. */
function parseGoDuration(s: string): number {
  let total = 0;
  for (const m of s.matchAll(/([0-9]*\.?[0-9]+)(ns|us|µs|μs|ms|s|m|h)/g)) total += Number(m[1]) * UNIT_MS[m[2]!]!;
  return s.startsWith('-') ? -total : total;
}
