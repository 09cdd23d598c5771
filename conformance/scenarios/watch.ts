// Watch semantics on ConfigMaps: label-selected watchers, starting from a past resourceVersion,
// resuming after a closed watch, selector exits and re-entries, and identical ordering across
// concurrent watches. Where upstream waits 10 s for "no event", these scenarios put a fence object
// behind the writes and require the fence to be the very next event, which is stricter and instant.
import { CoreV1Api, type V1ConfigMap } from '@kubernetes/client-node';
import { assert } from '../framework/expect.ts';
import type { ScenarioContext } from '../framework/context.ts';
import { scenario } from '../framework/scenario.ts';
import { describeEvent, type EventStream, type WatchEvent } from '../framework/watch.ts';
import { retryOnConflict } from './helpers.ts';

const FILE = 'test/e2e/apimachinery/watch.go';
const LABEL = 'watch-this-configmap';

function watchConfigMaps(ctx: ScenarioContext, resourceVersion: string, ...values: string[]): Promise<EventStream> {
  return ctx.watch(`/api/v1/namespaces/${ctx.namespace}/configmaps`, {
    labelSelector: `${LABEL} in (${values.join(',')})`,
    ...(resourceVersion ? { resourceVersion } : {}),
  });
}

function create(ctx: ScenarioContext, name: string, labelValue: string): Promise<V1ConfigMap> {
  return ctx.api(CoreV1Api).createNamespacedConfigMap({ namespace: ctx.namespace, body: { metadata: { name, labels: { [LABEL]: labelValue } } } });
}

function update(ctx: ScenarioContext, name: string, mutate: (cm: V1ConfigMap) => void): Promise<V1ConfigMap> {
  const core = ctx.api(CoreV1Api);
  return retryOnConflict(async () => {
    const cm = await core.readNamespacedConfigMap({ name, namespace: ctx.namespace });
    mutate(cm);
    return core.replaceNamespacedConfigMap({ name, namespace: ctx.namespace, body: cm });
  });
}

const setData = (key: string, value: string) => (cm: V1ConfigMap) => {
  cm.data = { ...cm.data, [key]: value };
};

function remove(ctx: ScenarioContext, name: string) {
  return ctx.api(CoreV1Api).deleteNamespacedConfigMap({ name, namespace: ctx.namespace });
}

/** apiequality.Semantic.DeepEqual for what these scenarios write: identity, version, labels, data. */
function sameConfigMap(expected: V1ConfigMap, actual: any): boolean {
  return (
    actual?.metadata?.name === expected.metadata?.name &&
    actual?.metadata?.resourceVersion === expected.metadata?.resourceVersion &&
    JSON.stringify(actual?.metadata?.labels ?? {}) === JSON.stringify(expected.metadata?.labels ?? {}) &&
    JSON.stringify(actual?.data ?? {}) === JSON.stringify(expected.data ?? {})
  );
}

/** The next event on w must be `type` (of `expected` when given): nothing else may come first. */
async function expectNext(w: EventStream, type: string, expected: V1ConfigMap | undefined, what: string): Promise<WatchEvent> {
  const e = await w.next(30_000);
  const rv = (o: any) => o?.metadata?.resourceVersion;
  assert.equal(e.type, type, `${what}: expected ${type} ${expected?.metadata?.name ?? ''}, got ${describeEvent(e)}`);
  if (expected) {
    assert.ok(sameConfigMap(expected, e.object), `${what}: expected ${expected.metadata?.name}@${rv(expected)}, got ${e.object?.metadata?.name}@${rv(e.object)} with data ${JSON.stringify(e.object?.data)}`);
  }
  return e;
}

