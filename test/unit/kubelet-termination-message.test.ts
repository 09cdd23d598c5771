// A terminated container's message: the termination-log file (at most 4 KiB, its end), or with
// FallbackToLogsOnError and a failed exit the log's last 80 lines (at most 2 KiB).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTerminationMessage } from '../../src/kubelet/termination-message.ts';

let dir: string;
before(async () => { dir = await mkdtemp(join(tmpdir(), 'k8ts-tmsg-')); });
after(async () => { await rm(dir, { recursive: true, force: true }); });

const criLog = (lines: string[]) => lines.map((l, i) => `2025-01-01T00:00:${String(i % 60).padStart(2, '0')}.000000000Z stdout F ${l}\n`).join('');

async function file(name: string, content: string): Promise<string> {
  const p = join(dir, name);
  await writeFile(p, content);
  return p;
}

test('the file wins when it has something', async () => {
  const hostPath = await file('msg1', 'disk full');
  const logPath = await file('log1', criLog(['from the log']));
  assert.equal(await readTerminationMessage({ hostPath, policy: 'FallbackToLogsOnError', exitCode: 1, reason: 'Error', logPath }), 'disk full');
});

test('only the last 4096 bytes of the file', async () => {
  const hostPath = await file('msg2', `${'a'.repeat(5000)}END`);
  const m = await readTerminationMessage({ hostPath, policy: 'File', exitCode: 0, reason: 'Completed', logPath: '' });
  assert.equal(m.length, 4096);
  assert.ok(m.endsWith('END'));
});

const fallbackCases: Array<[string, { policy: string; exitCode: number; reason: string }, boolean]> = [
  ['FallbackToLogsOnError and a failed exit reads the log', { policy: 'FallbackToLogsOnError', exitCode: 2, reason: 'Error' }, true],
  ['FallbackToLogsOnError with exit 0 does not', { policy: 'FallbackToLogsOnError', exitCode: 0, reason: 'Completed' }, false],
  ['File policy does not', { policy: 'File', exitCode: 2, reason: 'Error' }, false],
  ['a container that could not run has no logs to read', { policy: 'FallbackToLogsOnError', exitCode: 128, reason: 'ContainerCannotRun' }, false],
];
for (const [name, c, reads] of fallbackCases) {
  test(name, async () => {
    const hostPath = await file(`empty-${name.length}`, '');
    const logPath = await file(`log-${name.length}`, criLog(['line one', 'panic: boom']));
    const m = await readTerminationMessage({ hostPath, ...c, logPath });
    assert.equal(m, reads ? 'line one\npanic: boom\n' : '');
  });
}

test('the log fallback keeps the last 80 lines and at most 2048 bytes', async () => {
  const hostPath = await file('empty-big', '');
  const lines = Array.from({ length: 100 }, (_, i) => `line ${String(i).padStart(3, '0')}`);
  const m = await readTerminationMessage({ hostPath, policy: 'FallbackToLogsOnError', exitCode: 1, reason: 'Error', logPath: await file('log-big', criLog(lines)) });
  assert.ok(m.startsWith('line 020\n'), m.slice(0, 20));
  assert.ok(m.endsWith('line 099\n'));
  const long = Array.from({ length: 50 }, (_, i) => `${i}:${'x'.repeat(100)}`);
  const m2 = await readTerminationMessage({ hostPath, policy: 'FallbackToLogsOnError', exitCode: 1, reason: 'Error', logPath: await file('log-long', criLog(long)) });
  assert.equal(Buffer.byteLength(m2), 2048);
  assert.ok(m2.endsWith(`49:${'x'.repeat(100)}\n`));
});
