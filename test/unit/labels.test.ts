import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatLabelSelector, formatLabels, labelSelectorAsMatcher, parseLabelSelector, selectorFromSet,
} from '../../src/apimachinery/labels.ts';
import { StatusError } from '../../src/apimachinery/errors.ts';

const NAME_PART = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

describe('parseLabelSelector matching', () => {
  const cases: Array<{ sel: string; labels: Record<string, string>; want: boolean }> = [
    { sel: 'a=b', labels: { a: 'b' }, want: true },
    { sel: 'a=b', labels: { a: 'c' }, want: false },
    { sel: 'a=b', labels: {}, want: false },
    { sel: 'a==b', labels: { a: 'b' }, want: true },
    { sel: 'a!=b', labels: {}, want: true },
    { sel: 'a!=b', labels: { a: 'b' }, want: false },
    { sel: 'a!=b', labels: { a: 'c' }, want: true },
    { sel: 'a in (x,y)', labels: { a: 'y' }, want: true },
    { sel: 'a in (x,y)', labels: { a: 'z' }, want: false },
    { sel: 'a in (x,y)', labels: {}, want: false },
    { sel: 'a notin (x)', labels: {}, want: true },
    { sel: 'a notin (x)', labels: { a: 'x' }, want: false },
    { sel: 'a notin (x)', labels: { a: 'y' }, want: true },
    { sel: 'a', labels: { a: '' }, want: true },
    { sel: 'a', labels: { b: '1' }, want: false },
    { sel: '!a', labels: { b: '1' }, want: true },
    { sel: '!a', labels: { a: 'x' }, want: false },
    { sel: 'a=b,c', labels: { a: 'b', c: '1' }, want: true },
    { sel: 'a=b,c', labels: { a: 'b' }, want: false },
    { sel: ' a = b , c ', labels: { a: 'b', c: '' }, want: true },
    { sel: 'a=', labels: { a: '' }, want: true },
    { sel: 'a in (in)', labels: { a: 'in' }, want: true },
    { sel: 'a=notin', labels: { a: 'notin' }, want: true },
    { sel: 'x in (foo,,baz)', labels: { x: '' }, want: true },
    { sel: 'a>1', labels: { a: '2' }, want: true },
    { sel: 'a>1', labels: { a: '1' }, want: false },
    { sel: 'a<1', labels: { a: '0' }, want: true },
    { sel: 'a>1', labels: { a: 'x' }, want: false },
    { sel: 'app.kubernetes.io/name=web', labels: { 'app.kubernetes.io/name': 'web' }, want: true },
    { sel: '', labels: {}, want: true },
  ];
  for (const c of cases) {
    test(`${JSON.stringify(c.sel)} on ${JSON.stringify(c.labels)} → ${c.want}`, () => {
      assert.equal(parseLabelSelector(c.sel).matches(c.labels), c.want);
    });
  }

  test('an empty selector is Everything and matches objects without labels', () => {
    const s = parseLabelSelector('');
    assert.equal(s.empty, true);
    assert.equal(s.matches(undefined), true);
  });
});

describe('parseLabelSelector String() as upstream', () => {
  const cases: Array<[string, string]> = [
    ['x in (foo,,baz),y,z notin ()', 'x in (,baz,foo),y,z notin ()'],
    ['b=1,a=2', 'a=2,b=1'],
    ['a==b', 'a==b'],
    ['!a', '!a'],
    ['a notin (z,y)', 'a notin (y,z)'],
    ['a>10', 'a>10'],
  ];
  for (const [input, want] of cases) {
    test(`${input} → ${want}`, () => assert.equal(parseLabelSelector(input).toString(), want));
  }
});

describe('parseLabelSelector errors are 400 BadRequest with upstream text', () => {
  const cases: Array<[string, string]> = [
    ['app:monolith', `unable to parse requirement: <nil>: Invalid value: "app:monolith": ${NAME_PART}`],
    ['a in', "unable to parse requirement: found '' expected: '('"],
    ['a=b,', "found '', expected: identifier after ','"],
    ['a=b c', "found 'c', expected: ',' or 'end of string'"],
    [',a', "found ',', expected: !, identifier, or 'end of string'"],
    ['a b', "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"],
    ['a=b=c', "found '=', expected: ',' or 'end of string'"],
    ['a in (x', "unable to parse requirement: found '', expected: ',' or ')'"],
    ['a=b@', `unable to parse requirement: values[0][a]: Invalid value: "b@": ${LABEL_VALUE}`],
    ['a>b', `unable to parse requirement: values[0]: Invalid value: "b": for 'Gt', 'Lt' operators, the value must be an integer`],
    ['!', "unable to parse requirement: found '', expected: identifier"],
  ];
  for (const [input, message] of cases) {
    test(JSON.stringify(input), () => {
      assert.throws(() => parseLabelSelector(input), (e: unknown) => {
        assert.ok(e instanceof StatusError);
        assert.equal(e.code, 400);
        assert.equal(e.reason, 'BadRequest');
        assert.equal(e.message, message);
        return true;
      });
    });
  }
});

