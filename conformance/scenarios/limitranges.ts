// LimitRange objects through the API: two namespaces, list across all of them, patch, delete-collection.
// Applying defaults to pods is the LimitRanger admission plugin's job and is left for later.
import { CoreV1Api, PatchStrategy, setHeaderOptions, type V1LimitRange } from '@kubernetes/client-node';
import { assert } from '../framework/expect.ts';
import { poll } from '../framework/poll.ts';
import { scenario } from '../framework/scenario.ts';

const resources = (cpu: string, memory: string, ephemeralStorage: string) => ({ cpu, memory, 'ephemeral-storage': ephemeralStorage });

export const limitRangeScenarios = [
  scenario(
    {
      codename: '[sig-scheduling] LimitRange should list, patch and delete a LimitRange by collection [Conformance]',
      testname: 'LimitRange, list, patch and delete a LimitRange by collection',
      release: 'v1.26',
      file: 'test/e2e/scheduling/limit_range.go',
    },
    async (ctx) => {
      const core = ctx.api(CoreV1Api);
      const namespace = ctx.namespace;
      const name = ctx.uniqueName('e2e-limitrange');
      const e2eSelector = `e2e-test=${name}`;
      const patchedSelector = `${name}=patched`;
      const limitRange: V1LimitRange = {
        metadata: { name, labels: { 'e2e-test': name, [name]: 'created' } },
        spec: {
          limits: [
            {
              type: 'Container',
              min: resources('50m', '100Mi', '100Gi'),
              max: resources('500m', '500Mi', '500Gi'),
              _default: resources('500m', '500Mi', '500Gi'),
              defaultRequest: resources('100m', '200Mi', '200Gi'),
              maxLimitRequestRatio: {},
            },
          ],
        },
      };
      const created = await core.createNamespacedLimitRange({ namespace, body: limitRange });
      const other = await ctx.createNamespace(name);
      await core.createNamespacedLimitRange({ namespace: other, body: limitRange });

      const all = await core.listLimitRangeForAllNamespaces({ labelSelector: e2eSelector });
      assert.equal(all.items.length, 2, 'limitRanges listed across all namespaces');

      const newMin = resources('9m', '49Mi', '49Gi');
      const limits = created.spec!.limits.map((l, i) => (i === 0 ? { ...l, min: newMin } : l));
      const patched = await core.patchNamespacedLimitRange(
        { name, namespace, body: { metadata: { creationTimestamp: created.metadata?.creationTimestamp, labels: { [name]: 'patched' } }, spec: { limits } } },
        setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
      );
      assert.equal(patched.metadata?.labels?.[name], 'patched', `${name} label didn't have value 'patched'`);
      assert.deepEqual(patched.spec?.limits[0]?.min, newMin, 'LimitRange does not have the correct min limitRange');

      await core.deleteCollectionNamespacedLimitRange({ namespace, labelSelector: patchedSelector });
      await poll(async () => (await core.listNamespacedLimitRange({ namespace, labelSelector: patchedSelector })).items.length === 0, { timeoutMs: 10_000, what: 'the patched limitRange deleted by collection' });

      const left = await core.listLimitRangeForAllNamespaces({ labelSelector: e2eSelector });
      assert.equal(left.items.length, 1, 'a single LimitRange still exists with the e2e label');
    },
  ),
];
