import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readlink, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { indexTarBuffer } from '../../src/kubelet/images/tar-reader.ts';
import { FIXED_MTIME_SECONDS, writeTar, type TarEntry } from '../../src/kubelet/images/tar-writer.ts';

const run = promisify(execFile);
const longDir = `${'a'.repeat(60)}/${'b'.repeat(60)}`;
const entries: TarEntry[] = [
  { type: 'dir', path: 'bin' },
  { type: 'file', path: 'bin/tool', data: Buffer.from('#!/bin/sh\necho hi\n'), mode: 0o755 },
  { type: 'symlink', path: 'bin/sh', target: 'tool' },
  { type: 'link', path: 'bin/hard', target: 'bin/tool' },
  { type: 'dir', path: 'tmp', mode: 0o1777 },
  { type: 'file', path: 'empty', data: Buffer.alloc(0) },
  { type: 'file', path: 'block', data: Buffer.alloc(512, 7) },
  { type: 'file', path: `${longDir}/file.txt`, data: Buffer.from('deep') },
];

describe('tar writer', () => {
  test('the same entries always give the same bytes (digests are reproducible)', () => {
    assert.ok(writeTar(entries).equals(writeTar(entries)));
  });

  test('our reader finds every entry with its data offset, type and link target', async () => {
    const tar = writeTar(entries);
    assert.equal(tar.length % 512, 0);
    const index = await indexTarBuffer(tar);
    assert.deepEqual(index.map((e) => `${e.type} ${e.path}`), [
      'dir bin', 'file bin/tool', 'symlink bin/sh', 'link bin/hard', 'dir tmp', 'file empty', 'file block', `file ${longDir}/file.txt`,
    ]);
    const tool = index.find((e) => e.path === 'bin/tool')!;
    assert.equal(tar.toString('utf8', tool.offset, tool.offset + tool.size), '#!/bin/sh\necho hi\n');
    assert.equal(index.find((e) => e.path === 'bin/sh')!.linkTarget, 'tool');
    const deep = index.find((e) => e.path.endsWith('file.txt'))!;
    assert.equal(tar.toString('utf8', deep.offset, deep.offset + deep.size), 'deep');
  });

  test('GNU tar extracts it with modes, links, the fixed mtime and long (prefix) paths', async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'k8ts-tar-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const file = join(dir, 'x.tar');
    await writeFile(file, writeTar(entries));
    try {
      await run('tar', ['-xpf', file, '-C', dir]);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return t.skip('tar is not installed');
      throw err;
    }
    assert.equal(await readFile(join(dir, 'bin/tool'), 'utf8'), '#!/bin/sh\necho hi\n');
    assert.equal((await stat(join(dir, 'bin/tool'))).mode & 0o7777, 0o755);
    assert.equal((await stat(join(dir, 'tmp'))).mode & 0o7777, 0o1777);
    assert.equal(await readlink(join(dir, 'bin/sh')), 'tool');
    assert.equal((await stat(join(dir, 'bin/hard'))).ino, (await stat(join(dir, 'bin/tool'))).ino);
    assert.equal(await readFile(join(dir, longDir, 'file.txt'), 'utf8'), 'deep');
    assert.equal(Math.floor((await stat(join(dir, 'bin/tool'))).mtimeMs / 1000), FIXED_MTIME_SECONDS);
  });

  test('a path ustar cannot hold is refused rather than truncated', () => {
    assert.throws(() => writeTar([{ type: 'file', path: 'x'.repeat(101), data: Buffer.alloc(0) }]), /path too long/);
  });
});
