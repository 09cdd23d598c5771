// PodLogOptions (core/v1) as a query string: decoded and validated the same way by the API server's
// pods/log and by the kubelet's /containerLogs, and re-encoded by the API server when it proxies
// (upstream's LogLocation builds the kubelet URL from the decoded options, not the raw query).
import type { FieldError } from '../../apimachinery/errors.ts';
import { forbidden } from '../../apimachinery/validation.ts';
import { parseLogTime } from './log-timestamp.ts';

export interface PodLogOptions {
  container?: string;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  sinceSeconds?: number;
  /** RFC 3339 as the client sent it. */
  sinceTime?: string;
  tailLines?: number;
  limitBytes?: number;
}

/** Throws an Error whose message is the decoding problem (the caller answers 400). */
export function parsePodLogOptions(query: URLSearchParams): PodLogOptions {
  const opts: PodLogOptions = {
    follow: bool(query, 'follow'),
    previous: bool(query, 'previous'),
    timestamps: bool(query, 'timestamps'),
  };
  const container = query.get('container');
  if (container) opts.container = container;
  const sinceSeconds = int(query, 'sinceSeconds');
  if (sinceSeconds !== undefined) opts.sinceSeconds = sinceSeconds;
  const tailLines = int(query, 'tailLines');
  if (tailLines !== undefined) opts.tailLines = tailLines;
  const limitBytes = int(query, 'limitBytes');
  if (limitBytes !== undefined) opts.limitBytes = limitBytes;
  const sinceTime = query.get('sinceTime');
  if (sinceTime) {
    if (!parseLogTime(sinceTime)) throw new Error(`parsing time "${sinceTime}" as "2006-01-02T15:04:05Z07:00": cannot parse "${sinceTime}" as "2006"`);
    opts.sinceTime = sinceTime;
  }
  return opts;
}

/** ValidatePodLogOptions. */
export function validatePodLogOptions(opts: PodLogOptions): FieldError[] {
  const errs: FieldError[] = [];
  if (opts.tailLines !== undefined && opts.tailLines < 0) {
    errs.push({ type: 'FieldValueInvalid', field: 'tailLines', badValue: opts.tailLines, detail: 'must be greater than or equal to 0' });
  }
  if (opts.limitBytes !== undefined && opts.limitBytes < 1) {
    errs.push({ type: 'FieldValueInvalid', field: 'limitBytes', badValue: opts.limitBytes, detail: 'must be greater than 0' });
  }
  if (opts.sinceSeconds !== undefined && opts.sinceTime !== undefined) {
    errs.push(forbidden('', 'at most one of `sinceTime` or `sinceSeconds` may be specified'));
  } else if (opts.sinceSeconds !== undefined && opts.sinceSeconds < 1) {
    errs.push({ type: 'FieldValueInvalid', field: 'sinceSeconds', badValue: opts.sinceSeconds, detail: 'must be greater than 0' });
  }
  return errs;
}

/** The kubelet's query for these options (the container is in the kubelet's path). */
export function encodePodLogQuery(opts: PodLogOptions): string {
  const q = new URLSearchParams();
  if (opts.follow) q.set('follow', 'true');
  if (opts.previous) q.set('previous', 'true');
  if (opts.timestamps) q.set('timestamps', 'true');
  if (opts.sinceSeconds !== undefined) q.set('sinceSeconds', String(opts.sinceSeconds));
  if (opts.sinceTime !== undefined) q.set('sinceTime', opts.sinceTime);
  if (opts.tailLines !== undefined) q.set('tailLines', String(opts.tailLines));
  if (opts.limitBytes !== undefined) q.set('limitBytes', String(opts.limitBytes));
  return q.toString();
}

// Upstream's query conversion: absent is false, "0" and "false" (any case) are false, else true.
function bool(query: URLSearchParams, name: string): boolean {
  const v = query.get(name);
  return v !== null && !(v === '0' || v.toLowerCase() === 'false');
}

function int(query: URLSearchParams, name: string): number | undefined {
  const v = query.get(name);
  if (v === null || v === '') return undefined;
  if (!/^[+-]?\d+$/.test(v) || !Number.isSafeInteger(Number(v))) throw new Error(`strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
  return Number(v);
}
