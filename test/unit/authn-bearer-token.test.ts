import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { StatusError } from '../../src/apimachinery/errors.ts';
import { createAuthenticator } from '../../src/apiserver/authn/create-authenticator.ts';
import { parseTokenCSV } from '../../src/apiserver/authn/token-file.ts';

// A plain (non-TLS) request carrying only headers: the client-certificate authenticator finds nothing.
function request(headers: Record<string, string>): IncomingMessage {
  return { headers, socket: new Socket() } as unknown as IncomingMessage;
}

const tokens = parseTokenCSV('s3cret,alice,1001,"devs,ops"\nroot-token,root,0,system:masters\n', 'tokens.csv');
const authenticate = createAuthenticator({ tokens });

describe('bearer token authentication (--token-auth-file)', () => {
  test('a known token authenticates its user with the file\'s groups plus system:authenticated', () => {
    assert.deepEqual(authenticate(request({ authorization: 'Bearer s3cret' })), {
      name: 'alice', uid: '1001', groups: ['devs', 'ops', 'system:authenticated'],
    });
  });

  test('the scheme is case-insensitive, as upstream', () => {
    assert.equal(authenticate(request({ authorization: 'bearer root-token' }))?.name, 'root');
  });

  test('the token is removed from the request once it authenticated', () => {
    const req = request({ authorization: 'Bearer s3cret' });
    authenticate(req);
    assert.equal(req.headers.authorization, undefined);
  });

  test('an unknown token is 401 Unauthorized', () => {
    assert.throws(() => authenticate(request({ authorization: 'Bearer wrong' })), (err: unknown) => {
      assert.ok(err instanceof StatusError);
      assert.deepEqual(err.status, {
        kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401,
      });
      return true;
    });
  });

  const anonymous: Array<[string, Record<string, string>]> = [
    ['no Authorization header', {}],
    ['another scheme', { authorization: 'Basic YWxpY2U6cHc=' }],
    ['an empty bearer token', { authorization: 'Bearer  s3cret' }],
    ['the bare word Bearer', { authorization: 'Bearer' }],
  ];
  for (const [name, headers] of anonymous) {
    test(`${name}: no credentials (null), so the app decides`, () => assert.equal(authenticate(request(headers)), null));
  }

  test('without a token file, bearer tokens are not credentials', () => {
    assert.equal(createAuthenticator()(request({ authorization: 'Bearer s3cret' })), null);
  });
});
