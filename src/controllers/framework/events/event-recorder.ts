// Recording core/v1 Events (client-go's EventBroadcaster + EventRecorder). Recording never blocks
// the caller: events go into a bounded queue and one writer sends them in order through the
// correlator (spam filter, aggregation, count bumps) to the API. Write failures from the server
// being away are retried a few times; anything else is logged and the event dropped, as upstream.
import { format } from 'node:util';
import type { KObject } from '../../../apimachinery/types.ts';
import { isAlreadyExists, isConnectionError, isNotFound } from '../../../client/api-error.ts';
import { StatusError } from '../../../apimachinery/errors.ts';
import { realClock, sleep, type Clock } from '../../../client/clock.ts';
import type { KubeClient } from '../../../client/kube-client.ts';
import { GVR } from '../../../client/resources.ts';
import { describeError } from '../describe-error.ts';
import { EventCorrelator, eventName, toRFC3339, type CorrelatorOptions } from './event-correlator.ts';
import { getReference, type CoreEvent, type EventSource, type EventType, type ObjectReference } from './types.ts';

/** client-go: the broadcaster's channel holds 1000 events; more are dropped rather than block. */
const QUEUE_LENGTH = 1000;
const MAX_TRIES_PER_EVENT = 12;
const RETRY_SLEEP_MS = 10_000;

export interface EventRecorder {
  event(obj: KObject | ObjectReference, type: EventType, reason: string, message: string): void;
  /** message formatted as util.format (%s, %d, %v-like %o). */
  eventf(obj: KObject | ObjectReference, type: EventType, reason: string, fmt: string, ...args: unknown[]): void;
  annotatedEventf(obj: KObject | ObjectReference, annotations: Record<string, string>, type: EventType, reason: string, fmt: string, ...args: unknown[]): void;
}

export interface EventBroadcasterOptions extends CorrelatorOptions {
  clock?: Clock;
  log?: (message: string) => void;
  retrySleepMs?: number;
}

export class EventBroadcaster {
  private readonly queue: CoreEvent[] = [];
  private writing?: Promise<void>;
  private readonly correlator: EventCorrelator;
  private readonly clock: Clock;
  private readonly log: (m: string) => void;
  private shutDown = false;

  constructor(private readonly client: KubeClient, private readonly opts: EventBroadcasterOptions = {}) {
    this.clock = opts.clock ?? realClock;
    this.log = opts.log ?? (() => {});
    this.correlator = new EventCorrelator({ ...opts, clock: this.clock });
  }

  /** A recorder that signs events with source.component (e.g. "deployment-controller") and host. */
  newRecorder(source: EventSource): EventRecorder {
    const make = (obj: KObject | ObjectReference, annotations: Record<string, string> | undefined, type: EventType, reason: string, message: string) => {
      if (type !== 'Normal' && type !== 'Warning') {
        this.log(`unsupported event type: '${String(type)}'`);
        return;
      }
      const ref = getReference(obj);
      const now = this.clock.now();
      const ts = toRFC3339(now);
      this.enqueue({
        apiVersion: 'v1', kind: 'Event',
        metadata: { name: eventName(ref.name ?? '', now), namespace: ref.namespace || 'default', ...(annotations ? { annotations } : {}) },
        involvedObject: ref, reason, message, source: { ...source },
        firstTimestamp: ts, lastTimestamp: ts, count: 1, type, eventTime: null,
        reportingComponent: source.component ?? '', reportingInstance: source.host ?? '',
      });
    };
    return {
      event: (obj, type, reason, message) => make(obj, undefined, type, reason, message),
      eventf: (obj, type, reason, fmt, ...args) => make(obj, undefined, type, reason, format(fmt, ...args)),
      annotatedEventf: (obj, annotations, type, reason, fmt, ...args) => make(obj, annotations, type, reason, format(fmt, ...args)),
    };
  }

  /** Resolves once every event recorded so far has been written (or given up on). */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  /** Stops accepting events; pending ones are still written. */
  async shutdown(): Promise<void> {
    this.shutDown = true;
    await this.flush();
  }

  private enqueue(event: CoreEvent): void {
    if (this.shutDown) return;
    if (this.queue.length >= QUEUE_LENGTH) {
      this.log(`event queue full, dropping event ${event.reason} for ${event.involvedObject.name}`);
      return;
    }
    this.queue.push(event);
    this.writing ??= this.drain();
  }

  private async drain(): Promise<void> {
    try {
      for (let e = this.queue.shift(); e; e = this.queue.shift()) await this.recordToSink(e);
    } finally {
      this.writing = undefined;
    }
  }

  private async recordToSink(event: CoreEvent): Promise<void> {
    const result = this.correlator.correlate(event);
    if (result.skip) return;
    for (let tries = 1; ; tries++) {
      try {
        const written = await this.write(result.event, result.patch);
        if (written) this.correlator.updateState(written);
        return;
      } catch (err) {
        const retriable = isConnectionError(err) || (err instanceof StatusError && (err.code >= 500 || err.code === 429));
        if (!retriable || tries >= MAX_TRIES_PER_EVENT || this.shutDown) {
          this.log(`unable to write event '${result.event.metadata.name}' (${result.event.reason}): ${describeError(err)}`);
          return;
        }
        await sleep(this.clock, this.opts.retrySleepMs ?? RETRY_SLEEP_MS);
      }
    }
  }

  /** Patch the existing Event for a repeat; create otherwise (or when the one to patch is gone). */
  private async write(event: CoreEvent, patch: Record<string, unknown> | undefined): Promise<CoreEvent | undefined> {
    const events = this.client.resource<CoreEvent>(GVR.events).namespace(event.metadata.namespace!);
    if (patch) {
      try {
        return await events.patch(event.metadata.name!, patch, 'strategic');
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    const { resourceVersion: _rv, ...metadata } = event.metadata;
    try {
      return await events.create({ ...event, metadata });
    } catch (err) {
      // Someone (a previous attempt that timed out) already wrote it.
      if (isAlreadyExists(err)) return undefined;
      throw err;
    }
  }
}
