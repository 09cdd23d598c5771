// StatefulSets driven by the statefulset controller: the /scale subresource moves spec.replicas, and the
// /status subresource takes updates and merge patches that watchers see.
import { AppsV1Api, CoreV1Api, PatchStrategy, setHeaderOptions, type V1StatefulSet } from '@kubernetes/client-node';
import { assert } from '../framework/expect.ts';
import { poll } from '../framework/poll.ts';
import { scenario } from '../framework/scenario.ts';
import type { ScenarioContext } from '../framework/context.ts';
import { retryOnConflict, selectorOf } from './helpers.ts';
import { IMAGES } from './images.ts';
import { waitForRunningPods } from './workloads.ts';

const FILE = 'test/e2e/apps/statefulset.go';
const PREFIX = '[sig-apps] StatefulSet Basic StatefulSet functionality [StatefulSetBasic] ';
// The names the e2e "Basic StatefulSet functionality" block uses for every test.
const SS_NAME = 'ss';
const HEADLESS_SVC = 'test';
const LABELS = { foo: 'bar', baz: 'blah' };

/** e2estatefulset.NewStatefulSet with setHTTPProbe: one httpd container, ready when /index.html answers. */
function newStatefulSet(name: string, replicas: number, labels: Record<string, string>): V1StatefulSet {
  return {
    metadata: { name, labels },
    spec: {
      replicas,
      serviceName: HEADLESS_SVC,
      selector: { matchLabels: labels },
      updateStrategy: { type: 'RollingUpdate' },
      template: {
        metadata: { labels },
        spec: {
          containers: [{
            name: 'webserver',
            image: IMAGES.httpd,
            readinessProbe: { httpGet: { path: '/index.html', port: 80 }, periodSeconds: 1, successThreshold: 1, failureThreshold: 1 },
          }],
        },
      },
    },
  };
}

/** The BeforeEach of the block: a headless Service governing the set's pods. */
async function createHeadlessService(ctx: ScenarioContext): Promise<void> {
  await ctx.api(CoreV1Api).createNamespacedService({
    namespace: ctx.namespace,
    body: { metadata: { name: HEADLESS_SVC }, spec: { clusterIP: 'None', selector: LABELS, ports: [{ name: 'http', port: 80 }] } },
  });
}

/**
 * Creates the set, then e2estatefulset.WaitForRunningAndReady, waitForStatus (observedGeneration caught
 * up) and WaitForStatusReadyReplicas: pods can turn ready faster than the controller's next status write,
 * and the scale test reads status.replicas right after.
 */
async function createAndWaitReady(ctx: ScenarioContext, ss: V1StatefulSet): Promise<V1StatefulSet> {
  const apps = ctx.api(AppsV1Api);
  const namespace = ctx.namespace;
  const created = await apps.createNamespacedStatefulSet({ namespace, body: ss });
  await waitForRunningPods(ctx.api(CoreV1Api), namespace, selectorOf(ss.spec!.selector.matchLabels!), ss.spec!.replicas!);
  const name = created.metadata!.name!;
  return poll(async () => {
    const got = await apps.readNamespacedStatefulSet({ name, namespace });
    const want = ss.spec!.replicas!;
    const s = got.status;
    return (s?.observedGeneration ?? 0) >= (created.metadata?.generation ?? 1) && s?.replicas === want && s.readyReplicas === want ? got : undefined;
  }, { timeoutMs: 60_000, what: `statefulset ${name} status to observe generation ${created.metadata?.generation} and ${ss.spec!.replicas} ready replicas` });
}