describe('requiresExactMatch', () => {
  test('equality and single-valued in give the value; others do not', () => {
    const s = parseLabelSelector('a=1,b in (2),c in (3,4),d!=5');
    assert.equal(s.requiresExactMatch('a'), '1');
    assert.equal(s.requiresExactMatch('b'), '2');
    assert.equal(s.requiresExactMatch('c'), undefined);
    assert.equal(s.requiresExactMatch('d'), undefined);
    assert.equal(s.requiresExactMatch('zz'), undefined);
  });
});

describe('labelSelectorAsMatcher (metav1.LabelSelector)', () => {
  const web = { app: 'web', tier: 'front' };
  const cases: Array<{ name: string; sel: Parameters<typeof labelSelectorAsMatcher>[0]; labels: Record<string, string>; want: boolean }> = [
    { name: 'nil selects nothing', sel: undefined, labels: web, want: false },
    { name: 'empty selects everything', sel: {}, labels: web, want: true },
    { name: 'matchLabels hit', sel: { matchLabels: { app: 'web' } }, labels: web, want: true },
    { name: 'matchLabels miss', sel: { matchLabels: { app: 'db' } }, labels: web, want: false },
    { name: 'In', sel: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'back'] }] }, labels: web, want: true },
    { name: 'NotIn', sel: { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['front'] }] }, labels: web, want: false },
    { name: 'Exists', sel: { matchExpressions: [{ key: 'app', operator: 'Exists' }] }, labels: web, want: true },
    { name: 'DoesNotExist', sel: { matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, labels: web, want: false },
    {
      name: 'labels and expressions are ANDed',
      sel: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['back'] }] },
      labels: web, want: false,
    },
  ];
  for (const c of cases) {
    test(c.name, () => assert.equal(labelSelectorAsMatcher(c.sel).matches(c.labels), c.want));
  }

  test('an unknown operator fails with upstream text', () => {
    assert.throws(() => labelSelectorAsMatcher({ matchExpressions: [{ key: 'a', operator: 'Foo' }] }),
      { message: '"Foo" is not a valid label selector operator' });
  });
});

describe('formatLabelSelector as kubectl -o wide prints SELECTOR', () => {
  const cases: Array<[Parameters<typeof formatLabelSelector>[0], string]> = [
    [{ matchLabels: { app: 'web' } }, 'app=web'],
    [undefined, '<none>'],
    [{}, '<none>'],
    [{ matchLabels: { b: '2', a: '1' } }, 'a=1,b=2'],
    [{ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }] }, 'app=web,tier in (a,b)'],
    [{ matchExpressions: [{ key: 'env', operator: 'Exists' }] }, 'env'],
    [{ matchExpressions: [{ key: 'env', operator: 'DoesNotExist' }] }, '!env'],
    [{ matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] }, 'env notin (prod)'],
    [{ matchExpressions: [{ key: 'env', operator: 'Bogus' }] }, '<error>'],
  ];
  for (const [sel, want] of cases) {
    test(`${JSON.stringify(sel)} → ${want}`, () => assert.equal(formatLabelSelector(sel), want));
  }
});

describe('formatLabels and selectorFromSet', () => {
  test('formatLabels sorts keys and prints <none> for empty', () => {
    assert.equal(formatLabels({ run: 'x', app: 'y' }), 'app=y,run=x');
    assert.equal(formatLabels({}), '<none>');
    assert.equal(formatLabels(undefined), '<none>');
  });
  test('selectorFromSet selects on every pair', () => {
    const s = selectorFromSet({ app: 'web', tier: 'front' });
    assert.equal(s.matches({ app: 'web', tier: 'front', x: '1' }), true);
    assert.equal(s.matches({ app: 'web' }), false);
    assert.equal(s.toString(), 'app=web,tier=front');
  });
});
