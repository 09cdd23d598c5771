import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CERT_FILES, ensureClusterCertificates, firstServiceIP, issueClientCertificate, servingCertificateSANs,
} from '../../src/certs/index.ts';

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-certs-'));
  try { await fn(dir); } finally { await rm(dir, { recursive: true, force: true }); }
}

const sans = servingCertificateSANs('127.0.0.1', '10.96.0.0/12');
const read = (dir: string, file: string) => readFile(join(dir, file), 'utf8');

describe('ensureClusterCertificates', () => {
  test('first start: a CA, a serving certificate for every way clients address us, an admin in system:masters', () => withDir(async (dir) => {
    const logs: string[] = [];
    const certs = await ensureClusterCertificates(dir, { sans, log: (m) => logs.push(m) });
    const ca = new X509Certificate(certs.ca.cert);
    assert.equal(ca.subject, 'CN=k8ts-ca');
    assert.ok(ca.ca);

    const serving = new X509Certificate(certs.serving.cert);
    assert.ok(serving.verify(ca.publicKey));
    for (const host of ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local']) {
      assert.equal(serving.checkHost(host, { subject: 'never' }), host);
    }
    for (const ip of ['127.0.0.1', '::1', '10.96.0.1']) assert.equal(serving.checkIP(ip), ip);
    assert.match(serving.keyUsage?.join(',') ?? '', /1\.3\.6\.1\.5\.5\.7\.3\.1/); // serverAuth

    const admin = new X509Certificate(certs.admin.cert);
    assert.ok(admin.verify(ca.publicKey));
    assert.deepEqual(admin.subject.split('\n').sort(), ['CN=admin', 'O=system:masters']);
    assert.match(admin.keyUsage?.join(',') ?? '', /1\.3\.6\.1\.5\.5\.7\.3\.2/); // clientAuth

    assert.equal(certs.caFingerprint256, ca.fingerprint256);
    assert.equal(logs.length, 4, logs.join('\n'));
    for (const pair of Object.values(CERT_FILES)) {
      assert.equal((await stat(join(dir, pair.key))).mode & 0o777, 0o600, `${pair.key} must be private`);
    }
  }));

  test('restart: everything is reused as it is on disk, nothing is logged', () => withDir(async (dir) => {
    const first = await ensureClusterCertificates(dir, { sans });
    const logs: string[] = [];
    const second = await ensureClusterCertificates(dir, { sans, log: (m) => logs.push(m) });
    assert.deepEqual(second, first);
    assert.deepEqual(logs, []);
  }));

  test('only what is missing is issued again, so existing kubeconfigs keep working', () => withDir(async (dir) => {
    const first = await ensureClusterCertificates(dir, { sans });
    await unlink(join(dir, CERT_FILES.serving.key));
    const logs: string[] = [];
    const second = await ensureClusterCertificates(dir, { sans, log: (m) => logs.push(m) });
    assert.equal(second.caFingerprint256, first.caFingerprint256);
    assert.equal(second.admin.cert, first.admin.cert);
    assert.notEqual(second.serving.cert, first.serving.cert);
    assert.deepEqual(logs, [`generated serving certificate ${join(dir, CERT_FILES.serving.cert)}`]);
  }));

  test('a serving certificate lacking a needed SAN (new bind address) is reissued by the same CA', () => withDir(async (dir) => {
    const first = await ensureClusterCertificates(dir, { sans });
    const logs: string[] = [];
    const second = await ensureClusterCertificates(dir, {
      sans: servingCertificateSANs('192.0.2.10', '10.96.0.0/12'), log: (m) => logs.push(m),
    });
    assert.equal(second.caFingerprint256, first.caFingerprint256);
    assert.equal(new X509Certificate(second.serving.cert).checkIP('192.0.2.10'), '192.0.2.10');
    assert.deepEqual(logs, [`reissued serving certificate ${join(dir, CERT_FILES.serving.cert)} (lacks IP SAN 192.0.2.10)`]);
  }));

  test('a lost CA means a new CA and new leaf certificates signed by it', () => withDir(async (dir) => {
    const first = await ensureClusterCertificates(dir, { sans });
    await unlink(join(dir, CERT_FILES.ca.cert));
    const second = await ensureClusterCertificates(dir, { sans });
    assert.notEqual(second.caFingerprint256, first.caFingerprint256);
    const ca = new X509Certificate(second.ca.cert);
    assert.ok(new X509Certificate(second.serving.cert).verify(ca.publicKey));
    assert.ok(new X509Certificate(second.admin.cert).verify(ca.publicKey));
    assert.equal(await read(dir, CERT_FILES.admin.cert), second.admin.cert);
  }));

  test('a corrupted certificate is replaced rather than crashing start-up', () => withDir(async (dir) => {
    const first = await ensureClusterCertificates(dir, { sans });
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(dir, CERT_FILES.admin.cert), 'not a certificate');
    const second = await ensureClusterCertificates(dir, { sans });
    assert.equal(second.caFingerprint256, first.caFingerprint256);
    assert.ok(new X509Certificate(second.admin.cert).verify(new X509Certificate(second.ca.cert).publicKey));
  }));
});

describe('issueClientCertificate', () => {
  test('CN is the user and every O a group, signed by the cluster CA', () => withDir(async (dir) => {
    const { ca } = await ensureClusterCertificates(dir, { sans });
    const pair = await issueClientCertificate(ca, 'system:node:worker-1', ['system:nodes']);
    const x = new X509Certificate(pair.cert);
    assert.deepEqual(x.subject.split('\n').sort(), ['CN=system:node:worker-1', 'O=system:nodes']);
    assert.ok(x.verify(new X509Certificate(ca.cert).publicKey));
  }));
});

describe('servingCertificateSANs', () => {
  test('the bind address is included, but not a wildcard one', () => {
    assert.ok(servingCertificateSANs('192.0.2.7', '10.96.0.0/12').ipAddresses.includes('192.0.2.7'));
    assert.deepEqual(servingCertificateSANs('0.0.0.0', '10.96.0.0/12').ipAddresses, ['127.0.0.1', '::1', '10.96.0.1']);
  });

  const cases: Array<[string, string]> = [
    ['10.96.0.0/12', '10.96.0.1'], ['10.100.200.0/12', '10.96.0.1'], ['192.168.5.0/24', '192.168.5.1'],
    ['fd00:10:96::/108', 'fd00:10:96::1'], ['2001:db8::/64', '2001:db8::1'],
  ];
  for (const [cidr, ip] of cases) test(`first service IP of ${cidr} is ${ip}`, () => assert.equal(firstServiceIP(cidr), ip));
});
