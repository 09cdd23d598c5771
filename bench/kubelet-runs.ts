// The kubelet pod start-up phase as a whole: per kubelet client tuning, a server child with a real
// kubelet on containerd, one warm-up pod, then one timed round per pod count. A run that cannot finish
// (no Ready node, a failed warm-up) is recorded with its reason and counted as an error, so the rest
// of the report still prints; without root or containerd the phase is skipped with the reason.
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { ApiClient } from './https-client.ts';
import { kubeletLogTail, kubeletSkipReason, startKubeletNode, type KubeletNode } from './kubelet-node.ts';
import type { KubeletTuning } from './options.ts';
import { KUBELET_BENCH_IMAGE, kubeletPodStartupRound, warmUpKubelet, type KubeletRoundDetail } from './phases/kubelet-pod-startup.ts';
import { measurePhase, type PhaseResult } from './phases/phase.ts';
import type { KubeletPodStartupReport, KubeletPodStartupRun } from './report.ts';

const NAMESPACE = 'bench-kubelet';

export async function runKubeletPodStartup(
  tunings: KubeletTuning[], root: string, track: (node: KubeletNode | undefined) => void, step: (message: string) => void,
): Promise<{ phases: PhaseResult[]; report: KubeletPodStartupReport }> {
  const report: KubeletPodStartupReport = { image: KUBELET_BENCH_IMAGE, slo: { p99Ms: 5000, text: 'SLO: p99 ≤ 5 s' }, runs: [] };
  const phases: PhaseResult[] = [];
  const skipped = kubeletSkipReason();
  if (skipped) {
    step(`kubelet pod start-up: skipped: ${skipped}`);
    return { phases, report: { ...report, skipped } };
  }
  for (const tuning of tunings) {
    step(`${tuning.title}: k8ts with a kubelet on containerd (--kube-api-qps ${tuning.kubeletAPIQPS}, burst ${tuning.kubeletAPIBurst}); rounds of ${tuning.podCounts.join(', ')} pods`);
    const run: KubeletPodStartupRun = {
      id: tuning.id, title: tuning.title, kubeletAPIQPS: tuning.kubeletAPIQPS, kubeletAPIBurst: tuning.kubeletAPIBurst,
      serverArgs: tuning.serverArgs, rounds: [], shutdownExitCode: null, leftovers: [],
    };
    report.runs.push(run);
    let node: KubeletNode | undefined;
    try {
      node = await startKubeletNode(join(root, tuning.id), NAMESPACE, tuning.serverArgs);
      track(node);
      run.nodeName = node.nodeName;
      const client = new ApiClient(node.server.url, node.server.credentials, Math.max(...tuning.podCounts) + 2);
      try {
        await warmUpKubelet(client, NAMESPACE);
        for (const pods of tuning.podCounts) {
          const podsText = `${pods} pod${pods === 1 ? '' : 's'}`;
          step(`${tuning.title}: ${podsText} at once`);
          const id = `${tuning.id}-${pods}`;
          let detail: KubeletRoundDetail | undefined;
          phases.push(await measurePhase({ serverPid: node.server.pid }, { id, title: `${tuning.title}, ${podsText}`, unit: 'pods' },
            () => kubeletPodStartupRound(client, { namespace: NAMESPACE, pods, namePrefix: `start-${pods}` }, (d) => { detail = d; })));
          run.rounds.push({ id, ...detail!, loadAverage1m: loadavg()[0]! });
        }
      } finally {
        client.close();
      }
    } catch (err) {
      run.failure = (err as Error).message + (node ? `\nserver log:\n${kubeletLogTail(node.server)}` : '');
      step(`${tuning.title}: failed: ${run.failure}`);
    } finally {
      if (node) {
        const down = await node.stop();
        run.shutdownExitCode = down.exitCode;
        run.leftovers = down.leftovers;
        track(undefined);
      }
    }
  }
  return { phases, report };
}

/** What the runs add to the report's error count: failed runs, unclean shutdowns, processes left behind. */
export function kubeletRunErrors(r: KubeletPodStartupReport): number {
  return r.runs.reduce((n, run) => n + (run.failure || run.shutdownExitCode !== 0 ? 1 : 0) + run.leftovers.length, 0);
}
