// The scheduler as the kube-scheduler component runs it (see components/scheduler/scheduler-runner.ts).
import type { SchedulerContext } from '../components/scheduler/scheduler-runner.ts';
import { Scheduler } from './scheduler.ts';

export { Scheduler } from './scheduler.ts';

/** Registers the informer handlers now (the component starts the informers), schedules once synced. */
export async function runScheduler(ctx: SchedulerContext): Promise<() => Promise<void>> {
  const s = new Scheduler({ client: ctx.client, informers: ctx.informers, recorder: ctx.recorder, clock: ctx.clock, log: ctx.log });
  s.start();
  return () => s.stop();
}
