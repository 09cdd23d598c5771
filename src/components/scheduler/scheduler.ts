// kube-scheduler: under the kube-system/kube-scheduler Lease, runs the scheduler (scheduler-runner.ts)
// with its own informers and event recorder.
import { realClock, type Clock } from '../../client/clock.ts';
import { SharedInformerFactory } from '../../client/cache/informer-factory.ts';
import type { KubeClient } from '../../client/kube-client.ts';
import { defaultUserAgent } from '../../client/user-agent.ts';
import { EventBroadcaster } from '../../controllers/framework/events/event-recorder.ts';
import { runLeaderElected, type LeaderElectionSettings } from '../leader-elected.ts';
import type { RunningComponent } from '../names.ts';
import { schedulerRunner, type SchedulerRunner } from './scheduler-runner.ts';

export const SCHEDULER_USER_AGENT = 'kube-scheduler';

export interface SchedulerOptions {
  client: KubeClient;
  leaderElect: boolean;
  leaderElection: LeaderElectionSettings;
  /** Defaults to the registered scheduler (scheduler-runner.ts). */
  runner?: SchedulerRunner;
  identity?: string;
  clock?: Clock;
  log: (message: string) => void;
}

export function startScheduler(o: SchedulerOptions): RunningComponent {
  const clock = o.clock ?? realClock;
  const log = (m: string) => o.log(`scheduler: ${m}`);
  const runner = o.runner ?? schedulerRunner;
  const client = o.client.withUserAgent(defaultUserAgent(SCHEDULER_USER_AGENT));

  const start = async () => {
    if (!runner) {
      log('no scheduler implementation yet; holding the lease only');
      return async () => {};
    }
    const informers = new SharedInformerFactory(client, { clock, log });
    const broadcaster = new EventBroadcaster(client, { clock, log });
    const stopRunner = await runner({
      client, informers, recorder: broadcaster.newRecorder({ component: 'default-scheduler' }), clock, log,
    });
    informers.start();
    return async () => {
      await stopRunner();
      await informers.shutdown();
      await broadcaster.shutdown();
    };
  };

  const handle = runLeaderElected({
    client: client.withUserAgent(defaultUserAgent(SCHEDULER_USER_AGENT, 'leader-election')),
    lease: { namespace: 'kube-system', name: 'kube-scheduler' },
    leaderElect: o.leaderElect,
    settings: o.leaderElection,
    identity: o.identity,
    log,
    start,
    elector: { clock },
  });
  return { name: 'scheduler', stop: () => handle.stop() };
}
