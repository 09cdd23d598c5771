// addAfter (client-go's DelayingInterface): an item becomes ready after a delay on the injected
// clock. Adding an item that already waits keeps the earlier of the two ready times.
import { realClock, type Clock, type TimerHandle } from '../../../client/clock.ts';
import { WorkQueue } from './queue.ts';

interface Waiting<T> { item: T; at: number }

export class DelayingQueue<T> extends WorkQueue<T> {
  private readonly readyAt = new Map<T, number>();
  /** Min-heap by ready time; entries whose time no longer matches readyAt are stale and skipped. */
  private readonly heap: Waiting<T>[] = [];
  private timer?: TimerHandle;
  private timerAt = Infinity;

  constructor(protected readonly clock: Clock = realClock) {
    super();
  }

  addAfter(item: T, delayMs: number): void {
    if (this.shuttingDown()) return;
    if (delayMs <= 0) {
      this.add(item);
      return;
    }
    const at = this.clock.now() + delayMs;
    const existing = this.readyAt.get(item);
    if (existing !== undefined && existing <= at) return;
    this.readyAt.set(item, at);
    this.push({ item, at });
    this.arm();
  }

  /** Items waiting for their delay. */
  waitingCount(): number { return this.readyAt.size; }

  protected override onShutDown(): void {
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
    this.readyAt.clear();
    this.heap.length = 0;
  }

  private fire(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = this.clock.now();
    while (this.heap.length > 0 && this.heap[0]!.at <= now) {
      const w = this.popHeap();
      if (this.readyAt.get(w.item) !== w.at) continue;
      this.readyAt.delete(w.item);
      this.add(w.item);
    }
    this.arm();
  }

  private arm(): void {
    while (this.heap.length > 0 && this.readyAt.get(this.heap[0]!.item) !== this.heap[0]!.at) this.popHeap();
    if (this.heap.length === 0) return;
    const next = this.heap[0]!.at;
    if (next >= this.timerAt) return;
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timerAt = next;
    this.timer = this.clock.setTimeout(() => this.fire(), next - this.clock.now());
  }

  private push(w: Waiting<T>): void {
    const h = this.heap;
    h.push(w);
    for (let i = h.length - 1; i > 0;) {
      const p = (i - 1) >> 1;
      if (h[p]!.at <= h[i]!.at) break;
      [h[p], h[i]] = [h[i]!, h[p]!];
      i = p;
    }
  }

  private popHeap(): Waiting<T> {
    const h = this.heap;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < h.length && h[l]!.at < h[m]!.at) m = l;
        if (r < h.length && h[r]!.at < h[m]!.at) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i]!, h[m]!];
        i = m;
      }
    }
    return top;
  }
}
