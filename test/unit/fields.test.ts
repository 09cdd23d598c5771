import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { checkSupportedFields, escapeFieldValue, parseFieldSelector } from '../../src/apimachinery/fields.ts';
import { StatusError } from '../../src/apimachinery/errors.ts';

describe('parseFieldSelector matching', () => {
  const pod = { 'metadata.name': 'web-1', 'metadata.namespace': 'default', 'spec.nodeName': '', 'status.phase': 'Running' };
  const cases: Array<{ sel: string; fields: Record<string, string>; want: boolean }> = [
    { sel: 'metadata.name=web-1', fields: pod, want: true },
    { sel: 'metadata.name==web-1', fields: pod, want: true },
    { sel: 'metadata.name=web-2', fields: pod, want: false },
    { sel: 'metadata.name!=web-2', fields: pod, want: true },
    { sel: 'metadata.name!=web-1', fields: pod, want: false },
    { sel: 'status.phase=Running,metadata.namespace=default', fields: pod, want: true },
    { sel: 'status.phase=Running,metadata.namespace=kube-system', fields: pod, want: false },
    { sel: 'spec.nodeName=', fields: pod, want: true },
    { sel: 'spec.nodeName!=', fields: pod, want: false },
    { sel: 'spec.schedulerName=', fields: pod, want: true },
    { sel: 'metadata.name=a\\,b', fields: { 'metadata.name': 'a,b' }, want: true },
    { sel: 'metadata.name=a\\=b', fields: { 'metadata.name': 'a=b' }, want: true },
    { sel: 'metadata.name=a\\\\b', fields: { 'metadata.name': 'a\\b' }, want: true },
    { sel: '', fields: pod, want: true },
    { sel: ',,', fields: pod, want: true },
  ];
  for (const c of cases) {
    test(`${JSON.stringify(c.sel)} → ${c.want}`, () => assert.equal(parseFieldSelector(c.sel).matches(c.fields), c.want));
  }
});

describe('parseFieldSelector errors are 400 BadRequest with upstream text', () => {
  const cases: Array<[string, string]> = [
    ['foo', "invalid selector: 'foo'; can't understand 'foo'"],
    ['a=b,foo', "invalid selector: 'a=b,foo'; can't understand 'foo'"],
    ['a=b\\', 'invalid field selector: invalid escape sequence: \\'],
    ['a=b\\x', 'invalid field selector: invalid escape sequence: \\x'],
    ['a=b=c', 'invalid field selector: unescaped character in value: 61'],
  ];
  for (const [sel, message] of cases) {
    test(JSON.stringify(sel), () => {
      assert.throws(() => parseFieldSelector(sel), (e: unknown) => {
        assert.ok(e instanceof StatusError);
        assert.equal(e.code, 400);
        assert.equal(e.reason, 'BadRequest');
        assert.equal(e.message, message);
        return true;
      });
    });
  }
});

describe('field selector helpers', () => {
  test('checkSupportedFields rejects the first unsupported field, in upstream (sorted) order', () => {
    const sel = parseFieldSelector('z=1,spec.foo=bar,metadata.name=x');
    assert.throws(() => checkSupportedFields(sel, ['metadata.name', 'z'], true), (e: unknown) => {
      assert.ok(e instanceof StatusError);
      assert.equal(e.code, 400);
      assert.equal(e.message, 'field label not supported: spec.foo');
      return true;
    });
    assert.doesNotThrow(() => checkSupportedFields(sel, ['metadata.name', 'spec.foo', 'z'], true));
  });

  test('kinds without their own fields answer with the default conversion text', () => {
    const sel = parseFieldSelector('data.foo=1');
    assert.throws(() => checkSupportedFields(sel, ['metadata.name', 'metadata.namespace'], false), (e: unknown) => {
      assert.ok(e instanceof StatusError);
      assert.equal(e.message, '"data.foo" is not a known field selector: only "metadata.name", "metadata.namespace"');
      return true;
    });
  });

  test('fieldNames lists referenced fields; requiresExactMatch finds equality terms only', () => {
    const sel = parseFieldSelector('spec.nodeName=n1,metadata.name!=x');
    assert.deepEqual(sel.fieldNames(), ['metadata.name', 'spec.nodeName']);
    assert.equal(sel.requiresExactMatch('spec.nodeName'), 'n1');
    assert.equal(sel.requiresExactMatch('metadata.name'), undefined);
  });

  test('escapeFieldValue and toString round-trip special characters', () => {
    assert.equal(escapeFieldValue('a,b=c\\d'), 'a\\,b\\=c\\\\d');
    const sel = parseFieldSelector(`metadata.name=${escapeFieldValue('x,y')}`);
    assert.equal(sel.toString(), 'metadata.name=x\\,y');
    assert.equal(sel.matches({ 'metadata.name': 'x,y' }), true);
  });
});
