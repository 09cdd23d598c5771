// A watch read like the e2e suite reads watch.Interface.ResultChan(): events are queued as they arrive
// and consumed in order, so "the next event after X" and "no event of kind Y before Z" can be asserted
// without sleeping.
import { Watch, type KubeConfig } from '@kubernetes/client-node';

export interface WatchEvent {
  type: string;
  object: any;
}

export interface EventStream {
  /** Every event received so far, in order. */
  readonly events: WatchEvent[];
  /** The next unconsumed event (waits for it). */
  next(timeoutMs?: number): Promise<WatchEvent>;
  /** Consumes events until one matches (like watchtools.Until); earlier ones are skipped. */
  until(match: (e: WatchEvent) => boolean, what: string, timeoutMs?: number): Promise<WatchEvent>;
  stop(): void;
  /** Set when the server or the network ended the watch. */
  readonly ended: boolean;
}

export async function openWatch(kc: KubeConfig, path: string, query: Record<string, string | number | boolean | undefined> = {}): Promise<EventStream> {
  const events: WatchEvent[] = [];
  let cursor = 0;
  let ended = false;
  let endError: unknown;
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const l of listeners) l();
  };
  const controller = await new Watch(kc).watch(
    path,
    query,
    (type, object) => {
      events.push({ type, object });
      notify();
    },
    (err) => {
      ended = true;
      endError = err;
      notify();
    },
  );

  function waitFor(match: (e: WatchEvent) => boolean, what: string, timeoutMs: number): Promise<WatchEvent> {
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        listeners.delete(check);
      };
      const check = () => {
        while (cursor < events.length) {
          const e = events[cursor++]!;
          if (match(e)) {
            done();
            resolve(e);
            return;
          }
        }
        if (ended) {
          done();
          reject(new Error(`watch ${path} closed before ${what}${endError ? `: ${String((endError as Error).message ?? endError)}` : ''}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        const seen = events.map((e) => `${e.type} ${e.object?.metadata?.name ?? ''}@${e.object?.metadata?.resourceVersion ?? ''}`).join(', ');
        reject(new Error(`timed out after ${timeoutMs}ms waiting for ${what} on watch ${path} (events: ${seen || 'none'})`));
      }, timeoutMs);
      listeners.add(check);
      check();
    });
  }

  return {
    events,
    get ended() {
      return ended;
    },
    next: (timeoutMs = 10_000) => waitFor(() => true, 'the next event', timeoutMs),
    until: (match, what, timeoutMs = 30_000) => waitFor(match, what, timeoutMs),
    stop: () => controller.abort(),
  };
}

/** "TYPE name" of an event, for messages and ordered comparisons. */
export function describeEvent(e: WatchEvent): string {
  return `${e.type} ${e.object?.metadata?.name ?? '?'}`;
}
