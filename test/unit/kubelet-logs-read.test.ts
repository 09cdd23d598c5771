// Reading real container log files as `kubectl logs` sees them through the kubelet: both formats a
// runtime writes, tail/since/timestamps/limitBytes, and follow while the file grows.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { logReadOptions, parsePodLogOptions, readLogs, type LogReadOptions } from '../../src/kubelet/logs/index.ts';

let dir: string;
before(async () => { dir = await mkdtemp(join(tmpdir(), 'k8ts-logs-')); });
after(async () => { await rm(dir, { recursive: true, force: true }); });

const ALL: LogReadOptions = { tail: -1, bytes: -1, follow: false, timestamps: false };

function collector() {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  return { out, text: () => Buffer.concat(chunks).toString('utf8') };
}

async function read(path: string, opts: Partial<LogReadOptions>, isRunning = async () => false): Promise<string> {
  const { out, text } = collector();
  await readLogs(path, { ...ALL, ...opts }, out, { isRunning });
  return text();
}

const CRI = [
  '2024-05-01T10:00:00.100000000Z stdout F first',
  '2024-05-01T10:00:01.000000001Z stderr F second',
  '2024-05-01T10:00:02.5Z stdout P par',
  '2024-05-01T10:00:02.6Z stdout P ti',
  '2024-05-01T10:00:02.7Z stdout F al',
  '2024-05-01T10:00:03.000000000Z stdout F last',
].join('\n') + '\n';

describe('CRI log format', () => {
  let path: string;
  before(async () => { path = join(dir, 'cri.log'); await writeFile(path, CRI); });

  test('prints every message, stdout and stderr, with partial lines joined', async () => {
    assert.equal(await read(path, {}), 'first\nsecond\npartial\nlast\n');
  });

  test('tail counts lines of the file from its end', async () => {
    assert.equal(await read(path, { tail: 1 }), 'last\n');
    assert.equal(await read(path, { tail: 2 }), 'al\nlast\n');
    assert.equal(await read(path, { tail: 0 }), '');
    assert.equal(await read(path, { tail: 100 }), 'first\nsecond\npartial\nlast\n');
  });

  test('timestamps are printed with nine fraction digits, per line written', async () => {
    assert.equal(await read(path, { timestamps: true, tail: 2 }),
      '2024-05-01T10:00:02.700000000Z al\n2024-05-01T10:00:03.000000000Z last\n');
  });

  test('since skips older messages', async () => {
    const since = logReadOptions(parsePodLogOptions(new URLSearchParams('sinceTime=2024-05-01T10:00:01Z')), Date.now()).since;
    assert.equal(await read(path, { since }), 'second\npartial\nlast\n');
  });

  test('sinceSeconds counts back from now', async () => {
    const recent = join(dir, 'recent.log');
    const old = new Date(Date.now() - 3_600_000).toISOString();
    const fresh = new Date(Date.now() - 1000).toISOString();
    await writeFile(recent, `${old} stdout F old\n${fresh} stdout F fresh\n`);
    const opts = logReadOptions(parsePodLogOptions(new URLSearchParams('sinceSeconds=60')), Date.now());
    assert.equal(await read(recent, opts), 'fresh\n');
  });

  test('limitBytes cuts the output', async () => {
    assert.equal(await read(path, { bytes: 9 }), 'first\nsec');
  });

  test('a last line without its newline is still printed', async () => {
    const p = join(dir, 'unterminated.log');
    await writeFile(p, '2024-05-01T10:00:00Z stdout F done\n2024-05-01T10:00:01Z stdout F half');
    assert.equal(await read(p, {}), 'done\nhalf');
  });

  test('a symlinked log path is followed; a missing file is an error', async () => {
    const link = join(dir, 'link.log');
    await symlink(path, link);
    assert.equal(await read(link, { tail: 1 }), 'last\n');
    await assert.rejects(read(join(dir, 'missing.log'), {}), /failed to try resolving symlinks in path ".*missing\.log": no such file or directory/);
  });

  test('a time offset written by the runtime is kept', async () => {
    const p = join(dir, 'offset.log');
    await writeFile(p, '2024-05-01T12:00:00.25+02:00 stdout F hi\n');
    assert.equal(await read(p, { timestamps: true }), '2024-05-01T12:00:00.250000000+02:00 hi\n');
  });
});

describe("Docker's json-file format", () => {
  test('messages, tail and timestamps', async () => {
    const p = join(dir, 'docker.log');
    await writeFile(p, [
      { log: 'one\n', stream: 'stdout', time: '2024-05-01T10:00:00.123456789Z' },
      { log: 'two\n', stream: 'stderr', time: '2024-05-01T10:00:01.5Z' },
    ].map((e) => JSON.stringify(e)).join('\n') + '\n');
    assert.equal(await read(p, {}), 'one\ntwo\n');
    assert.equal(await read(p, { tail: 1, timestamps: true }), '2024-05-01T10:00:01.500000000Z two\n');
  });

  test('an unknown format is refused', async () => {
    const p = join(dir, 'garbage.log');
    await writeFile(p, 'not a log line\n');
    await assert.rejects(read(p, {}), /unsupported log format: "not a log line\\n"/);
  });
});

describe('follow', () => {
  test('prints what is appended until the container stops, then ends', async () => {
    const p = join(dir, 'follow.log');
    await writeFile(p, '2024-05-01T10:00:00Z stdout F before\n');
    let running = true;
    const { out, text } = collector();
    const done = readLogs(p, { ...ALL, follow: true, tail: 1 }, out, { isRunning: async () => running });
    await waitFor(() => text() === 'before\n');
    await appendFile(p, '2024-05-01T10:00:01Z stdout P par');
    await appendFile(p, 'tial-not-yet-terminated');
    await appendFile(p, '\n2024-05-01T10:00:02Z stdout F after\n');
    // A P line's content has no newline of its own: the F line that follows completes it.
    await waitFor(() => text() === 'before\npartial-not-yet-terminatedafter\n');
    await appendFile(p, '2024-05-01T10:00:03Z stdout F final words\n');
    running = false;
    await done;
    assert.equal(text(), 'before\npartial-not-yet-terminatedafter\nfinal words\n');
  });

  test('ends when the client goes away', async () => {
    const p = join(dir, 'abort.log');
    await writeFile(p, '2024-05-01T10:00:00Z stdout F x\n');
    const ac = new AbortController();
    const { out, text } = collector();
    const done = readLogs(p, { ...ALL, follow: true }, out, { isRunning: async () => true, signal: ac.signal });
    await waitFor(() => text() === 'x\n');
    ac.abort();
    await done;
  });
});

async function waitFor(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}
