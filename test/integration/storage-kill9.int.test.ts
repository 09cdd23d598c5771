// An acknowledged write survives kill -9: a child process writes and prints each acknowledged
// key, is SIGKILLed mid-stream, and the reopened store must hold every printed key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openLevelStorage } from '../../src/storage/level/index.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const writer = path.join(root, 'test/helpers/storage-writer.ts');

/** Runs the writer until it printed `acks` acknowledgements, SIGKILLs it, returns key → resourceVersion. */
async function writeAndKill(dir: string, run: string, acks: number): Promise<Map<string, string>> {
  const child = spawn(process.execPath, ['--import', 'tsx', writer, dir, run, '16'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const acked = new Map<string, string>();
  let buf = '';
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_code, signal) => resolve(signal)));
  child.stdout.on('data', (d: Buffer) => {
    buf += d.toString();
    const lines = buf.split('\n');
    buf = lines.pop()!;
    for (const line of lines) {
      const [k, rv] = line.split(' ');
      if (k !== 'READY') acked.set(k, rv);
    }
    if (acked.size >= acks && child.exitCode === null && !child.killed) child.kill('SIGKILL');
  });
  const signal = await exited;
  assert.equal(signal, 'SIGKILL', `writer did not run until killed: ${stderr}`);
  return acked;
}

test('every write acknowledged before kill -9 is there after reopening, twice over', { timeout: 60_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'k8ts-kill9-'));
  try {
    const first = await writeAndKill(dir, 'first', 500);
    const second = await writeAndKill(dir, 'second', 500); // a store recovered from a crash must recover again
    const store = await openLevelStorage(dir);
    try {
      let maxRv = 0;
      for (const acked of [first, second]) {
        for (const [key, rv] of acked) {
          const obj = await store.get(key);
          assert.ok(obj, `acknowledged ${key} is missing after kill -9`);
          assert.equal(obj.metadata.resourceVersion, rv, `${key} came back with another resourceVersion`);
          maxRv = Math.max(maxRv, Number(rv));
        }
      }
      assert.ok(store.currentRevision() >= maxRv, `revision went backwards: ${store.currentRevision()} < ${maxRv}`);
      assert.ok(first.size >= 500 && second.size >= 500);
    } finally {
      await store.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
