// Client-certificate authentication over real TLS: the authenticator behind an https server
// configured exactly as startServer configures it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isStatusError } from '../../src/apimachinery/errors.ts';
import { createAuthenticator } from '../../src/apiserver/authn/create-authenticator.ts';
import { parseTokenCSV } from '../../src/apiserver/authn/token-file.ts';
import {
  createCertificateAuthority, ensureClusterCertificates, issueClientCertificate, servingCertificateSANs,
  type CertKeyPair, type ClusterCertificates,
} from '../../src/certs/index.ts';

let dir: string;
let certs: ClusterCertificates;
let server: Server;
let port: number;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'k8ts-x509-'));
  certs = await ensureClusterCertificates(dir, { sans: servingCertificateSANs('127.0.0.1', '10.96.0.0/12') });
  const authenticate = createAuthenticator({ tokens: parseTokenCSV('good-token,tokenuser,7\n', 'tokens.csv') });
  server = createServer(
    { key: certs.serving.key, cert: certs.serving.cert, ca: certs.ca.cert, requestCert: true, rejectUnauthorized: false },
    (req, res) => {
      try {
        const user = authenticate(req);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ user }));
      } catch (err) {
        if (!isStatusError(err)) throw err;
        res.writeHead(err.code, { 'content-type': 'application/json' }).end(JSON.stringify(err.status));
      }
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

function get(client?: CertKeyPair, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1', port, path: '/', ca: certs.ca.cert, cert: client?.cert, key: client?.key, headers, agent: false,
    }, (res) => {
      let data = '';
      res.on('data', (d) => { data += d; });
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(data) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('client certificate authentication', () => {
  test('the admin certificate is user admin in system:masters', async () => {
    assert.deepEqual(await get(certs.admin), { status: 200, body: { user: { name: 'admin', groups: ['system:masters', 'system:authenticated'] } } });
  });

  test('every O of the certificate is a group, in order', async () => {
    const node = await issueClientCertificate(certs.ca, 'system:node:w1', ['system:nodes', 'extra']);
    assert.deepEqual((await get(node)).body.user, { name: 'system:node:w1', groups: ['system:nodes', 'extra', 'system:authenticated'] });
  });

  test('no certificate and no token: no credentials', async () => {
    assert.deepEqual(await get(), { status: 200, body: { user: null } });
  });

  test('a certificate from another CA is 401 Unauthorized', async () => {
    const otherCA = await createCertificateAuthority('someone-else');
    const stranger = await issueClientCertificate(otherCA, 'admin', ['system:masters']);
    const res = await get(stranger);
    assert.equal(res.status, 401);
    assert.equal(res.body.reason, 'Unauthorized');
  });

  test('the serving certificate (server auth only) cannot be used as a client credential', async () => {
    assert.equal((await get(certs.serving)).status, 401);
  });

  test('an untrusted certificate does not hide a valid bearer token', async () => {
    const otherCA = await createCertificateAuthority('someone-else');
    const stranger = await issueClientCertificate(otherCA, 'x');
    const res = await get(stranger, { authorization: 'Bearer good-token' });
    assert.deepEqual(res.body.user, { name: 'tokenuser', uid: '7', groups: ['system:authenticated'] });
  });

  test('a trusted certificate wins over a bad bearer token, as upstream tries x509 first', async () => {
    const res = await get(certs.admin, { authorization: 'Bearer bad' });
    assert.equal(res.body.user.name, 'admin');
  });
});
