// coordination.k8s.io/v1 Lease: create, get, update, patch (MicroTime fields round-trip), list,
// delete-collection by label, delete.
import { CoordinationV1Api, PatchStrategy, setHeaderOptions, type V1LeaseSpec } from '@kubernetes/client-node';
import { apiError, assert, expectNewerResourceVersion, expectReason, expectValidResourceVersion } from '../framework/expect.ts';
import { scenario } from '../framework/scenario.ts';
import { canonicalJSON } from './helpers.ts';

/** time.Time{}.Add(seconds): the zero time (year 1) plus an offset, as the e2e test uses. */
function zeroPlus(seconds: number): Date {
  const d = new Date('0001-01-01T00:00:00Z');
  d.setUTCSeconds(seconds);
  return d;
}

function spec(holder: string, duration: number, acquire: number, renew: number, transitions: number): V1LeaseSpec {
  return { holderIdentity: holder, leaseDurationSeconds: duration, acquireTime: zeroPlus(acquire), renewTime: zeroPlus(renew), leaseTransitions: transitions };
}

export const leaseScenarios = [
  scenario(
    { codename: '[sig-node] Lease lease API should be available [Conformance]', testname: 'lease API should be available', release: 'v1.17', file: 'test/e2e/common/node/lease.go' },
    async (ctx) => {
      const api = ctx.api(CoordinationV1Api);
      const namespace = ctx.namespace;
      const name = 'lease';
      const specOf = (l: { spec?: V1LeaseSpec }) => canonicalJSON(l.spec);

      const original = spec('holder', 30, 2, 5, 0);
      const created = await api.createNamespacedLease({ namespace, body: { metadata: { name }, spec: original } });
      expectValidResourceVersion(created, 'created Lease');
      let read = await api.readNamespacedLease({ name, namespace });
      assert.equal(specOf(read), canonicalJSON(original), "Leases don't match after create");

      const updatedSpec = spec('holder2', 30, 20, 50, 1);
      await api.replaceNamespacedLease({ name, namespace, body: { ...created, spec: updatedSpec } });
      read = await api.readNamespacedLease({ name, namespace });
      assert.equal(specOf(read), canonicalJSON(updatedSpec), "Leases don't match after update");

      const patchedSpec = spec('holder3', 60, 50, 70, 2);
      await api.patchNamespacedLease({ name, namespace, body: { spec: patchedSpec } }, setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch));
      read = await api.readNamespacedLease({ name, namespace });
      assert.equal(specOf(read), canonicalJSON(patchedSpec), "Leases don't match after patch");
      expectNewerResourceVersion(created.metadata?.resourceVersion, read.metadata?.resourceVersion, 'patched Lease');

      await api.createNamespacedLease({ namespace, body: { metadata: { name: 'lease2', labels: { deletecollection: 'true' } }, spec: original } });
      assert.equal((await api.listNamespacedLease({ namespace })).items.length, 2, 'both leases listed');

      await api.deleteCollectionNamespacedLease({ namespace, labelSelector: 'deletecollection=true' });
      const left = await api.listNamespacedLease({ namespace });
      assert.deepEqual(left.items.map((l) => l.metadata?.name), [name], 'delete-collection removed only the labelled lease');

      await api.deleteNamespacedLease({ name, namespace });
      expectReason(await apiError(() => api.readNamespacedLease({ name, namespace }), 'getting the deleted Lease'), 'NotFound', 'getting the deleted Lease');

      await api.listLeaseForAllNamespaces();
    },
  ),
];
