// The storage ceiling: raw LevelDB (the `level` package src/storage uses) on the same disk, from the
// same number of concurrent writers, with every write synced as k8ts syncs it. Two ways to write:
// group commit (whatever writers queued while the last fsync ran goes out as one synced batch — what
// src/storage does) and plain synced puts (LevelDB groups only what reaches it at once).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Level } from 'level';
import { runClosedLoop, type LoadResult } from './load.ts';

export interface BaselineOptions {
  puts: number;
  gets: number;
  concurrency: number;
  valueBytes: number;
}

export interface BaselineResult {
  levelVersion: string;
  groupCommitPut: LoadResult;
  syncPut: LoadResult;
  get: LoadResult;
}

export async function levelDbBaseline(dir: string, opts: BaselineOptions): Promise<BaselineResult> {
  const db = new Level<string, string>(dir);
  await db.open();
  try {
    const payload = 'v'.repeat(opts.valueBytes);
    const commit = groupCommitter(db);
    const groupCommitPut = await runClosedLoop(opts.puts, opts.concurrency, async (i) => {
      await commit(`/registry/configmaps/group/${i}`, payload);
      return 200;
    });
    const syncPut = await runClosedLoop(opts.puts, opts.concurrency, async (i) => {
      await db.put(`/registry/configmaps/plain/${i}`, payload, { sync: true });
      return 200;
    });
    const get = await runClosedLoop(opts.gets, opts.concurrency, async () => {
      const v = await db.get(`/registry/configmaps/group/${Math.floor(Math.random() * opts.puts)}`);
      return v === undefined ? 404 : 200;
    });
    return { levelVersion: levelVersion(), groupCommitPut, syncPut, get };
  } finally {
    await db.close();
  }
}

function groupCommitter(db: Level<string, string>): (key: string, value: string) => Promise<void> {
  let queue: { key: string; value: string; done: () => void; fail: (e: unknown) => void }[] = [];
  let flushing = false;
  const flush = async () => {
    flushing = true;
    await Promise.resolve(); // writes issued in the same tick join the first batch
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      try {
        await db.batch(batch.map((w) => ({ type: 'put' as const, key: w.key, value: w.value })), { sync: true });
        for (const w of batch) w.done();
      } catch (err) {
        for (const w of batch) w.fail(err);
      }
    }
    flushing = false;
  };
  return (key, value) => new Promise<void>((done, fail) => {
    queue.push({ key, value, done, fail });
    if (!flushing) void flush();
  });
}

function levelVersion(): string {
  const entry = createRequire(import.meta.url).resolve('level');
  return (JSON.parse(readFileSync(join(dirname(entry), 'package.json'), 'utf8')) as { version: string }).version;
}
