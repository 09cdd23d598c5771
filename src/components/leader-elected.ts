// Run a component's work only while it leads (upstream's leaderelection.RunOrDie around
// kube-controller-manager and kube-scheduler). Upstream exits the process when leadership is lost and
// relies on a restart; in-process we stop the work (dropping its caches) and campaign again instead,
// which is the same thing without killing the API server that may share the process.
import type { KubeClient } from '../client/kube-client.ts';
import { LeaderElector, type LeaderElectionConfig } from '../controllers/framework/leader-election.ts';
import { describeError } from '../controllers/framework/describe-error.ts';

export interface LeaderElectionSettings {
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
}

/** Starts the work; the returned function stops it. */
export type StartWork = () => Promise<() => Promise<void>>;

export interface LeaderElectedOptions {
  client: KubeClient;
  /** Lease namespace/name, e.g. kube-system/kube-controller-manager. */
  lease: { namespace: string; name: string };
  leaderElect: boolean;
  settings: LeaderElectionSettings;
  identity?: string;
  log: (message: string) => void;
  start: StartWork;
  /** Extra elector settings (clock, recorder) for tests and events. */
  elector?: Partial<Pick<LeaderElectionConfig, 'clock' | 'recorder' | 'random'>>;
}

export interface LeaderElectedHandle {
  stop(): Promise<void>;
  /** The current elector (undefined without leader election). */
  elector(): LeaderElector | undefined;
}

export function runLeaderElected(o: LeaderElectedOptions): LeaderElectedHandle {
  if (!o.leaderElect) {
    const stopping = o.start();
    return {
      stop: async () => { await (await stopping)(); },
      elector: () => undefined,
    };
  }

  let stopped = false;
  let current: LeaderElector | undefined;
  let stopWork: Promise<() => Promise<void>> | undefined;

  const campaign = async () => {
    while (!stopped) {
      current = new LeaderElector({
        client: o.client,
        namespace: o.lease.namespace,
        name: o.lease.name,
        identity: o.identity,
        leaseDurationMs: o.settings.leaseDurationMs,
        renewDeadlineMs: o.settings.renewDeadlineMs,
        retryPeriodMs: o.settings.retryPeriodMs,
        releaseOnCancel: true,
        log: o.log,
        ...o.elector,
        callbacks: {
          onStartedLeading: () => {
            stopWork = o.start();
            stopWork.catch((err) => o.log(`start failed: ${describeError(err)}`));
          },
          onStoppedLeading: () => {},
        },
      });
      await current.run();
      // Stop the work before campaigning again (or before stop() returns).
      if (stopWork) {
        const s = stopWork;
        stopWork = undefined;
        await (await s)().catch((err) => o.log(`stop failed: ${describeError(err)}`));
      }
      if (!stopped) o.log(`leaderelection lost for ${o.lease.namespace}/${o.lease.name}; campaigning again`);
    }
  };
  const running = campaign();
  return {
    stop: async () => {
      stopped = true;
      await current?.stop();
      await running;
    },
    elector: () => current,
  };
}
