// Service and Endpoints API behaviour: the "kubernetes" Service, delete-collection, the /status
// lifecycle (load balancer ingress and conditions) and the Endpoints lifecycle with watches. Traffic
// through Services needs pods and a proxy and is left for later.
import { CoreV1Api, PatchStrategy, setHeaderOptions, type V1Condition, type V1Endpoints, type V1Service } from '@kubernetes/client-node';
import { apiError, assert, expectNewerResourceVersion, expectValidResourceVersion } from '../framework/expect.ts';
import { scenario } from '../framework/scenario.ts';
import { retryOnConflict, selectorOf } from './helpers.ts';

const FILE = 'test/e2e/network/service.go';
const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const strategic = setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch);

export const serviceScenarios = [
  scenario(
    { codename: '[sig-network] Services should provide secure master service  [Conformance]', testname: 'Kubernetes Service', release: 'v1.9', file: FILE },
    async (ctx) => {
      const svc = await ctx.api(CoreV1Api).readNamespacedService({ name: 'kubernetes', namespace: 'default' });
      assert.equal(svc.metadata?.name, 'kubernetes', 'the kubernetes Service in default');
    },
  ),

  scenario(
    { codename: '[sig-network] Services should find a service from listing all namespaces [Conformance]', testname: 'Find Kubernetes Service in default Namespace', release: 'v1.18', file: FILE },
    async (ctx) => {
      const list = await ctx.api(CoreV1Api).listServiceForAllNamespaces();
      assert.ok(
        list.items.some((s) => s.metadata?.name === 'kubernetes' && s.metadata?.namespace === 'default'),
        'the list of all Services contains kubernetes in default',
      );
    },
  ),

  scenario(
    { codename: '[sig-network] Services should delete a collection of services [Conformance]', testname: 'Service, deletes a collection of services', release: 'v1.23', file: FILE },
    async (ctx) => {
      const core = ctx.api(CoreV1Api);
      const namespace = ctx.namespace;
      const label = { 'e2e-test-service': 'delete' };
      const services = [
        { name: ctx.uniqueName('e2e-svc-a'), labels: label as Record<string, string> | undefined, port: 8001 },
        { name: ctx.uniqueName('e2e-svc-b'), labels: label, port: 8002 },
        { name: ctx.uniqueName('e2e-svc-c'), labels: undefined, port: 8003 },
      ];
      for (const s of services) {
        await core.createNamespacedService({
          namespace,
          body: { metadata: { name: s.name, labels: s.labels }, spec: { type: 'ClusterIP', ports: [{ name: 'http', protocol: 'TCP', port: s.port, targetPort: 8080 as any }] } },
        });
      }
      assert.equal((await core.listNamespacedService({ namespace })).items.length, 3, 'services in the test namespace');
      await core.deleteCollectionNamespacedService({ namespace, labelSelector: selectorOf(label) });
      const left = await core.listNamespacedService({ namespace });
      assert.deepEqual(left.items.map((s) => s.metadata?.name), [services[2]!.name], 'only the unlabelled service is left');
    },
  ),

  scenario(
    { codename: '[sig-network] Services should complete a service status lifecycle [Conformance]', testname: 'Service, complete ServiceStatus lifecycle', release: 'v1.21', file: FILE },
    async (ctx) => {
      const core = ctx.api(CoreV1Api);
      const namespace = ctx.namespace;
      const name = ctx.uniqueName('test-service');
      const labels = { 'test-service-static': 'true' };
      const labelSelector = selectorOf(labels);
      const list = await core.listServiceForAllNamespaces({ labelSelector });
      const w = await ctx.watch(`/api/v1/namespaces/${namespace}/services`, { labelSelector, resourceVersion: list.metadata?.resourceVersion });
      const mine = (e: { object: any }) => e.object?.metadata?.name === name;

      // A LoadBalancer with a class no controller claims, so only this scenario writes its status.
      const body: V1Service = {
        metadata: { name, labels },
        spec: { type: 'LoadBalancer', loadBalancerClass: 'example.com/internal-vip', ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 8080 as any }] },
      };
      await core.createNamespacedService({ namespace, body });
      await w.until((e) => e.type === 'ADDED' && mine(e) && e.object.metadata?.labels?.['test-service-static'] === 'true', 'the Service to be added');

      const status = await core.readNamespacedServiceStatus({ name, namespace });
      assert.equal(status.metadata?.name, name, 'GET /status returns the Service');

      const lb = { ingress: [{ ip: '203.0.113.1' }] };
      const patched = await core.patchNamespacedServiceStatus({ name, namespace, body: { metadata: { annotations: { patchedstatus: 'true' } }, status: { loadBalancer: lb } } }, merge);
      assert.deepEqual(patched.status?.loadBalancer?.ingress?.map((i) => i.ip), ['203.0.113.1'], 'load balancer ingress after the /status patch');
      assert.equal(patched.metadata?.annotations?.patchedstatus, 'true', 'patched object should have the applied annotation');
      await w.until((e) => e.type === 'MODIFIED' && mine(e) && e.object.metadata?.annotations?.patchedstatus === 'true', 'the Service status to be patched');

      const updated = await retryOnConflict(async () => {
        const svc = await core.readNamespacedServiceStatus({ name, namespace });
        // As upstream: a metav1.Condition without lastTransitionTime (Service status validation does
        // not require it).
        const condition = { type: 'StatusUpdate', status: 'True', reason: 'E2E', message: 'Set from e2e test' } as V1Condition;
        svc.status = { ...svc.status, conditions: [...(svc.status?.conditions ?? []), condition] };
        return core.replaceNamespacedServiceStatus({ name, namespace, body: svc });
      });
      assert.ok(updated.status?.conditions?.some((c) => c.type === 'StatusUpdate' && c.reason === 'E2E' && c.message === 'Set from e2e test'), 'updated status carries the condition');
      await w.until(
        (e) => e.type === 'MODIFIED' && mine(e) && (e.object.status?.conditions ?? []).some((c: any) => c.type === 'StatusUpdate' && c.reason === 'E2E' && c.message === 'Set from e2e test'),
        'the Service status to be updated',
      );

      await core.patchNamespacedService({ name, namespace, body: { metadata: { labels: { 'test-service': 'patched' } } } }, strategic);
      await w.until((e) => e.type === 'MODIFIED' && mine(e) && e.object.metadata?.labels?.['test-service'] === 'patched', 'the Service to be patched');

      await core.deleteNamespacedService({ name, namespace });
      await w.until((e) => e.type === 'DELETED' && mine(e), 'the Service to be deleted');
    },
  ),

  scenario(
    { codename: '[sig-network] Services should test the lifecycle of an Endpoint [Conformance]', testname: 'Endpoint resource lifecycle', release: 'v1.19', file: FILE },
    async (ctx) => {
      const core = ctx.api(CoreV1Api);
      const namespace = ctx.namespace;
      const name = 'testservice';
      const labelSelector = 'test-endpoint-static=true';
      const body: V1Endpoints = {
        metadata: { name, labels: { 'test-endpoint-static': 'true' } },
        subsets: [{ addresses: [{ ip: '10.0.0.24' }], ports: [{ name: 'http', port: 80, protocol: 'TCP' }] }],
      };
      const mine = (e: { object: any }) => e.object?.metadata?.name === name && e.object?.metadata?.labels?.['test-endpoint-static'] === 'true';
      let list = await core.listEndpointsForAllNamespaces({ labelSelector });
      const created = await core.createNamespacedEndpoints({ namespace, body });
      expectValidResourceVersion(created, 'created Endpoints');
      let w = await ctx.watch(`/api/v1/namespaces/${namespace}/endpoints`, { labelSelector, resourceVersion: list.metadata?.resourceVersion });
      await w.until((e) => e.type === 'ADDED' && mine(e), 'the Endpoints to be added');

      list = await core.listEndpointsForAllNamespaces({ labelSelector });
      const found = list.items.find((ep) => ep.metadata?.name === name && ep.metadata?.namespace === namespace);
      assert.ok(found, 'unable to find Endpoint Service in list of Endpoints');

      found.metadata!.labels = { ...found.metadata!.labels, 'test-service': 'updated' };
      await core.replaceNamespacedEndpoints({ name, namespace, body: found });
      await w.until((e) => e.type === 'MODIFIED' && mine(e), 'the Endpoints to be updated');
      let ep = await core.readNamespacedEndpoints({ name, namespace });
      assert.equal(ep.metadata?.labels?.['test-service'], 'updated', 'label set by the update');

      const patch = { metadata: { labels: { 'test-service': 'patched' } }, subsets: [{ addresses: [{ ip: '10.0.0.25' }], ports: [{ name: 'http-test', port: 8080 }] }] };
      const patched = await core.patchNamespacedEndpoints({ name, namespace, body: patch }, strategic);
      expectNewerResourceVersion(created.metadata?.resourceVersion, patched.metadata?.resourceVersion, 'patched Endpoints');
      w.stop();
      w = await ctx.watch(`/api/v1/namespaces/${namespace}/endpoints`, { labelSelector, resourceVersion: ep.metadata?.resourceVersion });
      await w.until((e) => e.type === 'MODIFIED' && mine(e), 'the Endpoints to be patched');

      ep = await core.readNamespacedEndpoints({ name, namespace });
      assert.equal(ep.metadata?.labels?.['test-service'], 'patched', 'failed to patch Endpoint with Label');
      assert.equal(ep.subsets?.[0]?.addresses?.[0]?.ip, '10.0.0.25', 'address after the patch');
      assert.equal(ep.subsets?.[0]?.ports?.[0]?.name, 'http-test', 'port name after the patch');
      assert.equal(ep.subsets?.[0]?.ports?.[0]?.port, 8080, 'port after the patch');

      await core.deleteCollectionNamespacedEndpoints({ namespace, labelSelector });
      await w.until((e) => e.type === 'DELETED' && mine(e), 'the Endpoints to be deleted');
      await apiError(() => core.readNamespacedEndpoints({ name, namespace }), 'fetching the deleted Endpoints');
    },
  ),
];
