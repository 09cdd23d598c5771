// The atomic writer behind configMap/secret/downwardAPI/projected volumes: upstream's ..data layout,
// no write when nothing changed, and updates that readers see whole — never a mix of two versions.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { readFile, realpath } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeAtomically, type Payload } from '../../src/kubelet/volumes/atomic-writer.ts';

const root = mkdtempSync(join(tmpdir(), 'k8ts-atomic-'));
after(() => rmSync(root, { recursive: true, force: true }));

const payload = (files: Record<string, string>, mode = 0o644): Payload =>
  new Map(Object.entries(files).map(([k, v]) => [k, { data: Buffer.from(v), mode }]));

function target(name: string): string {
  const dir = join(root, name);
  mkdirSync(dir);
  return dir;
}

describe('writeAtomically', () => {
  test('upstream layout: ..data → timestamped dir, visible names → ..data/<name>', async () => {
    const dir = target('layout');
    const changed = await writeAtomically(dir, payload({ 'app.conf': 'a=1', 'sub/inner.txt': 'x' }), Date.UTC(2024, 2, 1, 12, 30, 5));
    assert.equal(changed, true);
    const ts = readlinkSync(join(dir, '..data'));
    assert.match(ts, /^\.\.2024_03_01_12_30_05\.\w+$/);
    assert.equal(readlinkSync(join(dir, 'app.conf')), '..data/app.conf');
    assert.equal(readlinkSync(join(dir, 'sub')), '..data/sub');
    assert.equal(readFileSync(join(dir, 'sub/inner.txt'), 'utf8'), 'x');
    assert.equal(statSync(join(dir, ts)).mode & 0o777, 0o755);
    assert.equal(statSync(join(dir, 'app.conf')).mode & 0o777, 0o644);
    assert.deepEqual(readdirSync(dir).sort(), ['..data', ts, 'app.conf', 'sub'].sort());
  });

  test('an unchanged payload writes nothing; a changed one swaps and prunes', async () => {
    const dir = target('swap');
    await writeAtomically(dir, payload({ a: '1', b: '2' }));
    const first = readlinkSync(join(dir, '..data'));
    assert.equal(await writeAtomically(dir, payload({ a: '1', b: '2' })), false);
    assert.equal(readlinkSync(join(dir, '..data')), first);
    assert.equal(await writeAtomically(dir, payload({ a: '1', b: '2' }, 0o600)), true, 'a mode change is a change');
    assert.equal(await writeAtomically(dir, payload({ a: 'one', c: '3' })), true);
    const second = readlinkSync(join(dir, '..data'));
    assert.notEqual(second, first);
    assert.equal(readFileSync(join(dir, 'a'), 'utf8'), 'one');
    assert.throws(() => lstatSync(join(dir, 'b')), /ENOENT/, 'the removed key is no longer visible');
    assert.deepEqual(readdirSync(dir).sort(), ['..data', second, 'a', 'c'].sort(), 'old timestamped dirs are removed');
  });

  test('invalid paths are refused with upstream messages', async () => {
    const dir = target('invalid');
    await assert.rejects(writeAtomically(dir, payload({ '/abs': 'x' })), { message: 'invalid path: must be relative path: /abs' });
    await assert.rejects(writeAtomically(dir, payload({ 'a/../../b': 'x' })), { message: "invalid path: must not contain '..': a/../../b" });
    await assert.rejects(writeAtomically(dir, payload({ '..data': 'x' })), { message: "invalid path: must not start with '..': ..data" });
  });

  test('a reader going through ..data never sees files of two versions', async () => {
    const dir = target('race');
    const version = (n: number) => payload({ a: `version ${n} `.repeat(2000), b: `version ${n} `.repeat(2000) });
    await writeAtomically(dir, version(0));
    let stop = false;
    let consistent = 0;
    let torn = 0;
    const reader = (async () => {
      while (!stop) {
        try {
          // One resolution of ..data, then both files from that directory.
          const data = await realpath(join(dir, '..data'));
          const [a, b] = await Promise.all([readFile(join(data, 'a'), 'utf8'), readFile(join(data, 'b'), 'utf8')]);
          const va = /^version (\d+) /.exec(a)?.[1];
          const vb = /^version (\d+) /.exec(b)?.[1];
          if (va !== vb || a !== `version ${va} `.repeat(2000) || b !== `version ${vb} `.repeat(2000)) torn++;
          else consistent++;
          // And a single file through its visible symlink is always one whole version.
          const direct = await readFile(join(dir, 'a'), 'utf8');
          const vd = /^version (\d+) /.exec(direct)?.[1];
          if (direct !== `version ${vd} `.repeat(2000)) torn++;
        } catch (err) {
          // The old directory may be removed between resolving ..data and opening a file.
          if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        }
      }
    })();
    for (let n = 1; n <= 60; n++) await writeAtomically(dir, version(n));
    stop = true;
    await reader;
    assert.equal(torn, 0);
    assert.ok(consistent > 0, 'the reader read while updates happened');
    assert.equal(readFileSync(join(dir, 'a'), 'utf8'), 'version 60 '.repeat(2000));
  });
});
