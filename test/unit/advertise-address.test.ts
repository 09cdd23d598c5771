import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { NetworkInterfaceInfo } from 'node:os';
import { chooseHostInterface, defaultRouteInterfaces, isGlobalUnicastIPv4, resolveAdvertiseAddress } from '../../src/apiserver/advertise-address.ts';

function v4(address: string, internal = false): NetworkInterfaceInfo {
  return { address, family: 'IPv4', internal, netmask: '255.255.255.0', mac: '02:00:00:00:00:01', cidr: `${address}/24` };
}
function v6(address: string): NetworkInterfaceInfo {
  return { address, family: 'IPv6', internal: false, netmask: 'ffff:ffff:ffff:ffff::', mac: '02:00:00:00:00:01', cidr: `${address}/64`, scopeid: 0 };
}

const ROUTES = `Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
eth1\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0
`;

describe('advertise address', () => {
  test('global unicast IPv4: not unspecified, loopback, link-local, multicast or broadcast', () => {
    for (const ip of ['10.0.0.1', '192.0.2.2', '172.16.5.4', '8.8.8.8']) assert.equal(isGlobalUnicastIPv4(ip), true, ip);
    for (const ip of ['0.0.0.0', '127.0.0.1', '127.1.2.3', '169.254.1.1', '224.0.0.1', '255.255.255.255', 'fe80::1', 'x']) {
      assert.equal(isGlobalUnicastIPv4(ip), false, ip);
    }
  });

  test('the default route interfaces are read from the routing table', () => {
    assert.deepEqual(defaultRouteInterfaces(ROUTES), ['eth0']);
    assert.deepEqual(defaultRouteInterfaces('Iface\tDestination\n'), []);
  });

  test('ChooseHostInterface: the default route interface first, then any interface with a global IPv4', () => {
    const nics = { lo: [v4('127.0.0.1', true)], eth1: [v4('10.1.0.2')], eth0: [v6('fd00::2'), v4('169.254.0.9'), v4('192.0.2.2')] };
    assert.equal(chooseHostInterface(nics, ['eth0']), '192.0.2.2');
    assert.equal(chooseHostInterface(nics, []), '192.0.2.2', 'interfaces in name order without a default route');
    assert.equal(chooseHostInterface({ lo: nics.lo, eth1: nics.eth1 }, ['eth0']), '10.1.0.2');
    assert.equal(chooseHostInterface({ lo: nics.lo }, []), undefined, 'only loopback');
  });

  test('--advertise-address wins; else the bind address unless it is loopback or unspecified', () => {
    const host = () => '192.0.2.2';
    assert.equal(resolveAdvertiseAddress('10.0.0.5', '127.0.0.1', host), '10.0.0.5');
    assert.equal(resolveAdvertiseAddress(undefined, '10.0.0.7', host), '10.0.0.7');
    for (const bind of ['127.0.0.1', '0.0.0.0', '::', '::1']) assert.equal(resolveAdvertiseAddress(undefined, bind, host), '192.0.2.2', bind);
    assert.equal(resolveAdvertiseAddress('0.0.0.0', '127.0.0.1', host), '192.0.2.2', 'an unspecified advertise address is defaulted too');
    assert.equal(resolveAdvertiseAddress(undefined, '127.0.0.1', () => undefined), undefined);
  });
});
