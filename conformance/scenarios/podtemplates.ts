// PodTemplate API behaviour: lifecycle through patch, delete-collection, and replace.
import { CoreV1Api, PatchStrategy, setHeaderOptions, type V1PodTemplate } from '@kubernetes/client-node';
import { assert, expectNewerResourceVersion, expectValidResourceVersion } from '../framework/expect.ts';
import { poll } from '../framework/poll.ts';
import { scenario } from '../framework/scenario.ts';
import { retryOnConflict } from './helpers.ts';
import { IMAGES } from './images.ts';

const FILE = 'test/e2e/common/node/podtemplates.go';

function template(name: string, labels: Record<string, string> | undefined, container: string, image: string): V1PodTemplate {
  return { metadata: { name, labels }, template: { spec: { containers: [{ name: container, image }] } } };
}

export const podTemplateScenarios = [
  scenario(
    { codename: '[sig-node] PodTemplates should run the lifecycle of PodTemplates [Conformance]', testname: 'PodTemplate lifecycle', release: 'v1.19', file: FILE },
    async (ctx) => {
      const core = ctx.api(CoreV1Api);
      const namespace = ctx.namespace;
      const name = ctx.uniqueName('nginx-pod-template');
      // A per-run label value keeps the all-namespaces lists about this scenario only.
      const staticValue = ctx.uniqueName('true');
      const selector = `podtemplate-static=${staticValue}`;

      assert.equal((await core.listPodTemplateForAllNamespaces({ labelSelector: selector })).items.length, 0, 'no PodTemplate carries the label yet');
      await core.createNamespacedPodTemplate({ namespace, body: template(name, { 'podtemplate-static': staticValue }, 'nginx', IMAGES.nginx) });

      let read = await core.readNamespacedPodTemplate({ name, namespace });
      assert.equal(read.metadata?.name, name, 'read PodTemplate name');
      expectValidResourceVersion(read, 'created PodTemplate');

      const patched = await core.patchNamespacedPodTemplate({ name, namespace, body: { metadata: { labels: { podtemplate: 'patched' } } } }, setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch));
      expectNewerResourceVersion(read.metadata?.resourceVersion, patched.metadata?.resourceVersion, 'patched PodTemplate');

      read = await core.readNamespacedPodTemplate({ name, namespace });
      assert.equal(read.metadata?.labels?.podtemplate, 'patched', 'failed to patch template, new label not found');

      await core.deleteNamespacedPodTemplate({ name, namespace });
      assert.equal((await core.listPodTemplateForAllNamespaces({ labelSelector: selector })).items.length, 0, 'PodTemplate list returned items, failed to delete PodTemplate');
    },
  ),

  scenario(
    { codename: '[sig-node] PodTemplates should delete a collection of pod templates [Conformance]', testname: 'PodTemplate, delete a collection', release: 'v1.19', file: FILE },
    async (ctx) => {
      const core = ctx.api(CoreV1Api);
      const namespace = ctx.namespace;
      for (const name of ['test-podtemplate-1', 'test-podtemplate-2', 'test-podtemplate-3']) {
        await core.createNamespacedPodTemplate({ namespace, body: template(name, { 'podtemplate-set': 'true' }, 'token-test', IMAGES.agnhost) });
      }
      const list = await core.listNamespacedPodTemplate({ namespace, labelSelector: 'podtemplate-set=true' });
      assert.equal(list.items.length, 3, 'looking for expected number of pod templates');
      await core.deleteCollectionNamespacedPodTemplate({ namespace, labelSelector: 'podtemplate-set=true' });
      await poll(async () => (await core.listNamespacedPodTemplate({ namespace, labelSelector: 'podtemplate-set=true' })).items.length === 0, { timeoutMs: 60_000, what: 'pod templates deleted by collection' });
    },
  ),

  scenario(
    { codename: '[sig-node] PodTemplates should replace a pod template [Conformance]', testname: 'PodTemplate, replace', release: 'v1.24', file: FILE },
    async (ctx) => {
      const core = ctx.api(CoreV1Api);
      const namespace = ctx.namespace;
      const name = ctx.uniqueName('podtemplate');
      await core.createNamespacedPodTemplate({ namespace, body: template(name, undefined, 'e2e-test', IMAGES.agnhost) });
      const updated = await retryOnConflict(async () => {
        const pt = await core.readNamespacedPodTemplate({ name, namespace });
        pt.metadata!.annotations = { updated: 'true' };
        return core.replaceNamespacedPodTemplate({ name, namespace, body: pt });
      });
      assert.equal(updated.metadata?.annotations?.updated, 'true', 'updated object should have the applied annotation');
    },
  ),
];
