// PodLogOptions → what the reader needs (upstream's NewLogOptions): sinceSeconds counts back from now,
// and a later sinceTime wins.
import type { LogReadOptions } from './read-logs.ts';
import { parseLogTime } from './log-timestamp.ts';
import type { PodLogOptions } from './pod-log-options.ts';

export function logReadOptions(opts: PodLogOptions, nowMs: number): LogReadOptions {
  const read: LogReadOptions = {
    tail: opts.tailLines ?? -1,
    bytes: opts.limitBytes ?? -1,
    follow: opts.follow,
    timestamps: opts.timestamps,
  };
  if (opts.sinceSeconds !== undefined) read.since = BigInt(nowMs - opts.sinceSeconds * 1000) * 1_000_000n;
  const sinceTime = opts.sinceTime !== undefined ? parseLogTime(opts.sinceTime)?.ns : undefined;
  if (sinceTime !== undefined && (read.since === undefined || sinceTime > read.since)) read.since = sinceTime;
  return read;
}
