import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCSV, parseTokenCSV } from '../../src/apiserver/authn/token-file.ts';

describe('parseTokenCSV (--token-auth-file)', () => {
  const cases: Array<{ name: string; csv: string; want: Record<string, { name: string; uid: string; groups: string[] }> }> = [
    { name: 'token,user,uid', csv: 'abc123,alice,1001\n', want: { abc123: { name: 'alice', uid: '1001', groups: [] } } },
    { name: 'quoted group list', csv: 'tok,bob,u2,"system:masters,devs"\n',
      want: { tok: { name: 'bob', uid: 'u2', groups: ['system:masters', 'devs'] } } },
    { name: 'single unquoted group', csv: 'tok,kubelet-bootstrap,10001,system:bootstrappers',
      want: { tok: { name: 'kubelet-bootstrap', uid: '10001', groups: ['system:bootstrappers'] } } },
    { name: 'blank lines and CRLF endings', csv: '\r\na,u1,1\r\n\r\nb,u2,2\r\n',
      want: { a: { name: 'u1', uid: '1', groups: [] }, b: { name: 'u2', uid: '2', groups: [] } } },
    { name: 'quoted field with an escaped quote', csv: 'tok,"o""brien",3\n', want: { tok: { name: 'o"brien', uid: '3', groups: [] } } },
    { name: 'empty group column', csv: 'tok,u,1,""\n', want: { tok: { name: 'u', uid: '1', groups: [] } } },
  ];
  for (const c of cases) {
    test(c.name, () => {
      assert.deepEqual(Object.fromEntries(parseTokenCSV(c.csv, 'tokens.csv')), c.want);
    });
  }

  test('a record with fewer than 3 columns fails start-up with upstream\'s message', () => {
    assert.throws(() => parseTokenCSV('ok,u,1\nonlytoken,user\n', '/etc/k8ts/tokens.csv'), {
      message: "token file '/etc/k8ts/tokens.csv' must have at least 3 columns (token, user name, user uid), found 2",
    });
  });

  test('empty tokens are skipped and duplicate tokens keep the last record, each with a warning', () => {
    const warnings: string[] = [];
    const tokens = parseTokenCSV(',nobody,0\ndup,first,1\ndup,second,2\n', 't.csv', (w) => warnings.push(w));
    assert.deepEqual([...tokens.keys()], ['dup']);
    assert.equal(tokens.get('dup')?.name, 'second');
    assert.deepEqual(warnings, [
      "empty token has been found in token file 't.csv', record number '1'",
      "duplicate token has been found in token file 't.csv', record number '3'",
    ]);
  });

  test('malformed quoting is an error, not a silently wrong user', () => {
    assert.throws(() => parseTokenCSV('tok,"unterminated,1\n', 't.csv'), /extraneous or missing " in quoted-field/);
    assert.throws(() => parseTokenCSV('tok,bad"quote,1\n', 't.csv'), /bare " in non-quoted-field/);
  });
});

describe('parseCSV', () => {
  test('a quoted field may span lines', () => {
    assert.deepEqual(parseCSV('a,"b\nc",d\ne,f,g'), [['a', 'b\nc', 'd'], ['e', 'f', 'g']]);
  });
});
