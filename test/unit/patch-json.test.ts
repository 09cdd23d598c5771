import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { applyJsonPatch, MAX_JSON_PATCH_OPERATIONS } from '../../src/apimachinery/patch/json-patch.ts';
import { StatusError } from '../../src/apimachinery/errors.ts';

const pod = () => ({
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name: 'web', labels: { app: 'web' }, finalizers: ['a'] },
  spec: { containers: [{ name: 'c', image: 'nginx' }] },
});

describe('applyJsonPatch applies RFC 6902 operations', () => {
  const cases: Array<{ name: string; ops: unknown[]; check: (o: ReturnType<typeof pod>) => void }> = [
    { name: 'add a label', ops: [{ op: 'add', path: '/metadata/labels/tier', value: 'front' }],
      check: (o) => assert.deepEqual(o.metadata.labels, { app: 'web', tier: 'front' }) },
    { name: 'replace the image', ops: [{ op: 'replace', path: '/spec/containers/0/image', value: 'httpd' }],
      check: (o) => assert.equal(o.spec.containers[0]!.image, 'httpd') },
    { name: 'remove a label', ops: [{ op: 'remove', path: '/metadata/labels/app' }],
      check: (o) => assert.deepEqual(o.metadata.labels, {}) },
    { name: 'test then replace', ops: [{ op: 'test', path: '/metadata/name', value: 'web' }, { op: 'replace', path: '/metadata/name', value: 'x' }],
      check: (o) => assert.equal(o.metadata.name, 'x') },
    { name: 'append with -', ops: [{ op: 'add', path: '/metadata/finalizers/-', value: 'b' }],
      check: (o) => assert.deepEqual(o.metadata.finalizers, ['a', 'b']) },
    { name: 'insert at index', ops: [{ op: 'add', path: '/metadata/finalizers/0', value: 'z' }],
      check: (o) => assert.deepEqual(o.metadata.finalizers, ['z', 'a']) },
    { name: 'move', ops: [{ op: 'move', from: '/metadata/labels/app', path: '/metadata/labels/role' }],
      check: (o) => assert.deepEqual(o.metadata.labels, { role: 'web' }) },
    { name: 'copy', ops: [{ op: 'copy', from: '/metadata/name', path: '/metadata/labels/name' }],
      check: (o) => assert.equal((o.metadata.labels as Record<string, string>).name, 'web') },
    { name: 'add without value sets null, as evanphx/json-patch', ops: [{ op: 'add', path: '/metadata/labels/x' }],
      check: (o) => assert.equal((o.metadata.labels as Record<string, unknown>).x, null) },
    { name: 'no operations', ops: [],
      check: (o) => assert.deepEqual(o, pod()) },
  ];
  for (const c of cases) test(c.name, () => c.check(applyJsonPatch(pod(), c.ops)));

  test('the input object is not modified', () => {
    const p = pod();
    applyJsonPatch(p, [{ op: 'replace', path: '/metadata/name', value: 'other' }]);
    assert.equal(p.metadata.name, 'web');
  });
});

describe('applyJsonPatch failures answer 422 as kube-apiserver', () => {
  const cases: Array<[string, unknown[]]> = [
    ['failed test', [{ op: 'test', path: '/metadata/name', value: 'other' }]],
    ['remove a missing key', [{ op: 'remove', path: '/metadata/labels/missing' }]],
    ['replace a missing key', [{ op: 'replace', path: '/spec/nodeName', value: 'n1' }]],
    ['add under a missing parent', [{ op: 'add', path: '/spec/missing/deeper', value: 1 }]],
    ['index out of range', [{ op: 'add', path: '/metadata/finalizers/5', value: 'x' }]],
    ['unknown op', [{ op: 'frob', path: '/metadata/name' }]],
    ['internal op name', [{ op: '_get', path: '/metadata/name' }]],
    ['operation that is not an object', ['add']],
    ['move from a missing path', [{ op: 'move', from: '/nope', path: '/metadata/name' }]],
  ];
  for (const [name, ops] of cases) {
    test(name, () => {
      assert.throws(() => applyJsonPatch(pod(), ops), (e: unknown) => {
        assert.ok(e instanceof StatusError);
        assert.equal(e.code, 422);
        assert.equal(e.reason, 'Invalid');
        assert.equal(e.message, 'the server rejected our request due to an error in our request');
        return true;
      });
    });
  }

  test('more than 10000 operations is 413', () => {
    const ops = Array.from({ length: MAX_JSON_PATCH_OPERATIONS + 1 }, () => ({ op: 'test', path: '/kind', value: 'Pod' }));
    assert.throws(() => applyJsonPatch(pod(), ops), (e: unknown) => {
      assert.ok(e instanceof StatusError);
      assert.equal(e.code, 413);
      assert.equal(e.message, 'Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001');
      return true;
    });
  });
});
