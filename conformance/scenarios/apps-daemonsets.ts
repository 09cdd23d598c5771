// DaemonSets place one pod on every node that can take it and bring it back when it is deleted or
// fails.
import { AppsV1Api, CoreV1Api, type V1DaemonSet, type V1Node, type V1Pod } from '@kubernetes/client-node';
import { assert } from '../framework/expect.ts';
import { poll } from '../framework/poll.ts';
import { scenario } from '../framework/scenario.ts';
import { selectorOf } from './helpers.ts';
import { IMAGES } from './images.ts';
import { isPodReady, waitForGone } from './workloads.ts';

const FILE = 'test/e2e/apps/daemon_set.go';
const DS_NAME = 'daemon-set';
const LABELS = { 'daemonset-name': DS_NAME };

/** e2enode.GetReadySchedulableNodes less nodes with NoSchedule/NoExecute taints (canScheduleOnNode). */
async function schedulableNodes(core: CoreV1Api): Promise<string[]> {
  const nodes = await core.listNode();
  const ready = (n: V1Node) => (n.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
  const tainted = (n: V1Node) => (n.spec?.taints ?? []).some((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute');
  return nodes.items.filter((n) => ready(n) && !n.spec?.unschedulable && !tainted(n)).map((n) => n.metadata!.name!).sort();
}

/** checkRunningOnAllNodes: one ready daemon pod per schedulable node. */
async function waitForDaemonPodsOnAllNodes(core: CoreV1Api, namespace: string): Promise<V1Pod[]> {
  const nodes = await schedulableNodes(core);
  assert.ok(nodes.length > 0, 'the cluster has schedulable nodes');
  return poll(async () => {
    const pods = (await core.listNamespacedPod({ namespace, labelSelector: selectorOf(LABELS) })).items.filter((p) => !p.metadata?.deletionTimestamp);
    const onNodes = pods.filter(isPodReady).map((p) => p.spec?.nodeName ?? '').sort();
    return JSON.stringify(onNodes) === JSON.stringify(nodes) ? pods : undefined;
  }, { timeoutMs: 60_000, what: `a ready daemon pod on each of ${nodes.join(', ')}` });
}

function newDaemonSet(): V1DaemonSet {
  return { metadata: { name: DS_NAME }, spec: { selector: { matchLabels: LABELS }, template: { metadata: { labels: LABELS }, spec: { containers: [{ name: 'app', image: IMAGES.httpd, ports: [{ containerPort: 9376 }] }] } } } };
}

/** checkDaemonStatus: every desired pod is scheduled and ready. */
async function checkDaemonStatus(apps: AppsV1Api, namespace: string): Promise<void> {
  await poll(async () => {
    const s = (await apps.readNamespacedDaemonSet({ name: DS_NAME, namespace })).status;
    return s && s.desiredNumberScheduled > 0 && s.desiredNumberScheduled === s.currentNumberScheduled && s.desiredNumberScheduled === s.numberReady;
  }, { timeoutMs: 30_000, what: `daemon set ${DS_NAME} status to show all pods ready` });
}

export const daemonSetScenarios = [
  scenario(
    { codename: '[sig-apps] Daemon set [Serial] should run and stop simple daemon [Conformance]', testname: 'DaemonSet-Creation', release: 'v1.10', file: FILE },
    async (ctx) => {
      const apps = ctx.api(AppsV1Api);
      const core = ctx.api(CoreV1Api);
      const namespace = ctx.namespace;
      await apps.createNamespacedDaemonSet({ namespace, body: newDaemonSet() });
      const pods = await waitForDaemonPodsOnAllNodes(core, namespace);
      await checkDaemonStatus(apps, namespace);

      // Stop a daemon pod, check that the daemon pod is revived.
      const victim = pods[0]!.metadata!.name!;
      await core.deleteNamespacedPod({ name: victim, namespace });
      await waitForDaemonPodsOnAllNodes(core, namespace);
    },
    { timeoutMs: 90_000 },
  ),

  scenario(
    { codename: '[sig-apps] Daemon set [Serial] should retry creating failed daemon pods [Conformance]', testname: 'DaemonSet-FailedPodCreation', release: 'v1.10', file: FILE },
    async (ctx) => {
      const apps = ctx.api(AppsV1Api);
      const core = ctx.api(CoreV1Api);
      const namespace = ctx.namespace;
      await apps.createNamespacedDaemonSet({ namespace, body: newDaemonSet() });
      const pods = await waitForDaemonPodsOnAllNodes(core, namespace);
      await checkDaemonStatus(apps, namespace);

      // Set a daemon pod's phase to 'Failed', check that the daemon pod is revived.
      const pod = pods[0]!;
      pod.status = { ...pod.status, phase: 'Failed' };
      await core.replaceNamespacedPodStatus({ name: pod.metadata!.name!, namespace, body: pod });
      await waitForDaemonPodsOnAllNodes(core, namespace);
      await waitForGone(() => core.readNamespacedPod({ name: pod.metadata!.name!, namespace }), `failed daemon pod ${pod.metadata!.name}`);
    },
    { timeoutMs: 90_000 },
  ),
];
