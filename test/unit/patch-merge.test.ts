import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { applyMergePatch } from '../../src/apimachinery/patch/merge-patch.ts';

describe('applyMergePatch (RFC 7386 as evanphx/json-patch)', () => {
  const cases: Array<{ name: string; doc: unknown; patch: unknown; want: unknown }> = [
    { name: 'sets a new key', doc: { a: 1 }, patch: { b: 2 }, want: { a: 1, b: 2 } },
    { name: 'replaces a scalar', doc: { a: 1 }, patch: { a: 'x' }, want: { a: 'x' } },
    { name: 'null deletes a key', doc: { a: 1, b: 2 }, patch: { a: null }, want: { b: 2 } },
    { name: 'null for a missing key is a no-op', doc: { a: 1 }, patch: { z: null }, want: { a: 1 } },
    { name: 'objects merge recursively', doc: { m: { a: 1, b: 2 } }, patch: { m: { b: 3, c: 4 } }, want: { m: { a: 1, b: 3, c: 4 } } },
    { name: 'nested null deletes', doc: { metadata: { labels: { a: '1', b: '2' } } }, patch: { metadata: { labels: { a: null } } }, want: { metadata: { labels: { b: '2' } } } },
    { name: 'arrays are replaced, never merged', doc: { list: [{ name: 'a', x: 1 }, { name: 'b' }] }, patch: { list: [{ name: 'a' }] }, want: { list: [{ name: 'a' }] } },
    { name: 'nulls in a new subtree are pruned', doc: {}, patch: { m: { a: null, b: 1 } }, want: { m: { b: 1 } } },
    { name: 'an object replaces a scalar, nulls pruned', doc: { m: 'x' }, patch: { m: { a: null, b: 1 } }, want: { m: { b: 1 } } },
    { name: 'a scalar replaces an object', doc: { m: { a: 1 } }, patch: { m: 5 }, want: { m: 5 } },
    { name: 'empty patch keeps the document', doc: { a: [1, 2] }, patch: {}, want: { a: [1, 2] } },
    { name: 'null array elements are kept', doc: {}, patch: { l: [null, 1] }, want: { l: [null, 1] } },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(applyMergePatch(c.doc, c.patch), c.want));

  test('neither input is modified', () => {
    const doc = { m: { a: 1 } };
    const patch = { m: { a: null, b: 2 } };
    const out = applyMergePatch(doc, patch);
    assert.deepEqual(out, { m: { b: 2 } });
    assert.deepEqual(doc, { m: { a: 1 } });
    assert.deepEqual(patch, { m: { a: null, b: 2 } });
  });

  test('a "__proto__" key is data, not a prototype change', () => {
    const out = applyMergePatch({ a: 1 }, JSON.parse('{"__proto__": {"polluted": true}}')) as Record<string, unknown>;
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.deepEqual(Object.getOwnPropertyDescriptor(out, '__proto__')?.value, { polluted: true });
  });
});
