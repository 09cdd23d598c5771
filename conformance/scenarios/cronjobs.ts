// batch/v1 CronJob API operations, /status included. Scheduling Jobs needs the CronJob controller and is
// left for later.
import { BatchV1Api, PatchStrategy, setHeaderOptions, type V1CronJob } from '@kubernetes/client-node';
import { assert } from '../framework/expect.ts';
import { scenario } from '../framework/scenario.ts';
import { expectPatchedAnnotationEvent } from './api-operations.ts';
import { retryOnConflict } from './helpers.ts';
import { IMAGES } from './images.ts';

const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

/** newTestCronJob(name, "* *\/1 * * ?", AllowConcurrent, successCommand, 1, 0). */
function newTestCronJob(name: string, labels: Record<string, string>): V1CronJob {
  return {
    metadata: { name, labels },
    spec: {
      schedule: '* */1 * * ?',
      concurrencyPolicy: 'Allow',
      successfulJobsHistoryLimit: 1,
      failedJobsHistoryLimit: 0,
      jobTemplate: {
        spec: {
          parallelism: 1,
          completions: 1,
          backoffLimit: 1,
          template: {
            spec: {
              restartPolicy: 'OnFailure',
              volumes: [{ name: 'data', emptyDir: {} }],
              containers: [{ name: 'c', image: IMAGES.busybox, command: ['/bin/true'], volumeMounts: [{ mountPath: '/data', name: 'data' }] }],
            },
          },
        },
      },
    },
  };
}

/** metav1.Now().Rfc3339Copy(): whole seconds, as the wire format keeps them. */
const nowSeconds = () => new Date(Math.floor(Date.now() / 1000) * 1000);

export const cronJobScenarios = [
  scenario(
    { codename: '[sig-apps] CronJob should support CronJob API operations [Conformance]', testname: 'CronJob API Operations', release: 'v1.21', file: 'test/e2e/apps/cronjob.go' },
    async (ctx) => {
      const api = ctx.api(BatchV1Api);
      const namespace = ctx.namespace;
      const special = ctx.uniqueName('special');
      const selector = `special-label=${special}`;

      const created = await api.createNamespacedCronJob({ namespace, body: newTestCronJob('test-api', { 'special-label': special }) });
      const name = created.metadata!.name!;
      const got = await api.readNamespacedCronJob({ name, namespace });
      assert.equal(got.metadata?.uid, created.metadata?.uid, 'UID of the fetched CronJob');

      const list = await api.listNamespacedCronJob({ namespace, labelSelector: selector });
      assert.equal(list.items.length, 1, 'filtered list should have 1 item');
      const w = await ctx.watch(`/apis/batch/v1/namespaces/${namespace}/cronjobs`, { labelSelector: selector, resourceVersion: list.metadata?.resourceVersion });

      const clusterList = await api.listCronJobForAllNamespaces({ labelSelector: selector });
      assert.equal(clusterList.items.length, 1, 'cluster-wide filtered list should have 1 item');
      await ctx.watch('/apis/batch/v1/cronjobs', { labelSelector: selector, resourceVersion: list.metadata?.resourceVersion });

      const patched = await api.patchNamespacedCronJob({ name, namespace, body: { metadata: { annotations: { patched: 'true' } } } }, merge);
      assert.equal(patched.metadata?.annotations?.patched, 'true', 'patched object should have the applied annotation');
      const updated = await retryOnConflict(async () => {
        const cj = await api.readNamespacedCronJob({ name, namespace });
        cj.metadata!.annotations = { ...cj.metadata!.annotations, updated: 'true' };
        return api.replaceNamespacedCronJob({ name, namespace, body: cj });
      });
      assert.equal(updated.metadata?.annotations?.updated, 'true', 'updated object should have the applied annotation');
      await expectPatchedAnnotationEvent(w);

      const now1 = nowSeconds();
      const patchedStatus = await api.patchNamespacedCronJobStatus(
        { name, namespace, body: { metadata: { annotations: { patchedstatus: 'true' } }, status: { lastScheduleTime: now1.toISOString().replace('.000Z', 'Z') } } },
        merge,
      );
      assert.equal(patchedStatus.status?.lastScheduleTime?.getTime(), now1.getTime(), 'patched object should have the applied lastScheduleTime');
      assert.equal(patchedStatus.metadata?.annotations?.patchedstatus, 'true', 'patched object should have the applied annotation');

      const now2 = new Date(now1.getTime() + 1000);
      const updatedStatus = await retryOnConflict(async () => {
        const cj = await api.readNamespacedCronJob({ name, namespace });
        cj.status = { ...cj.status, lastScheduleTime: now2 };
        return api.replaceNamespacedCronJobStatus({ name, namespace, body: cj });
      });
      assert.equal(updatedStatus.status?.lastScheduleTime?.getTime(), now2.getTime(), 'updated object status expected to have updated lastScheduleTime');

      const statusDoc = await ctx.raw('GET', `/apis/batch/v1/namespaces/${namespace}/cronjobs/${name}/status`);
      assert.equal(statusDoc.status, 200, 'GET cronjobs/status');
      assert.equal(statusDoc.json?.metadata?.uid, created.metadata?.uid, 'UID of the /status object');

      // Delete: either gone (404) or held by a finalizer with a deletionTimestamp.
      const expectDeletedOrFinalizing = (cj: V1CronJob, step: string) => {
        assert.ok(cj.metadata?.deletionTimestamp, `expected deletionTimestamp on step ${step}`);
        assert.ok((cj.metadata?.finalizers ?? []).length > 0, `expected finalizers on step ${step}`);
      };
      const forRemoval = await api.createNamespacedCronJob({ namespace, body: newTestCronJob('for-removal', { 'special-label': special }) });
      await api.deleteNamespacedCronJob({ name: forRemoval.metadata!.name!, namespace });
      try {
        expectDeletedOrFinalizing(await api.readNamespacedCronJob({ name: forRemoval.metadata!.name!, namespace }), 'deleting cronjob');
      } catch (err) {
        if ((err as { code?: number }).code !== 404) throw err;
      }

      await api.deleteCollectionNamespacedCronJob({ namespace, labelSelector: selector });
      const left = await api.listNamespacedCronJob({ namespace, labelSelector: selector });
      assert.ok(left.items.length <= 2, `filtered list length should be <= 2, got ${left.items.length}`);
      for (const cj of left.items) expectDeletedOrFinalizing(cj, 'deleting cronjob collection');
    },
  ),
];
