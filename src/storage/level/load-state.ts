// Reads a store's whole state on open: current objects, the kept change log and the revisions.
// Reads are then served from memory, like kube-apiserver's watch cache.

import type { Level } from 'level';
import type { KObject } from '../../apimachinery/types.ts';
import { ChangeLog } from './change-log.ts';
import { LOG_PREFIX, META_COMPACTED, META_REVISION, OBJECT_PREFIX, logKey, prefixEnd } from './keys.ts';
import { decodeLogRecord, decodeObjectRecord } from './records.ts';

export interface LoadedState {
  objects: Map<string, { rev: number; obj: KObject }>;
  log: ChangeLog;
}

export async function loadState(db: Level<string, string>): Promise<LoadedState> {
  const compacted = Number((await db.get(META_COMPACTED)) ?? 0);
  const lastWritten = Number((await db.get(META_REVISION)) ?? 0);

  const objects = new Map<string, { rev: number; obj: KObject }>();
  for await (const [k, v] of db.iterator({ gte: OBJECT_PREFIX, lt: prefixEnd(OBJECT_PREFIX) })) {
    objects.set(k.slice(OBJECT_PREFIX.length), decodeObjectRecord(v));
  }

  const log = new ChangeLog(compacted);
  // Entries at or below the compacted revision may survive a crash mid-compaction; skip them.
  for await (const [k, v] of db.iterator({ gt: logKey(compacted), lt: prefixEnd(LOG_PREFIX) })) {
    log.append(decodeLogRecord(Number(k.slice(LOG_PREFIX.length)), v));
  }
  // Every batch writes m/rev with its log entries, so they agree; take the max defensively so the
  // revision never goes backwards.
  log.setCurrent(lastWritten);
  return { objects, log };
}
