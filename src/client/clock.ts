// Time as a dependency (k8s.io/utils/clock): back-off, leases, expectations and work-queue delays read
// the clock they are given, so tests step a FakeClock instead of sleeping.

/** An opaque timer returned by Clock.setTimeout. */
export type TimerHandle = object;

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, Math.max(0, ms)),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** Resolves after ms on clock; rejects with the signal's reason when aborted first. */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clock.clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

interface FakeTimer {
  at: number;
  seq: number;
  fn: () => void;
}

/** A clock that moves only when told to; due timers fire in time order during step(). */
export class FakeClock implements Clock {
  private time: number;
  private seq = 0;
  private readonly timers = new Set<FakeTimer>();

  constructor(start: number | Date = Date.UTC(2025, 0, 1)) {
    this.time = typeof start === 'number' ? start : start.getTime();
  }

  now(): number { return this.time; }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const t: FakeTimer = { at: this.time + Math.max(0, ms), seq: this.seq++, fn };
    this.timers.add(t);
    return t;
  }

  clearTimeout(handle: TimerHandle): void { this.timers.delete(handle as FakeTimer); }

  /** Timers not yet fired. */
  get pendingTimers(): number { return this.timers.size; }

  /** Advance by ms, firing every timer that falls due (including ones set by fired timers). */
  step(ms: number): void { this.setTime(this.time + ms); }

  setTime(to: number): void {
    for (;;) {
      let next: FakeTimer | undefined;
      for (const t of this.timers) {
        if (t.at <= to && (!next || t.at < next.at || (t.at === next.at && t.seq < next.seq))) next = t;
      }
      if (!next) break;
      this.timers.delete(next);
      this.time = Math.max(this.time, next.at);
      next.fn();
    }
    this.time = Math.max(this.time, to);
  }
}
