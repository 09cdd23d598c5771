// networking.k8s.io and discovery.k8s.io API operations: Ingress (with /status), IngressClass,
// EndpointSlice. Ingress controllers and the EndpointSlice controller are not needed for these.
import { CoreV1Api, DiscoveryV1Api, NetworkingV1Api, PatchStrategy, setHeaderOptions, type V1EndpointSlice, type V1Ingress, type V1IngressClass } from '@kubernetes/client-node';
import { apiError, assert, expectReason } from '../framework/expect.ts';
import { scenario } from '../framework/scenario.ts';
import { expectDiscovered, expectPatchedAnnotationEvent } from './api-operations.ts';
import { retryOnConflict } from './helpers.ts';

const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

export const networkingScenarios = [
  scenario(
    { codename: '[sig-network] Ingress API should support creating Ingress API operations [Conformance]', testname: 'Ingress API', release: 'v1.19', file: 'test/e2e/network/ingress.go' },
    async (ctx) => {
      const api = ctx.api(NetworkingV1Api);
      const namespace = ctx.namespace;
      const special = ctx.uniqueName('special');
      const selector = `special-label=${special}`;
      const template: V1Ingress = {
        metadata: { generateName: 'e2e-example-ing', labels: { 'special-label': special } },
        spec: {
          defaultBackend: { service: { name: 'default-backend', port: { number: 8080 } } },
          rules: [{ host: 'foo.bar.com', http: { paths: [{ path: '/', pathType: 'ImplementationSpecific', backend: { service: { name: 'test-backend', port: { number: 8080 } } } }] } }],
        },
      };

      await expectDiscovered(ctx, 'networking.k8s.io', 'v1', ['ingresses', 'ingresses/status']);

      const created = await api.createNamespacedIngress({ namespace, body: template });
      await api.createNamespacedIngress({ namespace, body: template });
      await api.createNamespacedIngress({ namespace, body: template });
      const name = created.metadata!.name!;

      const got = await api.readNamespacedIngress({ name, namespace });
      assert.equal(got.metadata?.uid, created.metadata?.uid, 'UID of the fetched Ingress');

      const list = await api.listNamespacedIngress({ namespace, labelSelector: selector });
      assert.equal(list.items.length, 3, 'filtered list should have 3 items');
      const w = await ctx.watch(`/apis/networking.k8s.io/v1/namespaces/${namespace}/ingresses`, { labelSelector: selector, resourceVersion: list.metadata?.resourceVersion });

      const clusterList = await api.listIngressForAllNamespaces({ labelSelector: selector });
      assert.equal(clusterList.items.length, 3, 'cluster-wide filtered list should have 3 items');
      await ctx.watch('/apis/networking.k8s.io/v1/ingresses', { labelSelector: selector, resourceVersion: list.metadata?.resourceVersion });

      const patched = await api.patchNamespacedIngress({ name, namespace, body: { metadata: { annotations: { patched: 'true' } } } }, merge);
      assert.equal(patched.metadata?.annotations?.patched, 'true', 'patched object should have the applied annotation');

      const updated = await retryOnConflict(async () => {
        const ing = await api.readNamespacedIngress({ name, namespace });
        ing.metadata!.annotations = { ...ing.metadata!.annotations, updated: 'true' };
        return api.replaceNamespacedIngress({ name, namespace, body: ing });
      });
      assert.equal(updated.metadata?.annotations?.updated, 'true', 'updated object should have the applied annotation');
      await expectPatchedAnnotationEvent(w);

      const lb = { ingress: [{ ip: '169.1.1.1' }] };
      const patchedStatus = await api.patchNamespacedIngressStatus({ name, namespace, body: { metadata: { annotations: { patchedstatus: 'true' } }, status: { loadBalancer: lb } } }, merge);
      assert.deepEqual(patchedStatus.status?.loadBalancer?.ingress?.map((i) => i.ip), ['169.1.1.1'], 'patched object should have the applied loadBalancer status');
      assert.equal(patchedStatus.metadata?.annotations?.patchedstatus, 'true', 'patched object should have the applied annotation');

      const updatedStatus = await retryOnConflict(async () => {
        const ing = await api.readNamespacedIngress({ name, namespace });
        ing.status = { loadBalancer: { ingress: [{ ip: '169.1.1.2' }] } };
        return api.replaceNamespacedIngressStatus({ name, namespace, body: ing });
      });
      assert.deepEqual(updatedStatus.status?.loadBalancer?.ingress?.map((i) => i.ip), ['169.1.1.2'], 'updated object should have the applied loadBalancer status');

      const statusDoc = await ctx.raw('GET', `/apis/networking.k8s.io/v1/namespaces/${namespace}/ingresses/${name}/status`);
      assert.equal(statusDoc.status, 200, 'GET ingresses/status');
      assert.equal(statusDoc.json?.metadata?.uid, created.metadata?.uid, 'UID of the /status object');

      await api.deleteNamespacedIngress({ name, namespace });
      expectReason(await apiError(() => api.readNamespacedIngress({ name, namespace }), 'getting the deleted Ingress'), 'NotFound', 'getting the deleted Ingress');

      await api.deleteCollectionNamespacedIngress({ namespace, labelSelector: selector });
      assert.equal((await api.listNamespacedIngress({ namespace, labelSelector: selector })).items.length, 0, 'filtered list should have 0 items');
    },
  ),

  scenario(
    { codename: '[sig-network] IngressClass API  should support creating IngressClass API operations [Conformance]', testname: 'IngressClass API', release: 'v1.19', file: 'test/e2e/network/ingressclass.go' },
    async (ctx) => {
      const api = ctx.api(NetworkingV1Api);
      const unique = ctx.uniqueName('ingressclass');
      const selector = `ingressclass=${unique}`;
      const ingressClass = (n: number): V1IngressClass => ({
        metadata: { name: `${unique}-${n}`, labels: { ingressclass: unique, 'special-label': 'generic' } },
        spec: { controller: 'example.com/controller' },
      });
      await expectDiscovered(ctx, 'networking.k8s.io', 'v1', ['ingressclasses']);

      const created = [];
      for (const n of [1, 2, 3]) {
        const ic = await api.createIngressClass({ body: ingressClass(n) });
        created.push(ic);
        ctx.defer(async () => {
          try {
            await api.deleteIngressClass({ name: ic.metadata!.name! });
          } catch {
            // already deleted by the scenario
          }
        });
      }
      const name = created[0]!.metadata!.name!;
      const got = await api.readIngressClass({ name });
      assert.equal(got.metadata?.uid, created[0]!.metadata?.uid, 'UID of the fetched IngressClass');

      const list = await api.listIngressClass({ labelSelector: selector });
      assert.equal(list.items.length, 3, 'filtered list should have 3 items');
      const w = await ctx.watch('/apis/networking.k8s.io/v1/ingressclasses', { labelSelector: selector, resourceVersion: list.metadata?.resourceVersion });

      const patched = await api.patchIngressClass({ name, body: { metadata: { annotations: { patched: 'true' } } } }, merge);
      assert.equal(patched.metadata?.annotations?.patched, 'true', 'patched object should have the applied annotation');
      const updated = await retryOnConflict(async () => {
        const ic = await api.readIngressClass({ name });
        ic.metadata!.annotations = { ...ic.metadata!.annotations, updated: 'true' };
        return api.replaceIngressClass({ name, body: ic });
      });
      assert.equal(updated.metadata?.annotations?.updated, 'true', 'updated object should have the applied annotation');
      await expectPatchedAnnotationEvent(w);

      await api.deleteIngressClass({ name });
      expectReason(await apiError(() => api.readIngressClass({ name }), 'getting the deleted IngressClass'), 'NotFound', 'getting the deleted IngressClass');

      await api.deleteCollectionIngressClass({ labelSelector: selector });
      assert.equal((await api.listIngressClass({ labelSelector: selector })).items.length, 0, 'filtered list should have 0 items');
    },
  ),

  scenario(
    { codename: '[sig-network] EndpointSlice should have Endpoints and EndpointSlices pointing to API Server [Conformance]', testname: 'EndpointSlice API', release: 'v1.21', file: 'test/e2e/network/endpointslice.go' },
    async (ctx) => {
      // The API server itself (not a controller) keeps these up to date for the "kubernetes" Service.
      const namespace = 'default';
      const name = 'kubernetes';
      await ctx.api(CoreV1Api).readNamespacedService({ name, namespace });
      const endpoints = await ctx.api(CoreV1Api).readNamespacedEndpoints({ name, namespace });
      assert.ok((endpoints.subsets ?? []).length > 0, `Expected at least 1 subset in endpoints, got ${JSON.stringify(endpoints.subsets)}`);
      const slices = await ctx.api(DiscoveryV1Api).listNamespacedEndpointSlice({ namespace, labelSelector: `kubernetes.io/service-name=${name}` });
      assert.ok(slices.items.length > 0, 'Expected at least 1 EndpointSlice for the kubernetes Service');
      // endpointSlicesEqual: the same addresses and the same ports.
      const epAddresses = (endpoints.subsets ?? []).flatMap((s) => (s.addresses ?? []).map((a) => a.ip)).sort();
      const sliceAddresses = slices.items.flatMap((sl) => sl.endpoints.flatMap((e) => e.addresses)).sort();
      assert.deepEqual(sliceAddresses, epAddresses, 'EndpointSlice addresses equal the Endpoints addresses');
      const epPorts = new Set((endpoints.subsets ?? []).flatMap((s) => (s.ports ?? []).map((p) => `${p.name ?? ''}/${p.protocol ?? 'TCP'}/${p.port}`)));
      const slicePorts = new Set(slices.items.flatMap((sl) => (sl.ports ?? []).map((p) => `${p.name ?? ''}/${p.protocol ?? 'TCP'}/${p.port}`)));
      assert.deepEqual([...slicePorts].sort(), [...epPorts].sort(), 'EndpointSlice ports equal the Endpoints ports');
    },
    { name: 'EndpointSlice API, kubernetes Service endpoints' },
  ),

  scenario(
    { codename: '[sig-network] EndpointSlice should support creating EndpointSlice API operations [Conformance]', testname: 'EndpointSlice API', release: 'v1.21', file: 'test/e2e/network/endpointslice.go' },
    async (ctx) => {
      const api = ctx.api(DiscoveryV1Api);
      const namespace = ctx.namespace;
      const special = ctx.uniqueName('special');
      const selector = `special-label=${special}`;
      const template: V1EndpointSlice = {
        metadata: { generateName: 'e2e-example-ing', labels: { 'special-label': special } },
        addressType: 'IPv4',
        endpoints: [{ addresses: ['1.2.3.4', '5.6.7.8'] }, { addresses: ['2.2.3.4', '6.6.7.8'] }],
      };
      await expectDiscovered(ctx, 'discovery.k8s.io', 'v1', ['endpointslices']);

      const created = await api.createNamespacedEndpointSlice({ namespace, body: template });
      await api.createNamespacedEndpointSlice({ namespace, body: template });
      await api.createNamespacedEndpointSlice({ namespace, body: template });
      const name = created.metadata!.name!;

      const got = await api.readNamespacedEndpointSlice({ name, namespace });
      assert.equal(got.metadata?.uid, created.metadata?.uid, 'UID of the fetched EndpointSlice');

      const list = await api.listNamespacedEndpointSlice({ namespace, labelSelector: selector });
      assert.equal(list.items.length, 3, 'filtered list should have 3 items');
      const w = await ctx.watch(`/apis/discovery.k8s.io/v1/namespaces/${namespace}/endpointslices`, { labelSelector: selector, resourceVersion: list.metadata?.resourceVersion });

      const clusterList = await api.listEndpointSliceForAllNamespaces({ labelSelector: selector });
      assert.equal(clusterList.items.length, 3, 'cluster-wide filtered list should have 3 items');
      await ctx.watch('/apis/discovery.k8s.io/v1/endpointslices', { labelSelector: selector, resourceVersion: list.metadata?.resourceVersion });

      const patched = await api.patchNamespacedEndpointSlice({ name, namespace, body: { metadata: { annotations: { patched: 'true' } } } }, merge);
      assert.equal(patched.metadata?.annotations?.patched, 'true', 'patched object should have the applied annotation');
      const updated = await retryOnConflict(async () => {
        const eps = await api.readNamespacedEndpointSlice({ name, namespace });
        eps.metadata!.annotations = { ...eps.metadata!.annotations, updated: 'true' };
        return api.replaceNamespacedEndpointSlice({ name, namespace, body: eps });
      });
      assert.equal(updated.metadata?.annotations?.updated, 'true', 'updated object should have the applied annotation');
      await expectPatchedAnnotationEvent(w);

      await api.deleteNamespacedEndpointSlice({ name, namespace });
      expectReason(await apiError(() => api.readNamespacedEndpointSlice({ name, namespace }), 'getting the deleted EndpointSlice'), 'NotFound', 'getting the deleted EndpointSlice');

      await api.deleteCollectionNamespacedEndpointSlice({ namespace, labelSelector: selector });
      assert.equal((await api.listNamespacedEndpointSlice({ namespace, labelSelector: selector })).items.length, 0, 'filtered list should have 0 items');
    },
  ),
];
