// The pod network conflist containerd's CRI plugin loads: a bridge on the node's podCIDR with
// host-local addresses, NAT for traffic leaving it, hairpin, and portmap for hostPorts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cniConflist, writeCniConfig } from '../../src/kubelet/network/cni-config.ts';

test('writes one conflist (and no temp file) that containerd loads: bridge + host-local + portmap', async () => {
  const confDir = await mkdtemp(join(tmpdir(), 'k8ts-cni-'));
  try {
    const path = await writeCniConfig({ confDir, podCIDR: '10.244.3.0/24', bridge: 'k8ts0', masquerade: false });
    assert.deepEqual(await readdir(confDir), ['10-k8ts-k8ts0.conflist']);
    assert.equal(path, join(confDir, '10-k8ts-k8ts0.conflist'));
    const conf = JSON.parse(await readFile(path, 'utf8'));
    assert.equal(conf.cniVersion, '1.0.0');
    assert.equal(conf.name, 'k8ts-k8ts0');
    assert.deepEqual(conf.plugins.map((p: { type: string }) => p.type), ['bridge', 'portmap']);
    assert.deepEqual(conf.plugins[0], {
      type: 'bridge', bridge: 'k8ts0', isGateway: true, ipMasq: false, hairpinMode: true,
      ipam: { type: 'host-local', ranges: [[{ subnet: '10.244.3.0/24' }]], routes: [{ dst: '0.0.0.0/0' }] },
    });
    assert.deepEqual(conf.plugins[1], { type: 'portmap', capabilities: { portMappings: true } });
    // Rewriting (a new podCIDR) replaces the file in place.
    await writeCniConfig({ confDir, podCIDR: '10.244.4.0/24', bridge: 'k8ts0', masquerade: false });
    assert.equal(JSON.parse(await readFile(path, 'utf8')).plugins[0].ipam.ranges[0][0].subnet, '10.244.4.0/24');
    assert.deepEqual(await readdir(confDir), ['10-k8ts-k8ts0.conflist']);
  } finally {
    await rm(confDir, { recursive: true, force: true });
  }
});

test('an IPv6 pod CIDR routes ::/0; a lease dir and a name can be given', () => {
  const conf = cniConflist({ confDir: '/x', podCIDR: 'fd00:10:244:1::/64', bridge: 'k8ts6', name: 'pods', ipamDataDir: '/var/lib/k8ts/ipam' }) as any;
  assert.equal(conf.name, 'pods');
  assert.deepEqual(conf.plugins[0].ipam.routes, [{ dst: '::/0' }]);
  assert.equal(conf.plugins[0].ipam.dataDir, '/var/lib/k8ts/ipam');
});

test('a bridge name longer than Linux allows or a malformed CIDR is refused up front', () => {
  assert.throws(() => cniConflist({ confDir: '/x', podCIDR: '10.244.0.0/24', bridge: 'a-very-long-bridge' }), /must be 1 to 15 characters/);
  assert.throws(() => cniConflist({ confDir: '/x', podCIDR: '10.244.0.0', bridge: 'k8ts0' }), /invalid pod CIDR/);
});
