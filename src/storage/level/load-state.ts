// Reads a store's state on open: current objects, the kept change log and the revisions. Objects
// are then served from memory, like kube-apiserver's watch cache; of the log only what finding a
// revision or a key takes is loaded, its texts are read from disk when someone goes back that far.

import type { Level } from 'level';
import { ChangeLog } from './change-log.ts';
import { LOG_PREFIX, META_COMPACTED, META_REVISION, OBJECT_PREFIX, logKey, prefixEnd } from './keys.ts';
import { decodeLogMeta, decodeObjectRecord } from './records.ts';

export interface LoadedState {
  /** Current objects: revision and stored JSON text. */
  objects: Map<string, { rev: number; json: string }>;
  log: ChangeLog;
}

export async function loadState(db: Level<string, string>): Promise<LoadedState> {
  const compacted = Number((await db.get(META_COMPACTED)) ?? 0);
  const lastWritten = Number((await db.get(META_REVISION)) ?? 0);

  const objects = new Map<string, { rev: number; json: string }>();
  for await (const [k, v] of db.iterator({ gte: OBJECT_PREFIX, lt: prefixEnd(OBJECT_PREFIX) })) {
    objects.set(k.slice(OBJECT_PREFIX.length), decodeObjectRecord(v));
  }

  const log = new ChangeLog(compacted);
  // Entries at or below the compacted revision may survive a crash mid-compaction; skip them.
  for await (const [k, v] of db.iterator({ gt: logKey(compacted), lt: prefixEnd(LOG_PREFIX) })) {
    log.append(decodeLogMeta(Number(k.slice(LOG_PREFIX.length)), v));
  }
  log.evict(0);
  // Every batch writes m/rev with its log entries, so they agree; take the max defensively so the
  // revision never goes backwards.
  log.setCurrent(lastWritten);
  return { objects, log };
}