export const statefulSetScenarios = [
  scenario(
    { codename: `${PREFIX}should have a working scale subresource [Conformance]`, testname: 'StatefulSet resource Replica scaling', release: 'v1.16, v1.21', file: FILE },
    async (ctx) => {
      const apps = ctx.api(AppsV1Api);
      const namespace = ctx.namespace;
      await createHeadlessService(ctx);
      await createAndWaitReady(ctx, newStatefulSet(SS_NAME, 1, LABELS));

      const scale = await apps.readNamespacedStatefulSetScale({ name: SS_NAME, namespace });
      assert.equal(scale.spec?.replicas, 1, 'scale spec.replicas of a new StatefulSet');
      assert.equal(scale.status?.replicas, 1, 'scale status.replicas of a new StatefulSet');

      // An empty resourceVersion makes the scale update unconditional.
      scale.metadata = { ...scale.metadata, resourceVersion: undefined };
      scale.spec = { ...scale.spec, replicas: 2 };
      const result = await apps.replaceNamespacedStatefulSetScale({ name: SS_NAME, namespace, body: scale });
      assert.equal(result.spec?.replicas, 2, 'spec.replicas in the answer to the scale update');
      let ss = await apps.readNamespacedStatefulSet({ name: SS_NAME, namespace });
      assert.equal(ss.spec?.replicas, 2, 'statefulset spec.replicas after the scale update');

      await apps.patchNamespacedStatefulSetScale({ name: SS_NAME, namespace, body: { spec: { replicas: 4 } } }, setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch));
      ss = await apps.readNamespacedStatefulSet({ name: SS_NAME, namespace });
      assert.equal(ss.spec?.replicas, 4, 'statefulset should have 4 replicas');
    },
    { timeoutMs: 90_000 },
  ),

  scenario(
    { codename: `${PREFIX}should validate Statefulset Status endpoints [Conformance]`, testname: 'StatefulSet, status sub-resource', release: 'v1.22', file: FILE },
    async (ctx) => {
      const apps = ctx.api(AppsV1Api);
      const namespace = ctx.namespace;
      const labelSelector = 'e2e=testing';
      const list = await apps.listNamespacedStatefulSet({ namespace, labelSelector });
      const w = await ctx.watch(`/apis/apps/v1/namespaces/${namespace}/statefulsets`, { labelSelector, resourceVersion: list.metadata?.resourceVersion });

      await createHeadlessService(ctx);
      await createAndWaitReady(ctx, newStatefulSet(SS_NAME, 1, LABELS));
      const patched = await apps.patchNamespacedStatefulSet({ name: SS_NAME, namespace, body: { metadata: { labels: { e2e: 'testing' } } } }, setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch));
      assert.equal(patched.metadata?.labels?.e2e, 'testing', 'label patched onto the StatefulSet');

      const status = await ctx.raw('GET', `/apis/apps/v1/namespaces/${namespace}/statefulsets/${SS_NAME}/status`);
      assert.equal(status.status, 200, `GET /status: ${status.body}`);
      assert.equal(status.json?.kind, 'StatefulSet', 'kind of the /status answer');
      assert.equal(status.json?.metadata?.name, SS_NAME, 'name in the /status answer');

      const updated = await retryOnConflict(async () => {
        const current = await apps.readNamespacedStatefulSet({ name: SS_NAME, namespace });
        current.status = { ...current.status!, conditions: [...(current.status?.conditions ?? []), { type: 'StatusUpdate', status: 'True', reason: 'E2E', message: 'Set from e2e test' }] };
        return apps.replaceNamespacedStatefulSetStatus({ name: SS_NAME, namespace, body: current });
      });
      assert.ok(updated.status?.conditions?.some((c) => c.type === 'StatusUpdate'), 'the updated status carries the StatusUpdate condition');

      const isOurs = (o: any) => o?.metadata?.name === SS_NAME && o?.metadata?.namespace === namespace && o?.metadata?.labels?.e2e === 'testing';
      await w.until(
        (e) => isOurs(e.object) && (e.object.status?.conditions ?? []).some((c: any) => c.type === 'StatusUpdate' && c.reason === 'E2E' && c.message === 'Set from e2e test'),
        'the StatusUpdate condition on a watch event',
        30_000,
      );

      const statusPatched = await apps.patchNamespacedStatefulSetStatus(
        { name: SS_NAME, namespace, body: { status: { conditions: [{ type: 'StatusPatched', status: 'True' }] } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      assert.ok(statusPatched.status?.conditions?.some((c) => c.type === 'StatusPatched'), 'the patched status carries the StatusPatched condition');
      await w.until((e) => isOurs(e.object) && (e.object.status?.conditions ?? []).some((c: any) => c.type === 'StatusPatched'), 'the StatusPatched condition on a watch event', 30_000);
    },
    { timeoutMs: 90_000 },
  ),
];
