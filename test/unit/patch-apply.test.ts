import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { applyPatch, PATCH_CONTENT_TYPES, type PatchType, type FieldValidation } from '../../src/apimachinery/patch/apply-patch.ts';
import { parseGoJson } from '../../src/apimachinery/patch/go-json.ts';
import { StatusError } from '../../src/apimachinery/errors.ts';
import type { KObject } from '../../src/apimachinery/types.ts';

const pod = (): KObject => ({
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: { containers: [{ name: 'a', image: 'nginx' }, { name: 'b', image: 'redis' }] },
});

describe('applyPatch dispatches on the patch type', () => {
  const body = JSON.stringify({ spec: { containers: [{ name: 'a', image: 'httpd' }] } });

  test('strategic merges containers by name', () => {
    const out = applyPatch('strategic', pod(), body, 'V1Pod');
    assert.deepEqual((out.spec as { containers: unknown[] }).containers, [{ name: 'a', image: 'httpd' }, { name: 'b', image: 'redis' }]);
  });

  test('merge replaces the containers list', () => {
    const out = applyPatch('merge', pod(), Buffer.from(body), 'V1Pod');
    assert.deepEqual((out.spec as { containers: unknown[] }).containers, [{ name: 'a', image: 'httpd' }]);
  });

  test('strategic without a model acts as a merge patch', () => {
    const out = applyPatch('strategic', pod(), body);
    assert.deepEqual((out.spec as { containers: unknown[] }).containers, [{ name: 'a', image: 'httpd' }]);
  });

  test('json applies operations', () => {
    const out = applyPatch('json', pod(), '[{"op":"replace","path":"/metadata/labels/app","value":"x"}]');
    assert.deepEqual(out.metadata.labels, { app: 'x' });
  });

  test('json null body and strategic null body change nothing', () => {
    assert.deepEqual(applyPatch('json', pod(), 'null'), pod());
    assert.deepEqual(applyPatch('strategic', pod(), 'null', 'V1Pod'), pod());
  });

  test('content types map to patch types', () => {
    assert.equal(PATCH_CONTENT_TYPES['application/strategic-merge-patch+json'], 'strategic');
    assert.equal(PATCH_CONTENT_TYPES['application/merge-patch+json'], 'merge');
    assert.equal(PATCH_CONTENT_TYPES['application/json-patch+json'], 'json');
  });
});

describe('applyPatch: bodies that do not decode are 400 BadRequest with upstream text', () => {
  const cases: Array<{ type: PatchType; body: string; fv?: FieldValidation; message: string }> = [
    { type: 'json', body: 'not json', message: "error decoding patch: invalid character 'o' in literal null (expecting 'u')" },
    { type: 'json', body: '{}', message: 'error decoding patch: json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp' },
    { type: 'json', body: '["add"]', message: 'error decoding patch: json: cannot unmarshal string into Go value of type handlers.jsonPatchOp' },
    { type: 'json', body: '[{"op":1,"path":"/a"}]', message: 'error decoding patch: json: cannot unmarshal number into Go struct field jsonPatchOp.op of type string' },
    { type: 'json', body: '{}', fv: 'Ignore', message: 'json: cannot unmarshal object into Go value of type jsonpatch.Patch' },
    { type: 'json', body: '[', fv: 'Ignore', message: 'unexpected end of JSON input' },
    { type: 'merge', body: '{', message: 'error decoding patch: unexpected end of JSON input' },
    { type: 'merge', body: '[1]', message: 'error decoding patch: json: cannot unmarshal array into Go value of type map[string]interface {}' },
    { type: 'merge', body: 'null', message: 'Invalid JSON Patch' },
    { type: 'merge', body: '{', fv: 'Ignore', message: 'Invalid JSON Patch' },
    { type: 'merge', body: '{"a":1}', fv: 'Strict', message: '' },
    { type: 'strategic', body: '{"a":}', message: "invalid character '}' looking for beginning of value" },
    { type: 'strategic', body: '[]', message: 'json: cannot unmarshal array into Go value of type map[string]interface {}' },
    { type: 'strategic', body: '"x"', message: 'json: cannot unmarshal string into Go value of type map[string]interface {}' },
  ];
  for (const c of cases) {
    const name = `${c.type} ${c.fv ?? 'Warn'} ${JSON.stringify(c.body)}`;
    if (c.message === '') {
      test(`${name} decodes`, () => assert.doesNotThrow(() => applyPatch(c.type, pod(), c.body, 'V1Pod', { fieldValidation: c.fv })));
      continue;
    }
    test(name, () => {
      assert.throws(() => applyPatch(c.type, pod(), c.body, 'V1Pod', { fieldValidation: c.fv }), (e: unknown) => {
        assert.ok(e instanceof StatusError);
        assert.equal(e.code, 400);
        assert.equal(e.reason, 'BadRequest');
        assert.equal(e.message, c.message);
        return true;
      });
    });
  }
});

describe("Go encoding/json syntax error texts", () => {
  const cases: Array<[string, string]> = [
    ['', 'unexpected end of JSON input'],
    ['{"a":1', 'unexpected end of JSON input'],
    ['{"a" 1}', "invalid character '1' after object key"],
    ['{"a":1 "b":2}', "invalid character '\"' after object key:value pair"],
    ['[1 2]', "invalid character '2' after array element"],
    ['{} x', "invalid character 'x' after top-level value"],
    ['{a:1}', "invalid character 'a' looking for beginning of object key string"],
    ['{"a":1,}', "invalid character '}' looking for beginning of object key string"],
    ['[1,]', "invalid character ']' looking for beginning of value"],
    ['{"a":tru}', "invalid character '}' in literal true (expecting 'e')"],
    ['{"a":"\n"}', "invalid character '\\n' in string literal"],
    ['{"a":01}', "invalid character '1' after object key:value pair"],
    ['{"a":-}', "invalid character '}' in numeric literal"],
    ['{"a":1.}', "invalid character '}' after decimal point in numeric literal"],
    ['{"a":1e}', "invalid character '}' in exponent of numeric literal"],
    ['{"a":"\\x"}', "invalid character 'x' in string escape code"],
    ['{"a":"\\u12g4"}', "invalid character 'g' in \\u hexadecimal character escape"],
    ["{'a':1}", "invalid character '\\'' looking for beginning of object key string"],
  ];
  for (const [text, message] of cases) {
    test(JSON.stringify(text), () => assert.throws(() => parseGoJson(text), { message }));
  }
});
