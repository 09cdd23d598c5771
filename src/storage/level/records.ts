// Encoding of the values stored under o/ and l/. Object JSON is spliced in as already-serialized
// text, so a write serializes each object once, and a load takes the text back without re-encoding.

import type { StoredEvent } from '../interface.ts';
import type { FeedEntry } from '../watch-event.ts';
import type { LogEntry } from './change-log.ts';

const OBJECT_RECORD = /^\{"rev":(\d+),"obj":/;

export function encodeObjectRecord(rev: number, objJson: string): string {
  return `{"rev":${rev},"obj":${objJson}}`;
}

export function decodeObjectRecord(value: string): { rev: number; json: string } {
  // Our own encoding: the object's text is everything between the prefix and the final brace.
  const m = OBJECT_RECORD.exec(value);
  if (m && value.endsWith('}')) return { rev: Number(m[1]), json: value.slice(m[0].length, -1) };
  const r = JSON.parse(value) as { rev: number; obj: unknown };
  return { rev: r.rev, json: JSON.stringify(r.obj) };
}

export function encodeLogRecord(type: StoredEvent['type'], key: string, time: number, objJson: string, prevJson: string | undefined): string {
  return `{"type":"${type}","key":${JSON.stringify(key)},"time":${time},"obj":${objJson},"prev":${prevJson ?? 'null'}}`;
}

/** A log record back as a full entry (texts included), as a watcher reading history needs it. */
export function decodeLogRecord(rev: number, value: string): LogEntry & FeedEntry {
  const r = JSON.parse(value) as { type: StoredEvent['type']; key: string; time: number; obj: unknown; prev: unknown };
  const e: LogEntry & FeedEntry = { type: r.type, key: r.key, revision: rev, time: r.time, json: JSON.stringify(r.obj) };
  if (r.prev) e.prevJson = JSON.stringify(r.prev);
  return e;
}

/** The text of the object before the change a log record holds (undefined for a create). */
export function decodeLogPrev(value: string): string | undefined {
  const r = JSON.parse(value) as { prev: unknown };
  return r.prev ? JSON.stringify(r.prev) : undefined;
}

const LOG_RECORD = /^\{"type":"(ADDED|MODIFIED|DELETED)","key":("(?:[^"\\]|\\.)*"),"time":(\d+),"obj":/;

/** What the in-memory log keeps of an entry whose texts stay on disk: read from the record's start only. */
export function decodeLogMeta(rev: number, value: string): LogEntry {
  const m = LOG_RECORD.exec(value);
  if (m) return { type: m[1] as StoredEvent['type'], key: JSON.parse(m[2]!) as string, revision: rev, time: Number(m[3]) };
  const e = decodeLogRecord(rev, value);
  return { type: e.type, key: e.key, revision: rev, time: e.time };
}
