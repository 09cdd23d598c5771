// One round of real pod start-up: `pods` busybox pods POSTed at once to a node with a real kubelet,
// each timed from the start of its own POST to the watch event in which its Ready condition turns
// True (upstream's pod start-up SLI, observed via watch; SLO p99 ≤ 5 s), then all deleted and
// awaited until gone, so the next round starts on an empty node. The image is local and tagged, so
// with IfNotPresent the figure is start-up with a warm image, as upstream's SLO states it.
import { performance } from 'node:perf_hooks';
import type { ApiClient } from '../https-client.ts';
import type { LoadResult } from '../load.ts';
import { listResourceVersion, readyConditionTrue, watchPods } from '../pods.ts';
import { summarize, type LatencySummary } from '../stats.ts';

/** In the images k8ts builds; a :latest tag would be pulled again for every pod (imagePullPolicy Always). */
export const KUBELET_BENCH_IMAGE = 'busybox:1.36';
const READY_LIMIT_MS = (pods: number) => 60_000 + 2_000 * pods;
const GONE_LIMIT_MS = (pods: number) => 60_000 + 1_000 * pods;

export interface KubeletRoundOptions {
  namespace: string;
  pods: number;
  /** Pod names are <prefix>-<i>. */
  namePrefix: string;
}

export interface KubeletRoundDetail {
  pods: number;
  podsReady: number;
  /** First POST sent → the last pod seen Ready. */
  createToAllReadyMs: number;
  /** Per pod: its POST sent → the watch event with Ready=True. The start-up SLI. */
  startup: LatencySummary;
  /** Per pod: its POST sent → spec.nodeName seen (the scheduler's share). */
  scheduling: LatencySummary;
  /** Per pod, as the kubelet wrote them: status.startTime → the Ready condition's lastTransitionTime (whole seconds). */
  kubeletStartup: LatencySummary;
  /** First DELETE sent → the last pod's DELETED event (grace period 1 s). */
  deleteToAllGoneMs: number;
  /** Every pod Ready and p99 ≤ 5 s. */
  meetsSLO: boolean;
}

interface PodTimes { posted?: number; created: boolean; scheduled?: number; ready?: number; kubeletMs?: number; gone?: number }

type Obj = Record<string, any>;

