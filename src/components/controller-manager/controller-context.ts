// What each controller is started with (upstream's ControllerContext): a client named after it,
// the process-wide shared informers, an event recorder and the clock.
import type { Clock } from '../../client/clock.ts';
import type { SharedInformerFactory } from '../../client/cache/informer-factory.ts';
import type { KubeClient } from '../../client/kube-client.ts';
import type { EventRecorder } from '../../controllers/framework/events/event-recorder.ts';
import type { ControllerManagerFlags } from './controller-flags.ts';

export interface ControllerContext {
  /** A client whose user agent ends in the controller's name (as rest.AddUserAgent). */
  client: KubeClient;
  informers: SharedInformerFactory;
  /** Events signed with source.component = the controller's name. */
  recorder: EventRecorder;
  clock: Clock;
  log: (message: string) => void;
  /** kube-controller-manager flags some controllers read (defaults when absent). */
  flags?: ControllerManagerFlags;
}

export interface RunningController {
  /** Stop workers and wait for reconciles in flight. */
  stop(): Promise<void>;
}

export interface ControllerDescriptor {
  /** Upstream's name, e.g. "deployment-controller" (also the events' source component). */
  name: string;
  /** The events' source component when upstream's differs from the name ("replication-controller"). */
  eventSource?: string;
  /**
   * Register informers and handlers and start the workers (which wait for the caches). The
   * informer factory is started after every controller has been initialised, as upstream.
   */
  start(ctx: ControllerContext): RunningController | Promise<RunningController>;
}
