// Encoding of the values stored under o/ and l/. Object JSON is spliced in as already-serialized
// text, so a write serializes each object once.

import type { KObject } from '../../apimachinery/types.ts';
import type { StoredEvent } from '../interface.ts';
import type { LogEntry } from './change-log.ts';
import { deepFreeze } from './objects.ts';

export function encodeObjectRecord(rev: number, objJson: string): string {
  return `{"rev":${rev},"obj":${objJson}}`;
}

export function decodeObjectRecord(value: string): { rev: number; obj: KObject } {
  const r = JSON.parse(value) as { rev: number; obj: KObject };
  return { rev: r.rev, obj: deepFreeze(r.obj) };
}

export function encodeLogRecord(type: StoredEvent['type'], key: string, time: number, objJson: string, prevJson: string | undefined): string {
  return `{"type":"${type}","key":${JSON.stringify(key)},"time":${time},"obj":${objJson},"prev":${prevJson ?? 'null'}}`;
}

export function decodeLogRecord(rev: number, value: string): LogEntry {
  const r = JSON.parse(value) as { type: StoredEvent['type']; key: string; time: number; obj: KObject; prev: KObject | null };
  const e: LogEntry = { type: r.type, key: r.key, revision: rev, time: r.time, object: deepFreeze(r.obj) };
  if (r.prev) e.prevObject = deepFreeze(r.prev);
  return e;
}
