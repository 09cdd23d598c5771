// ResourceQuota objects through the API: update and delete, lifecycle with patch and delete-collection,
// and the /status subresource (which must not change the spec). Counting usage needs the quota
// controller and is left to the scenarios that can run it.
import { CoreV1Api, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { apiError, assert, expectReason } from '../framework/expect.ts';
import { scenario } from '../framework/scenario.ts';
import { retryOnConflict, selectorOf } from './helpers.ts';

const FILE = 'test/e2e/apimachinery/resource_quota.go';
const strategic = setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch);

const hardOf = (rq: { spec?: { hard?: Record<string, string> } }) => ({ cpu: rq.spec?.hard?.cpu, memory: rq.spec?.hard?.memory });

export const resourceQuotaScenarios = [
  scenario(
    { codename: '[sig-api-machinery] ResourceQuota should be able to update and delete ResourceQuota. [Conformance]', testname: 'ResourceQuota, update and delete', release: 'v1.16', file: FILE },
    async (ctx) => {
      const core = ctx.api(CoreV1Api);
      const namespace = ctx.namespace;
      const name = 'test-quota';
      const created = await core.createNamespacedResourceQuota({ namespace, body: { metadata: { name }, spec: { hard: { cpu: '1', memory: '500Mi' } } } });

      let got = await core.readNamespacedResourceQuota({ name, namespace });
      assert.deepEqual(hardOf(got), { cpu: '1', memory: '500Mi' }, 'hard limits of the created quota');

      created.spec!.hard = { cpu: '2', memory: '1Gi' };
      const updated = await core.replaceNamespacedResourceQuota({ name, namespace, body: created });
      assert.deepEqual(hardOf(updated), { cpu: '2', memory: '1Gi' }, 'hard limits returned by the update');

      got = await core.readNamespacedResourceQuota({ name, namespace });
      assert.deepEqual(hardOf(got), { cpu: '2', memory: '1Gi' }, 'hard limits read after the update');

      await core.deleteNamespacedResourceQuota({ name, namespace });
      expectReason(await apiError(() => core.readNamespacedResourceQuota({ name, namespace }), 'reading the deleted quota'), 'NotFound', 'reading the deleted quota');
    },
  ),

  scenario(
    { codename: '[sig-api-machinery] ResourceQuota should manage the lifecycle of a ResourceQuota [Conformance]', testname: 'ResourceQuota, manage lifecycle of a ResourceQuota', release: 'v1.25', file: FILE },
    async (ctx) => {
      const core = ctx.api(CoreV1Api);
      const namespace = ctx.namespace;
      const name = ctx.uniqueName('e2e-quota');
      const labels = { 'e2e-rq-label': name };
      await core.createNamespacedResourceQuota({ namespace, body: { metadata: { name, labels }, spec: { hard: { cpu: '1', memory: '500Mi' } } } });

      const got = await core.readNamespacedResourceQuota({ name, namespace });
      assert.deepEqual(hardOf(got), { cpu: '1', memory: '500Mi' }, 'hard limits of the created quota');

      const list = await core.listResourceQuotaForAllNamespaces({ labelSelector: selectorOf(labels) });
      assert.equal(list.items.length, 1, 'quotas listed across all namespaces by label');

      const patched = await core.patchNamespacedResourceQuota({ name, namespace, body: { metadata: { labels: { rq: 'patched' } }, spec: { hard: { memory: '750Mi' } } } }, strategic);
      assert.equal(patched.metadata?.labels?.rq, 'patched', 'label added by the patch');
      assert.equal(patched.spec?.hard?.memory, '750Mi', 'memory limit set by the patch');

      await core.deleteCollectionNamespacedResourceQuota({ namespace, labelSelector: selectorOf(labels) });
      expectReason(await apiError(() => core.readNamespacedResourceQuota({ name, namespace }), 'reading the quota deleted by collection'), 'NotFound', 'reading the quota deleted by collection');
    },
  ),

  scenario(
    { codename: '[sig-api-machinery] ResourceQuota should apply changes to a resourcequota status [Conformance]', testname: 'ResourceQuota, apply changes to a ResourceQuota status', release: 'v1.26', file: FILE },
    async (ctx) => {
      const core = ctx.api(CoreV1Api);
      const namespace = ctx.namespace;
      const name = ctx.uniqueName('e2e-rq-status');
      const labelSelector = selectorOf({ 'e2e-rq-label': name });
      const statusHard = (rq: any) => JSON.stringify({ cpu: rq?.status?.hard?.cpu, memory: rq?.status?.hard?.memory });

      let rqList = await core.listResourceQuotaForAllNamespaces({ labelSelector });
      let w = await ctx.watch(`/api/v1/namespaces/${namespace}/resourcequotas`, { labelSelector, resourceVersion: rqList.metadata?.resourceVersion });
      await core.createNamespacedResourceQuota({ namespace, body: { metadata: { name, labels: { 'e2e-rq-label': name } }, spec: { hard: { cpu: '500m', memory: '500Mi' } } } });
      const initial = await core.readNamespacedResourceQuota({ name, namespace });
      assert.deepEqual(hardOf(initial), { cpu: '500m', memory: '500Mi' }, 'hard limits of the created quota');

      const updated = await retryOnConflict(async () => {
        const rq = await core.readNamespacedResourceQuota({ name, namespace });
        rq.status = { hard: { ...initial.spec!.hard } };
        return core.replaceNamespacedResourceQuotaStatus({ name, namespace, body: rq });
      });
      await w.until((e) => e.object?.metadata?.name === name && statusHard(e.object) === JSON.stringify(hardOf(updated)), 'the updated /status (hard = spec.hard)');
      w.stop();

      rqList = await core.listResourceQuotaForAllNamespaces({ labelSelector });
      const specPatched = await core.patchNamespacedResourceQuota({ name, namespace, body: { spec: { hard: { cpu: '1', memory: '1Gi' } } } }, strategic);
      assert.deepEqual(hardOf(specPatched), { cpu: '1', memory: '1Gi' }, 'hard limits set by the spec patch');

      w = await ctx.watch(`/api/v1/namespaces/${namespace}/resourcequotas`, { labelSelector, resourceVersion: rqList.metadata?.resourceVersion });
      const statusPatched = await core.patchNamespacedResourceQuotaStatus({ name, namespace, body: { status: { hard: { ...specPatched.spec!.hard } } } }, strategic);
      await w.until((e) => e.object?.metadata?.name === name && statusHard(e.object) === JSON.stringify(hardOf(statusPatched)), 'the patched /status (hard = new spec.hard)');
      w.stop();

      const status = await core.readNamespacedResourceQuotaStatus({ name, namespace });
      assert.deepEqual({ cpu: status.status?.hard?.cpu, memory: status.status?.hard?.memory }, { cpu: '1', memory: '1Gi' }, 'hard values read from /status');

      rqList = await core.listResourceQuotaForAllNamespaces({ labelSelector });
      w = await ctx.watch(`/api/v1/namespaces/${namespace}/resourcequotas`, { labelSelector, resourceVersion: rqList.metadata?.resourceVersion });
      const repatched = await core.patchNamespacedResourceQuotaStatus({ name, namespace, body: { status: { hard: { cpu: '2', memory: '2Gi' } } } }, strategic);
      assert.deepEqual({ cpu: repatched.status?.hard?.cpu, memory: repatched.status?.hard?.memory }, { cpu: '2', memory: '2Gi' }, 'hard values returned by the /status re-patch');
      await w.until((e) => e.object?.metadata?.name === name && statusHard(e.object) === JSON.stringify({ cpu: '2', memory: '2Gi' }), 'the re-patched /status');
      w.stop();

      // Patching /status never touches the spec.
      assert.deepEqual(hardOf(repatched), { cpu: '1', memory: '1Gi' }, 'spec.hard after patching /status');
      assert.deepEqual(hardOf(await core.readNamespacedResourceQuota({ name, namespace })), { cpu: '1', memory: '1Gi' }, 'spec.hard read after patching /status');
    },
  ),
];