export async function kubeletPodStartupRound(
  client: ApiClient, o: KubeletRoundOptions, report: (d: KubeletRoundDetail) => void,
): Promise<LoadResult & { note: string }> {
  const podsPath = `/api/v1/namespaces/${o.namespace}/pods`;
  const errors: Record<string, number> = {};
  const fail = (code: string, n = 1) => { errors[code] = (errors[code] ?? 0) + n; };
  const names = Array.from({ length: o.pods }, (_, i) => `${o.namePrefix}-${i}`);
  const pods = new Map<string, PodTimes>(names.map((n) => [n, { created: false }]));
  const times = [...pods.values()];
  const count = (f: (t: PodTimes) => unknown) => times.filter(f).length;

  // Woken by every watch event, so a wait ends at the event that completes it.
  let notify = () => {};
  const until = (done: () => boolean, limitMs: number) => new Promise<boolean>((resolve) => {
    if (done()) return resolve(true);
    const timer = setTimeout(() => { notify = () => {}; resolve(false); }, limitMs);
    notify = () => {
      if (!done()) return;
      clearTimeout(timer);
      notify = () => {};
      resolve(true);
    };
  });

  const watch = await watchPods(client, podsPath, await listResourceVersion(client, podsPath), (type, pod) => {
    const now = performance.now();
    const t = pods.get(pod.metadata?.name);
    if (!t) return;
    if (type === 'DELETED') t.gone ??= now;
    else {
      if (t.scheduled === undefined && pod.spec?.nodeName) t.scheduled = now;
      if (t.ready === undefined && readyConditionTrue(pod)) {
        t.ready = now;
        t.kubeletMs = kubeletStartupMs(pod);
      }
    }
    notify();
  }, fail);

  const firstPost = performance.now();
  let lastReady = NaN;
  let deleteStarted = NaN;
  let lastGone = NaN;
  try {
    await Promise.all(names.map(async (name) => {
      const t = pods.get(name)!;
      t.posted = performance.now();
      const res = await client.request('POST', podsPath, podManifest(name)).catch((err: Error) => ({ status: 0, body: Buffer.from(err.message) }));
      if (res.status === 201) t.created = true;
      else fail(`create: ${res.status || res.body.toString('utf8')}`);
    }));
    const created = count((t) => t.created);
    if (!(await until(() => count((t) => t.created && t.ready !== undefined) === created, READY_LIMIT_MS(o.pods)))) {
      fail('pods not Ready in time', created - count((t) => t.ready !== undefined));
    }
    lastReady = latest(times.map((t) => t.ready));

    deleteStarted = performance.now();
    await Promise.all(names.filter((n) => pods.get(n)!.created).map(async (name) => {
      const res = await client.request('DELETE', `${podsPath}/${name}`).catch(() => ({ status: 0 }));
      if (res.status !== 200 && res.status !== 202) fail(`delete: ${res.status}`);
    }));
    if (!(await until(() => count((t) => t.created && t.gone === undefined) === 0, GONE_LIMIT_MS(o.pods)))) {
      fail('pods not gone in time', count((t) => t.created && t.gone === undefined));
    }
    lastGone = latest(times.map((t) => t.gone));
  } finally {
    watch.destroy();
  }

  const readyTimes = times.filter((t) => t.ready !== undefined);
  const startupMs = readyTimes.map((t) => t.ready! - t.posted!);
  const detail: KubeletRoundDetail = {
    pods: o.pods,
    podsReady: readyTimes.length,
    createToAllReadyMs: lastReady - firstPost,
    startup: summarize(startupMs),
    scheduling: summarize(times.filter((t) => t.scheduled !== undefined).map((t) => t.scheduled! - t.posted!)),
    kubeletStartup: summarize(readyTimes.map((t) => t.kubeletMs!).filter(Number.isFinite)),
    deleteToAllGoneMs: lastGone - deleteStarted,
    meetsSLO: false,
  };
  detail.meetsSLO = detail.podsReady === o.pods && detail.startup.p99Ms <= 5000;
  report(detail);
  return {
    ops: readyTimes.length,
    seconds: Math.max(detail.createToAllReadyMs, 1) / 1000,
    latenciesMs: startupMs,
    errors,
    note: `created at once; all Ready ${(detail.createToAllReadyMs / 1000).toFixed(1)} s after the first POST ` +
      `(scheduled p99 ${detail.scheduling.p99Ms.toFixed(0)} ms); deleted and gone in ${(detail.deleteToAllGoneMs / 1000).toFixed(1)} s`,
  };
}

/** The last of the times seen; NaN when none was. */
function latest(xs: (number | undefined)[]): number {
  const seen = xs.filter((x): x is number => x !== undefined);
  return seen.length > 0 ? Math.max(...seen) : NaN;
}

/** One pod through create → Ready → gone, untimed: the image, the sandbox and the pod network are then warm. */
export async function warmUpKubelet(client: ApiClient, namespace: string): Promise<void> {
  let detail: KubeletRoundDetail | undefined;
  const r = await kubeletPodStartupRound(client, { namespace, pods: 1, namePrefix: 'warm-up' }, (d) => { detail = d; });
  const errors = Object.entries(r.errors).map(([k, n]) => `${n}× ${k}`);
  if (errors.length > 0 || detail?.podsReady !== 1) throw new Error(`warm-up pod: ${errors.join(', ') || 'not Ready'}`);
}

/** status.startTime → the Ready condition's lastTransitionTime, as the kubelet wrote them. */
function kubeletStartupMs(pod: Obj): number {
  const ready = (pod.status?.conditions ?? []).find((c: Obj) => c.type === 'Ready');
  return Date.parse(ready?.lastTransitionTime) - Date.parse(pod.status?.startTime);
}

/** A pod that starts and stays: busybox sleeping, stopped within a second on delete. */
function podManifest(name: string): string {
  return JSON.stringify({
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, labels: { app: 'bench-kubelet' } },
    spec: {
      restartPolicy: 'Never', terminationGracePeriodSeconds: 1,
      containers: [{ name: 'busybox', image: KUBELET_BENCH_IMAGE, command: ['sleep', '3600'] }],
    },
  });
}
