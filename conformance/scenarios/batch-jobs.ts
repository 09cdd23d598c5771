// Jobs run pods to completion and own them like ReplicaSets do. Pod commands exit on a real node;
// k8ts's simulated nodes read the k8ts.io/simulate-exit-code annotation instead (a kubelet ignores it).
import { BatchV1Api, CoreV1Api, type V1Job } from '@kubernetes/client-node';
import { assert } from '../framework/expect.ts';
import { poll } from '../framework/poll.ts';
import { scenario } from '../framework/scenario.ts';
import { retryOnConflict } from './helpers.ts';
import { IMAGES } from './images.ts';
import { controllerOf, livePods } from './workloads.ts';

const FILE = 'test/e2e/apps/job.go';

/** e2ejob.NewTestJob: "succeed" exits 0 at once, "notTerminate" sleeps for ever. */
function newTestJob(behavior: 'succeed' | 'notTerminate', name: string, restartPolicy: 'OnFailure' | 'Never', parallelism: number, completions: number, backoffLimit: number): V1Job {
  const command = behavior === 'succeed' ? ['sh', '-c', 'exit 0'] : ['sleep', '1000000'];
  return {
    metadata: { name },
    spec: {
      parallelism, completions, backoffLimit,
      template: {
        metadata: { labels: { 'job': name }, annotations: behavior === 'succeed' ? { 'k8ts.io/simulate-exit-code': '0' } : undefined },
        spec: { restartPolicy, containers: [{ name: 'c', image: IMAGES.busybox, command }] },
      },
    },
  };
}

const jobPodSelector = (name: string) => `job-name=${name}`;

export const jobScenarios = [
  scenario(
    { codename: '[sig-apps] Job should run a job to completion when tasks sometimes fail and are locally restarted [Conformance]', testname: 'Jobs, completion after task failure', release: 'v1.16', file: FILE },
    async (ctx) => {
      const batch = ctx.api(BatchV1Api);
      const namespace = ctx.namespace;
      // Upstream's pods fail once and succeed on the local restart; what it asserts is the Job
      // reaching its completions, which pods that succeed at once must reach too.
      const completions = 4;
      const job = await batch.createNamespacedJob({ namespace, body: newTestJob('succeed', 'fail-once-local', 'OnFailure', 2, completions, 6) });
      await poll(async () => (await batch.readNamespacedJob({ name: job.metadata!.name!, namespace })).status?.succeeded === completions, { timeoutMs: 60_000, what: `job ${job.metadata!.name} to succeed ${completions} times` });
      const done = await batch.readNamespacedJob({ name: job.metadata!.name!, namespace });
      assert.ok(done.status?.conditions?.some((c) => c.type === 'Complete' && c.status === 'True'), `Complete condition: ${JSON.stringify(done.status?.conditions)}`);
    },
    { timeoutMs: 90_000 },
  ),

  scenario(
    { codename: '[sig-apps] Job should adopt matching orphans and release non-matching pods [Conformance]', testname: 'Jobs, orphan pods, re-adoption', release: 'v1.16', file: FILE },
    async (ctx) => {
      const batch = ctx.api(BatchV1Api);
      const core = ctx.api(CoreV1Api);
      const namespace = ctx.namespace;
      const parallelism = 2;
      const job = await batch.createNamespacedJob({ namespace, body: newTestJob('notTerminate', 'adopt-release', 'OnFailure', parallelism, parallelism, 6) });
      const name = job.metadata!.name!;
      const uid = job.metadata!.uid!;
      // WaitForJobPodsRunning
      const pods = await poll(async () => {
        const live = (await livePods(core, namespace, jobPodSelector(name))).filter((p) => p.status?.phase === 'Running');
        return live.length === parallelism ? live : undefined;
      }, { timeoutMs: 60_000, what: `${parallelism} running pods of job ${name}` });

      // Orphaning one of the Job's Pods: the Job adopts it back.
      const pod = pods[0]!.metadata!.name!;
      await retryOnConflict(async () => {
        const p = await core.readNamespacedPod({ name: pod, namespace });
        p.metadata!.ownerReferences = [];
        return core.replaceNamespacedPod({ name: pod, namespace, body: p });
      });
      await poll(async () => controllerOf(await core.readNamespacedPod({ name: pod, namespace }))?.uid === uid, { timeoutMs: 30_000, what: `pod ${pod} to be re-adopted` });

      // Removing the labels from the Job's Pod: the Job releases it.
      await retryOnConflict(async () => {
        const p = await core.readNamespacedPod({ name: pod, namespace });
        p.metadata!.labels = {};
        return core.replaceNamespacedPod({ name: pod, namespace, body: p });
      });
      await poll(async () => controllerOf(await core.readNamespacedPod({ name: pod, namespace })) === undefined, { timeoutMs: 30_000, what: `pod ${pod} to be released` });
    },
    { timeoutMs: 90_000 },
  ),
];
