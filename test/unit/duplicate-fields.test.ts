// Duplicate fields in request bodies: found with their paths, reported in upstream's words and order,
// and merged as Go's decoder merges a repeated object.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseYamlReportingDuplicates, resolveJsonDuplicates } from '../../src/apiserver/duplicate-fields.ts';
import { scanJsonKeys } from '../../src/apiserver/json-duplicate-keys.ts';

function json(text: string) {
  const value = JSON.parse(text);
  const duplicates = resolveJsonDuplicates(text, value);
  return { value, duplicates };
}

describe('duplicate JSON keys', () => {
  test('upstream field validation test body: duplicates and unknown fields interleaved in document order', () => {
    const text = `{"apiVersion":"apps/v1","kind":"Deployment",
      "metadata":{"name":"d","name":"d","unknownMeta":"x","labels":{"app":"nginx"}},
      "spec":{"unknown1":"v","unknownDupe":"a","unknownDupe":"b","paused":true,"paused":false,
        "selector":{"matchLabels":{"app":"nginx"}},
        "template":{"metadata":{"labels":{"app":"nginx"}},"spec":{"containers":[{"name":"nginx","image":"nginx:latest",
          "unknownNested":"v","imagePullPolicy":"Always","imagePullPolicy":"Never"}]}}}}`;
    const unknown = ['metadata.unknownMeta', 'spec.unknown1', 'spec.unknownDupe', 'spec.template.spec.containers[0].unknownNested'];
    const expected = [
      'duplicate field "metadata.name"', 'unknown field "metadata.unknownMeta"', 'unknown field "spec.unknown1"',
      'unknown field "spec.unknownDupe"', 'duplicate field "spec.paused"', 'unknown field "spec.template.spec.containers[0].unknownNested"',
      'duplicate field "spec.template.spec.containers[0].imagePullPolicy"',
    ];
    const { duplicates } = json(text);
    assert.deepEqual(duplicates.errors(unknown), expected);
    assert.deepEqual(duplicates.warnings(unknown), expected);
  });

  test('no duplicates: only the unknown fields, as given', () => {
    const { duplicates } = json('{"a":1,"b":{"c":2}}');
    assert.deepEqual(duplicates.errors(['b.c']), ['unknown field "b.c"']);
    assert.deepEqual(duplicates.errors([]), []);
  });

  test('keys in arrays of objects, map keys and escaped keys get their own paths; a key repeated thrice is one error', () => {
    const { duplicates } = json('{"items":[{"k":1},{"k":1,"k":2}],"data":{"x":"a","x":"b","x":"c"},"e\\"q":1,"e\\"q":2}');
    assert.deepEqual(duplicates.errors([]), ['duplicate field "items[1].k"', 'duplicate field "data.x"', 'duplicate field "e"q"']);
  });

  test('braces, brackets, commas and escaped quotes inside strings are not structure', () => {
    const { duplicates } = json('{"a":"{\\"a\\":1,}]","b":"\\\\","c":["x\\"",{"a":1}],"a":2}');
    assert.deepEqual(duplicates.errors([]), ['duplicate field "a"']);
  });

  test('a repeated object merges into the first, the later value winning each key, nested objects too', () => {
    const { value } = json('{"data":{"a":"1","b":"1"},"data":{"b":"2","c":"2"},"spec":{"x":{"p":1},"list":[1,2]},"spec":{"x":{"q":2},"list":[3]}}');
    assert.deepEqual(value, { data: { a: '1', b: '2', c: '2' }, spec: { x: { p: 1, q: 2 }, list: [3] } });
  });

  test('a repeated scalar or a change of type keeps the last value', () => {
    const { value } = json('{"a":1,"a":2,"b":{"x":1},"b":"s","c":"s","c":{"y":1}}');
    assert.deepEqual(value, { a: 2, b: 's', c: { y: 1 } });
  });

  test('a repeated unknown field, or one under an unknown field, is reported as unknown only', () => {
    const { duplicates } = json('{"bogus":{"x":1,"x":2},"bogus":3,"known":1,"known":2}');
    assert.deepEqual(duplicates.errors(['bogus']), ['unknown field "bogus"', 'duplicate field "known"']);
  });

  test('nesting deeper than Go allows is not scanned (and costs no memory)', () => {
    const depth = 100_000;
    const text = '{"x":' + '['.repeat(depth) + ']'.repeat(depth) + ',"x":1}';
    assert.deepEqual(scanJsonKeys(text).duplicates, []);
  });
});

describe('duplicate YAML keys', () => {
  test('the YAML decoder\'s line errors first, then unknown fields in sorted order', () => {
    const text = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: a\n  name: b\nspec:\n  paused: true\n  paused: false\n';
    const { value, duplicates } = parseYamlReportingDuplicates(text);
    assert.deepEqual((value as any).metadata, { name: 'b' });
    assert.deepEqual(duplicates.errors(['spec.zeta', 'spec.template.spec.containers[0].x', 'metadata.m']), [
      'yaml: unmarshal errors:\n  line 5: key "name" already set in map\n  line 8: key "paused" already set in map',
      'unknown field "metadata.m"', 'unknown field "spec.template.spec.containers[0].x"', 'unknown field "spec.zeta"',
    ]);
    assert.deepEqual(duplicates.warnings([]), ['line 5: key "name" already set in map', 'line 8: key "paused" already set in map']);
  });

  test('other YAML errors still throw', () => {
    assert.throws(() => parseYamlReportingDuplicates('a: [unclosed\n'));
  });
});
