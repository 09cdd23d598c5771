// The /etc/hosts a container sees, byte for byte as the upstream kubelet writes it.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KObject } from '../../src/apimachinery/types.ts';
import { podHostnameAndDomain, shouldMountHostsFile, writeEtcHosts } from '../../src/kubelet/etc-hosts.ts';

const dir = mkdtempSync(join(tmpdir(), 'k8ts-etc-hosts-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

const pod = (spec: object, name = 'web-0'): KObject => ({ metadata: { name, namespace: 'shop', uid: 'u1' }, spec: { containers: [], ...spec } });

const BASE = '# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n'
  + 'fe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n';

describe('writeEtcHosts', () => {
  test('pod IPs with the pod name', async () => {
    const path = join(dir, 'plain');
    await writeEtcHosts(path, pod({}), ['10.42.0.5', 'fd00::5']);
    assert.equal(readFileSync(path, 'utf8'), `${BASE}10.42.0.5\tweb-0\nfd00::5\tweb-0\n`);
    assert.equal(statSync(path).mode & 0o777, 0o644);
  });

  test('hostname and subdomain give the FQDN first, then host aliases', async () => {
    const path = join(dir, 'fqdn');
    await writeEtcHosts(path, pod({ hostname: 'db', subdomain: 'backend', hostAliases: [{ ip: '1.2.3.4', hostnames: ['foo.local', 'bar.local'] }] }), ['10.42.0.6']);
    assert.equal(readFileSync(path, 'utf8'),
      `${BASE}10.42.0.6\tdb.backend.shop.svc.cluster.local\tdb\n\n# Entries added by HostAliases.\n1.2.3.4\tfoo.local\tbar.local\n`);
  });

  test('host network: the node file under its own header, plus aliases', async () => {
    const node = join(dir, 'node-hosts');
    writeFileSync(node, '127.0.0.1 localhost\n192.168.1.10 node-a\n');
    const path = join(dir, 'hostnet');
    await writeEtcHosts(path, pod({ hostNetwork: true, hostAliases: [{ ip: '5.6.7.8', hostnames: ['x'] }] }), [], { nodeHostsFile: node });
    assert.equal(readFileSync(path, 'utf8'),
      '# Kubernetes-managed hosts file (host network).\n127.0.0.1 localhost\n192.168.1.10 node-a\n\n# Entries added by HostAliases.\n5.6.7.8\tx\n');
  });

  test('long pod names are cut to 63 characters without a trailing dash', () => {
    const name = `${'a'.repeat(62)}-bcd`;
    assert.equal(podHostnameAndDomain(pod({}, name)).hostname, 'a'.repeat(62));
  });

  test('mounted once the pod has an IP, or on the host network', () => {
    assert.equal(shouldMountHostsFile(pod({}), []), false);
    assert.equal(shouldMountHostsFile(pod({}), ['10.0.0.1']), true);
    assert.equal(shouldMountHostsFile(pod({ hostNetwork: true }), []), true);
  });
});