export const watchScenarios = [
  scenario(
    { codename: '[sig-api-machinery] Watchers should observe add, update, and delete watch notifications on configmaps [Conformance]', testname: 'watch-configmaps-with-multiple-watchers', release: 'v1.11', file: FILE },
    async (ctx) => {
      const A = 'multiple-watchers-A';
      const B = 'multiple-watchers-B';
      const watchA = await watchConfigMaps(ctx, '', A);
      const watchB = await watchConfigMaps(ctx, '', B);
      const watchAB = await watchConfigMaps(ctx, '', A, B);

      let cmA = await create(ctx, 'e2e-watch-test-configmap-a', A);
      await expectNext(watchA, 'ADDED', cmA, 'watcher A');
      await expectNext(watchAB, 'ADDED', cmA, 'watcher A or B');
      cmA = await update(ctx, cmA.metadata!.name!, setData('mutation', '1'));
      await expectNext(watchA, 'MODIFIED', cmA, 'watcher A');
      await expectNext(watchAB, 'MODIFIED', cmA, 'watcher A or B');
      cmA = await update(ctx, cmA.metadata!.name!, setData('mutation', '2'));
      await expectNext(watchA, 'MODIFIED', cmA, 'watcher A');
      await expectNext(watchAB, 'MODIFIED', cmA, 'watcher A or B');
      await remove(ctx, cmA.metadata!.name!);
      await expectNext(watchA, 'DELETED', undefined, 'watcher A');
      await expectNext(watchAB, 'DELETED', undefined, 'watcher A or B');

      const cmB = await create(ctx, 'e2e-watch-test-configmap-b', B);
      // B's first event is B's own: it saw nothing of configmap A.
      await expectNext(watchB, 'ADDED', cmB, 'watcher B');
      await expectNext(watchAB, 'ADDED', cmB, 'watcher A or B');
      await remove(ctx, cmB.metadata!.name!);
      await expectNext(watchB, 'DELETED', undefined, 'watcher B');
      await expectNext(watchAB, 'DELETED', undefined, 'watcher A or B');

      // Fences: A must see nothing of configmap B before its own next object.
      const fenceA = await create(ctx, 'fence-a', A);
      await expectNext(watchA, 'ADDED', fenceA, 'watcher A (no notification for configmap B)');
      const fenceB = await create(ctx, 'fence-b', B);
      await expectNext(watchB, 'ADDED', fenceB, 'watcher B');
    },
  ),

  scenario(
    { codename: '[sig-api-machinery] Watchers should be able to start watching from a specific resource version [Conformance]', testname: 'watch-configmaps-from-resource-version', release: 'v1.11', file: FILE },
    async (ctx) => {
      const label = 'from-resource-version';
      const cm = await create(ctx, 'e2e-watch-test-resource-version', label);
      const first = await update(ctx, cm.metadata!.name!, setData('mutation', '1'));
      const second = await update(ctx, cm.metadata!.name!, setData('mutation', '2'));
      await remove(ctx, cm.metadata!.name!);

      const w = await watchConfigMaps(ctx, first.metadata!.resourceVersion!, label);
      await expectNext(w, 'MODIFIED', second, 'watch from the first update (only later changes)');
      await expectNext(w, 'DELETED', undefined, 'watch from the first update');
    },
  ),

  scenario(
    { codename: '[sig-api-machinery] Watchers should be able to restart watching from the last resource version observed by the previous watch [Conformance]', testname: 'watch-configmaps-closed-and-restarted', release: 'v1.11', file: FILE },
    async (ctx) => {
      const label = 'watch-closed-and-restarted';
      const name = 'e2e-watch-test-watch-closed';
      const broken = await watchConfigMaps(ctx, '', label);
      const cm = await create(ctx, name, label);
      await update(ctx, name, setData('mutation', '1'));

      await expectNext(broken, 'ADDED', cm, 'first watch');
      const last = await expectNext(broken, 'MODIFIED', undefined, 'first watch');
      broken.stop();

      const second = await update(ctx, name, setData('mutation', '2'));
      const restarted = await watchConfigMaps(ctx, last.object.metadata.resourceVersion, label);
      await remove(ctx, name);

      await expectNext(restarted, 'MODIFIED', second, 'watch restarted from the last observed resourceVersion');
      await expectNext(restarted, 'DELETED', undefined, 'watch restarted from the last observed resourceVersion');
    },
  ),

  scenario(
    { codename: '[sig-api-machinery] Watchers should observe an object deletion if it stops meeting the requirements of the selector [Conformance]', testname: 'watch-configmaps-label-changed', release: 'v1.11', file: FILE },
    async (ctx) => {
      const label = 'label-changed-and-restored';
      const name = 'e2e-watch-test-label-changed';
      const w = await watchConfigMaps(ctx, '', label);
      const cm = await create(ctx, name, label);
      const first = await update(ctx, name, setData('mutation', '1'));
      await update(ctx, name, (c) => {
        c.metadata!.labels![LABEL] = 'wrong-value';
      });

      await expectNext(w, 'ADDED', cm, 'watch');
      await expectNext(w, 'MODIFIED', first, 'watch');
      await expectNext(w, 'DELETED', undefined, 'watch (object left the selector)');

      await update(ctx, name, setData('mutation', '2'));
      const restored = await update(ctx, name, (c) => {
        c.metadata!.labels![LABEL] = label;
      });
      const third = await update(ctx, name, setData('mutation', '3'));
      await remove(ctx, name);

      // The change made while outside the selector is not seen: the next event is the re-entry.
      await expectNext(w, 'ADDED', restored, 'watch (object back in the selector, no event for the change made outside it)');
      await expectNext(w, 'MODIFIED', third, 'watch');
      await expectNext(w, 'DELETED', undefined, 'watch');
    },
  ),

  scenario(
    { codename: '[sig-api-machinery] Watchers should receive events on concurrent watches in same order [Conformance]', testname: 'watch-consistency', release: 'v1.15', file: FILE },
    async (ctx) => {
      const iterations = 100;
      const core = ctx.api(CoreV1Api);
      const namespace = ctx.namespace;
      const list = await core.listNamespacedConfigMap({ namespace });
      let resourceVersion = list.metadata!.resourceVersion!;

      // produceConfigMapEvents: random create/update/delete every ~5 ms until stopped.
      let stop = false;
      let producerError: unknown;
      const producer = (async () => {
        const existing: number[] = [];
        let i = 0;
        while (!stop) {
          const op = existing.length === 0 ? 0 : Math.floor(Math.random() * 3);
          if (op === 0) {
            await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: `cm-${i}` } } });
            existing.push(i++);
          } else if (op === 1) {
            const idx = existing[Math.floor(Math.random() * existing.length)]!;
            await core.replaceNamespacedConfigMap({ name: `cm-${idx}`, namespace, body: { metadata: { name: `cm-${idx}` } } });
          } else {
            const at = Math.floor(Math.random() * existing.length);
            await core.deleteNamespacedConfigMap({ name: `cm-${existing[at]}`, namespace });
            existing.splice(at, 1);
          }
          await new Promise((r) => setTimeout(r, 5));
        }
      })().catch((err) => {
        producerError = err;
      });

      try {
        const watches: EventStream[] = [];
        for (let i = 0; i < iterations; i++) {
          if (producerError) throw producerError;
          watches.push(await ctx.watch(`/api/v1/namespaces/${namespace}/configmaps`, { resourceVersion }));
          const e = await watches[0]!.next(10_000);
          resourceVersion = e.object.metadata.resourceVersion;
          for (const w of watches.slice(1)) {
            const other = await w.next(10_000);
            assert.equal(other.object?.metadata?.resourceVersion, resourceVersion, `resource version mismatch, expected ${resourceVersion} but got ${other.object?.metadata?.resourceVersion}`);
          }
        }
      } finally {
        stop = true;
        await producer;
      }
      if (producerError) throw producerError;
    },
    { timeoutMs: 120_000 },
  ),
];
