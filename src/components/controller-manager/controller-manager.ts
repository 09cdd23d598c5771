// kube-controller-manager: under the kube-system/kube-controller-manager Lease, builds one shared
// informer factory and event broadcaster, starts every controller, then the informers.
import type { Clock } from '../../client/clock.ts';
import { realClock } from '../../client/clock.ts';
import { SharedInformerFactory } from '../../client/cache/informer-factory.ts';
import type { KubeClient } from '../../client/kube-client.ts';
import { defaultUserAgent } from '../../client/user-agent.ts';
import { EventBroadcaster } from '../../controllers/framework/events/event-recorder.ts';
import { describeError } from '../../controllers/framework/describe-error.ts';
import { runLeaderElected, type LeaderElectionSettings } from '../leader-elected.ts';
import type { RunningComponent } from '../names.ts';
import type { ControllerDescriptor, RunningController } from './controller-context.ts';
import { CONTROLLERS } from './controllers.ts';
import type { ControllerManagerFlags } from './controller-flags.ts';

export const CONTROLLER_MANAGER_USER_AGENT = 'kube-controller-manager';

export interface ControllerManagerOptions {
  client: KubeClient;
  leaderElect: boolean;
  leaderElection: LeaderElectionSettings;
  /** Defaults to every registered controller (controllers.ts). */
  controllers?: ControllerDescriptor[];
  identity?: string;
  clock?: Clock;
  /** kube-controller-manager flags (controller-flags.ts); defaults when absent. */
  flags?: ControllerManagerFlags;
  log: (message: string) => void;
}

export function startControllerManager(o: ControllerManagerOptions): RunningComponent {
  const controllers = o.controllers ?? CONTROLLERS;
  const clock = o.clock ?? realClock;
  const log = (m: string) => o.log(`controller-manager: ${m}`);
  const client = o.client.withUserAgent(defaultUserAgent(CONTROLLER_MANAGER_USER_AGENT, 'leader-election'));

  const start = async () => {
    const informers = new SharedInformerFactory(o.client, { clock, log });
    const broadcaster = new EventBroadcaster(o.client, { clock, log });
    const running: { name: string; controller: RunningController }[] = [];
    log(controllers.length === 0
      ? 'no controllers to run yet'
      : `running controllers: ${controllers.map((c) => c.name).join(', ')}`);
    for (const c of controllers) {
      try {
        const controller = await c.start({
          client: o.client.withUserAgent(defaultUserAgent(CONTROLLER_MANAGER_USER_AGENT, c.name)),
          informers,
          recorder: broadcaster.newRecorder({ component: c.eventSource ?? c.name }),
          clock,
          log: (m) => log(`${c.name}: ${m}`),
          flags: o.flags,
        });
        running.push({ name: c.name, controller });
        log(`Started "${c.name}"`);
      } catch (err) {
        log(`Error starting "${c.name}": ${describeError(err)}`);
      }
    }
    informers.start();
    return async () => {
      await Promise.all(running.map((r) => r.controller.stop().catch((err) => log(`stopping ${r.name}: ${describeError(err)}`))));
      await informers.shutdown();
      await broadcaster.shutdown();
    };
  };

  const handle = runLeaderElected({
    client,
    lease: { namespace: 'kube-system', name: 'kube-controller-manager' },
    leaderElect: o.leaderElect,
    settings: o.leaderElection,
    identity: o.identity,
    log,
    start,
    elector: { clock },
  });
  return { name: 'controller-manager', stop: () => handle.stop() };
}
