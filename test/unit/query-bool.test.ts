// Boolean query parameters decode as upstream's Convert_Slice_string_To_bool: the Python client sends
// watch=True, client-go watch=true; only "0" and "false" in any case are false.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { queryBool } from '../../src/apimachinery/query-bool.ts';
import { parseRequestInfo } from '../../src/apiserver/request-info.ts';

const cases: [unknown, boolean | undefined][] = [
  [undefined, undefined],
  ['true', true],
  ['True', true],
  ['TRUE', true],
  ['1', true],
  ['', true],
  ['yes', true],
  ['false', false],
  ['False', false],
  ['FALSE', false],
  ['0', false],
  [['True', 'false'], true],
  [['0'], false],
];

for (const [value, want] of cases) {
  test(`queryBool(${JSON.stringify(value)}) is ${want}`, () => {
    assert.equal(queryBool(value), want);
  });
}

test('a list GET with watch=True is a watch, with watch=False a list', () => {
  assert.equal(parseRequestInfo('GET', '/api/v1/namespaces/ns/configmaps', { watch: 'True' })?.verb, 'watch');
  assert.equal(parseRequestInfo('GET', '/api/v1/namespaces/ns/configmaps', { watch: 'False' })?.verb, 'list');
  assert.equal(parseRequestInfo('GET', '/api/v1/namespaces/ns/configmaps', {})?.verb, 'list');
});
