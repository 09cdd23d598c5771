// Where the scheduler plugs into the kube-scheduler component: its run function is given a client
// and the shared informers and returns a stop function.
import type { Clock } from '../../client/clock.ts';
import type { SharedInformerFactory } from '../../client/cache/informer-factory.ts';
import type { KubeClient } from '../../client/kube-client.ts';
import type { EventRecorder } from '../../controllers/framework/events/event-recorder.ts';
import { runScheduler } from '../../scheduler/index.ts';

export interface SchedulerContext {
  client: KubeClient;
  informers: SharedInformerFactory;
  /** Events signed "default-scheduler", as upstream's FailedScheduling/Scheduled events. */
  recorder: EventRecorder;
  clock: Clock;
  log: (message: string) => void;
}

export type SchedulerRunner = (ctx: SchedulerContext) => Promise<() => Promise<void>>;

export const schedulerRunner: SchedulerRunner | undefined = runScheduler;
