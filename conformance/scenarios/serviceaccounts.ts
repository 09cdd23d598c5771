// ServiceAccount objects through the API: lifecycle observed by a watch, and update. Token mounting and
// the root CA ConfigMap need the token and root-CA controllers and are left for later.
import { CoreV1Api, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { assert } from '../framework/expect.ts';
import { scenario } from '../framework/scenario.ts';
import { retryOnConflict } from './helpers.ts';

const FILE = 'test/e2e/auth/service_accounts.go';

export const serviceAccountScenarios = [
  scenario(
    { codename: '[sig-auth] ServiceAccounts should run through the lifecycle of a ServiceAccount [Conformance]', testname: 'ServiceAccount lifecycle test', release: 'v1.19', file: FILE },
    async (ctx) => {
      const core = ctx.api(CoreV1Api);
      const namespace = ctx.namespace;
      const name = 'testserviceaccount';
      const labelSelector = 'test-serviceaccount-static=true';
      const created = await core.createNamespacedServiceAccount({ namespace, body: { metadata: { name, labels: { 'test-serviceaccount-static': 'true' } } } });
      const got = await core.readNamespacedServiceAccount({ name, namespace });
      assert.equal(got.metadata?.uid, created.metadata?.uid, 'UID of the fetched ServiceAccount');

      // Watch without a resourceVersion: the existing object arrives as ADDED.
      const w = await ctx.watch(`/api/v1/namespaces/${namespace}/serviceaccounts`, { labelSelector, timeoutSeconds: 180 });
      await w.until((e) => e.type === 'ADDED', 'the ADDED event');

      await core.patchNamespacedServiceAccount({ name, namespace, body: { automountServiceAccountToken: false } }, setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch));
      await w.until((e) => e.type === 'MODIFIED', 'the MODIFIED event');

      const list = await core.listServiceAccountForAllNamespaces({ labelSelector });
      assert.ok(
        list.items.some((sa) => sa.metadata?.name === name && sa.metadata?.namespace === namespace && sa.automountServiceAccountToken === false),
        'failed to find the created ServiceAccount with its patched value',
      );

      await core.deleteCollectionNamespacedServiceAccount({ namespace });
      await w.until((e) => e.type === 'DELETED', 'the DELETED event');
    },
  ),

  scenario(
    { codename: '[sig-auth] ServiceAccounts should update a ServiceAccount [Conformance]', testname: 'ServiceAccount, update a ServiceAccount', release: 'v1.26', file: FILE },
    async (ctx) => {
      const core = ctx.api(CoreV1Api);
      const namespace = ctx.namespace;
      const name = ctx.uniqueName('e2e-sa');
      const created = await core.createNamespacedServiceAccount({ namespace, body: { metadata: { name }, automountServiceAccountToken: false } });
      assert.equal(created.automountServiceAccountToken, false, 'Failed to set AutomountServiceAccountToken');
      const updated = await retryOnConflict(async () => {
        const sa = await core.readNamespacedServiceAccount({ name, namespace });
        sa.automountServiceAccountToken = true;
        return core.replaceNamespacedServiceAccount({ name, namespace, body: sa });
      });
      assert.equal(updated.automountServiceAccountToken, true, 'Failed to set AutomountServiceAccountToken');
    },
  ),
];
