// The `kubernetes` Service's Endpoints and EndpointSlice, which kube-apiserver keeps pointing at itself:
// the advertised address (the host's default interface when bound to loopback) and the secure port.
// They are written at start-up and reset when the address or port changed, or someone edited them.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseHostInterface } from '../../src/apiserver/advertise-address.ts';
import { kubectlOk, startTestServer, type TestServer } from '../helpers/index.ts';

const T = { timeout: 90_000 };
const EP = '/api/v1/namespaces/default/endpoints/kubernetes';
const SLICES = '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices';

describe('kubernetes Endpoints and EndpointSlice', () => {
  describe('on a server bound to loopback, without --advertise-address', () => {
    let server: TestServer;
    before(async () => { server = await startTestServer(); });
    after(async () => { await server?.close(); });

    test('point at the host\'s default interface and the secure port, named https', T, async (t) => {
      const host = chooseHostInterface();
      if (!host) { t.skip('this machine has no non-loopback IPv4 address'); return; }
      const ep = (await server.request('GET', EP)).json;
      assert.deepEqual(ep.metadata.labels, { 'endpointslice.kubernetes.io/skip-mirror': 'true' });
      assert.deepEqual(ep.subsets, [{ addresses: [{ ip: host }], ports: [{ name: 'https', port: server.port, protocol: 'TCP' }] }]);

      const slices = (await server.request('GET', `${SLICES}?labelSelector=kubernetes.io/service-name=kubernetes`)).json;
      assert.deepEqual(slices.items.map((s: { metadata: { name: string } }) => s.metadata.name), ['kubernetes']);
      const slice = slices.items[0];
      assert.equal(slice.addressType, 'IPv4');
      assert.deepEqual(slice.endpoints, [{ addresses: [host], conditions: { ready: true } }]);
      assert.deepEqual(slice.ports, [{ name: 'https', port: server.port, protocol: 'TCP' }]);

      const svc = (await server.request('GET', '/api/v1/namespaces/default/services/kubernetes')).json;
      assert.deepEqual(svc.spec.ports, [{ name: 'https', port: 443, protocol: 'TCP', targetPort: server.port }]);
    });

    test('kubectl get endpoints kubernetes prints address:port', T, async (t) => {
      const host = chooseHostInterface();
      if (!host) { t.skip('this machine has no non-loopback IPv4 address'); return; }
      const out = await kubectlOk(['get', 'endpoints', 'kubernetes', '-n', 'default', '--no-headers'], { kubeconfig: server.kubeconfigPath });
      assert.match(out, new RegExp(`^kubernetes\\s+${host.replace(/\./g, '\\.')}:${server.port}\\s`));
    });
  });

  describe('with --advertise-address, across restarts', () => {
    let server: TestServer;
    before(async () => { server = await startTestServer({ overrides: { advertiseAddress: '10.20.30.40' } }); });
    after(async () => { await server?.close(); });

    test('a new address or an edit is reset at the next start; an unchanged one is not rewritten', T, async () => {
      const first = (await server.request('GET', EP)).json;
      assert.equal(first.subsets[0].addresses[0].ip, '10.20.30.40');
      const firstSlice = (await server.request('GET', `${SLICES}/kubernetes`)).json;
      assert.deepEqual(firstSlice.endpoints[0].addresses, ['10.20.30.40']);

      const port = server.port;
      await server.restart();
      const same = (await server.request('GET', EP)).json;
      // (restart() takes another port only when this one was taken meanwhile; then the port moved.)
      if (server.port === port) assert.equal(same.metadata.resourceVersion, first.metadata.resourceVersion, 'nothing to reset');

      server.options.advertiseAddress = '10.20.30.41';
      await server.restart();
      const moved = (await server.request('GET', EP)).json;
      assert.deepEqual(moved.subsets, [{ addresses: [{ ip: '10.20.30.41' }], ports: [{ name: 'https', port: server.port, protocol: 'TCP' }] }]);
      assert.equal(moved.metadata.uid, first.metadata.uid, 'updated in place');
      const movedSlice = (await server.request('GET', `${SLICES}/kubernetes`)).json;
      assert.deepEqual(movedSlice.endpoints, [{ addresses: ['10.20.30.41'], conditions: { ready: true } }]);

      const edited = await server.request('PUT', EP, { body: { ...moved, subsets: [{ addresses: [{ ip: '10.9.9.9' }], ports: [{ name: 'https', port: 1, protocol: 'TCP' }] }] } });
      assert.equal(edited.status, 200, edited.body);
      await server.restart();
      const reset = (await server.request('GET', EP)).json;
      assert.deepEqual(reset.subsets[0].addresses, [{ ip: '10.20.30.41' }]);
      assert.deepEqual(reset.subsets[0].ports, [{ name: 'https', port: server.port, protocol: 'TCP' }]);
    });
  });
});
