// ConfigMap API behaviour: validation of keys, the lifecycle through patch, list and delete-collection,
// and immutability.
import { CoreV1Api, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { apiError, assert, expectReason } from '../framework/expect.ts';
import { scenario } from '../framework/scenario.ts';

const strategic = setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch);

export const configMapScenarios = [
  scenario(
    {
      codename: '[sig-node] ConfigMap should fail to create ConfigMap with empty key [Conformance]',
      testname: 'ConfigMap, with empty-key',
      release: 'v1.14',
      file: 'test/e2e/common/node/configmap.go',
    },
    async (ctx) => {
      const core = ctx.api(CoreV1Api);
      const status = await apiError(
        () => core.createNamespacedConfigMap({ namespace: ctx.namespace, body: { metadata: { name: ctx.uniqueName('configmap-test-emptykey') }, data: { '': 'value-1' } } }),
        'creating a ConfigMap with an empty key',
      );
      expectReason(status, 'Invalid', 'creating a ConfigMap with an empty key');
    },
  ),

  scenario(
    {
      codename: '[sig-node] ConfigMap should run through a ConfigMap lifecycle [Conformance]',
      testname: 'ConfigMap lifecycle',
      release: 'v1.19',
      file: 'test/e2e/common/node/configmap.go',
    },
    async (ctx) => {
      const core = ctx.api(CoreV1Api);
      const namespace = ctx.namespace;
      const name = ctx.uniqueName('test-configmap');
      // The label value is unique to this run, so listing across all namespaces finds only ours.
      const staticLabel = ctx.uniqueName('static');
      await core.createNamespacedConfigMap({ namespace, body: { metadata: { name, labels: { 'test-configmap-static': staticLabel } }, data: { valueName: 'value' } } });

      const fetched = await core.readNamespacedConfigMap({ name, namespace });
      assert.equal(fetched.data?.valueName, 'value', 'fetched ConfigMap data');
      assert.equal(fetched.metadata?.labels?.['test-configmap-static'], staticLabel, 'fetched ConfigMap label');

      await core.patchNamespacedConfigMap({ name, namespace, body: { metadata: { labels: { 'test-configmap': 'patched' } }, data: { valueName: 'value1' } } }, strategic);

      const list = await core.listConfigMapForAllNamespaces({ labelSelector: 'test-configmap=patched' });
      const found = list.items.find(
        (cm) =>
          cm.metadata?.name === name &&
          cm.metadata?.namespace === namespace &&
          cm.metadata?.labels?.['test-configmap-static'] === staticLabel &&
          cm.metadata?.labels?.['test-configmap'] === 'patched' &&
          cm.data?.valueName === 'value1',
      );
      assert.ok(found, 'the patched ConfigMap is found by label selector across all namespaces, with its static label and new value');

      await core.deleteCollectionNamespacedConfigMap({ namespace, labelSelector: `test-configmap-static=${staticLabel}` });
      const after = await core.listNamespacedConfigMap({ namespace, labelSelector: `test-configmap-static=${staticLabel}` });
      assert.equal(after.items.length, 0, 'ConfigMap is still present after being deleted by collection');
    },
  ),

  scenario(
    {
      codename: '[sig-storage] ConfigMap should be immutable if `immutable` field is set [Conformance]',
      testname: 'ConfigMap Volume, immutability',
      release: 'v1.21',
      file: 'test/e2e/common/storage/configmap_volume.go',
    },
    async (ctx) => {
      const core = ctx.api(CoreV1Api);
      const namespace = ctx.namespace;
      const name = 'immutable';
      let cm = await core.createNamespacedConfigMap({ namespace, body: { metadata: { name }, data: { 'data-1': 'value-1\n', 'data-2': 'value-2\n', 'data-3': 'value-3\n' } } });

      cm.data = { ...cm.data, 'data-4': 'value-4\n' };
      cm = await core.replaceNamespacedConfigMap({ name, namespace, body: cm });

      cm.immutable = true;
      cm = await core.replaceNamespacedConfigMap({ name, namespace, body: cm });

      cm.data = { ...cm.data, 'data-5': 'value-5\n' };
      expectReason(await apiError(() => core.replaceNamespacedConfigMap({ name, namespace, body: cm }), 'changing data of an immutable ConfigMap'), 'Invalid', 'changing data of an immutable ConfigMap');

      cm = await core.readNamespacedConfigMap({ name, namespace });
      assert.equal(cm.immutable, true, 'ConfigMap stays immutable');
      cm.immutable = false;
      expectReason(await apiError(() => core.replaceNamespacedConfigMap({ name, namespace, body: cm }), 'making an immutable ConfigMap mutable'), 'Invalid', 'making an immutable ConfigMap mutable');

      cm = await core.readNamespacedConfigMap({ name, namespace });
      cm.metadata!.labels = { label1: 'value1' };
      await core.replaceNamespacedConfigMap({ name, namespace, body: cm });

      await core.deleteNamespacedConfigMap({ name, namespace });
    },
  ),
];
