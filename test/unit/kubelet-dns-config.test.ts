// A pod's sandbox DNS per dnsPolicy (pkg/kubelet/network/dns): cluster DNS when known, the host's
// resolv.conf otherwise (with upstream's MissingClusterDNS warning), None, dnsConfig merged, limits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseResolvConf, podDNSConfig } from '../../src/kubelet/dns-config.ts';

type Obj = Record<string, any>;

const host = parseResolvConf('# generated\nnameserver 10.255.255.53\nnameserver 1.1.1.1 ; comment\nsearch corp.example lab.example\noptions edns0 timeout:2\n');
const pod = (spec: Obj = {}): Obj => ({ metadata: { name: 'p', namespace: 'ns', uid: 'u' }, spec });

test('parseResolvConf: nameservers, the last search line, options; comments dropped', () => {
  assert.deepEqual(host, { servers: ['10.255.255.53', '1.1.1.1'], searches: ['corp.example', 'lab.example'], options: ['edns0', 'timeout:2'] });
});

const cases: Array<[string, Obj, string[], Obj, string[]]> = [
  ['ClusterFirst with cluster DNS', {}, ['10.96.0.10'],
    { servers: ['10.96.0.10'], searches: ['ns.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'corp.example', 'lab.example'], options: ['ndots:5'] }, []],
  ['ClusterFirst without cluster DNS falls back to the host', {}, [], host, ['MissingClusterDNS']],
  ['Default', { dnsPolicy: 'Default' }, ['10.96.0.10'], host, []],
  ['ClusterFirst on the host network uses the host', { dnsPolicy: 'ClusterFirst', hostNetwork: true }, ['10.96.0.10'], host, []],
  ['None with dnsConfig', { dnsPolicy: 'None', dnsConfig: { nameservers: ['9.9.9.9'], searches: ['a.example'], options: [{ name: 'ndots', value: '2' }] } }, [],
    { servers: ['9.9.9.9'], searches: ['a.example'], options: ['ndots:2'] }, []],
  ['dnsConfig appended, options merged by name', { dnsPolicy: 'Default', dnsConfig: { nameservers: ['1.1.1.1', '8.8.8.8'], options: [{ name: 'timeout', value: '5' }, { name: 'rotate' }] } }, [],
    { servers: ['10.255.255.53', '1.1.1.1', '8.8.8.8'], searches: ['corp.example', 'lab.example'], options: ['edns0', 'timeout:5', 'rotate'] }, []],
  ['more than 3 nameservers are cut', { dnsPolicy: 'Default', dnsConfig: { nameservers: ['8.8.8.8', '9.9.9.9'] } }, [],
    { servers: ['10.255.255.53', '1.1.1.1', '8.8.8.8'], searches: ['corp.example', 'lab.example'], options: ['edns0', 'timeout:2'] }, ['DNSConfigForming']],
];

for (const [name, spec, clusterDNS, want, warnings] of cases) {
  test(`podDNSConfig: ${name}`, () => {
    const r = podDNSConfig(pod(spec), { host, clusterDNS, clusterDomain: 'cluster.local' });
    assert.deepEqual(r.config, want);
    assert.deepEqual(r.warnings.map(([reason]) => reason), warnings);
  });
}

test('MissingClusterDNS says what upstream says', () => {
  const r = podDNSConfig(pod(), { host, clusterDNS: [], clusterDomain: 'cluster.local' });
  assert.equal(r.warnings[0]![1], 'pod: "p_ns(u)". kubelet does not have ClusterDNS IP configured and cannot create Pod using "ClusterFirst" policy. Falling back to "Default" policy.');
});
