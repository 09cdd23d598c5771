// The work queue of client-go (util/workqueue): FIFO with de-duplication. An item added while it
// waits is queued once; an item being processed is never handed to a second worker — adding it
// then marks it dirty and it is queued again when the worker calls done().

export type GetResult<T> = { item: T; shutdown: false } | { item: undefined; shutdown: true };

export class WorkQueue<T> {
  private items: T[] = [];
  private head = 0;
  /** Items that need processing (queued, or re-added while processing). */
  private readonly dirty = new Set<T>();
  private readonly processing = new Set<T>();
  private readonly waiters: Array<(r: GetResult<T>) => void> = [];
  private readonly drainWaiters: Array<() => void> = [];
  private down = false;

  add(item: T): void {
    if (this.down || this.dirty.has(item)) return;
    this.dirty.add(item);
    if (this.processing.has(item)) return;
    this.items.push(item);
    this.dispatch();
  }

  /** Items waiting to be handed out (not those being processed). */
  len(): number { return this.items.length - this.head; }

  /** The next item; waits while the queue is empty. After shutDown, returns shutdown once the queue is drained. */
  get(): Promise<GetResult<T>> {
    if (this.len() > 0) return Promise.resolve({ item: this.pop(), shutdown: false });
    if (this.down) return Promise.resolve({ item: undefined, shutdown: true });
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** The worker finished item; if it was re-added meanwhile it is queued again. */
  done(item: T): void {
    this.processing.delete(item);
    if (this.dirty.has(item)) {
      this.items.push(item);
      this.dispatch();
    }
    if (this.processing.size === 0) for (const w of this.drainWaiters.splice(0)) w();
  }

  /** New adds are ignored; waiting get()s return shutdown; queued items can still be taken. */
  shutDown(): void {
    this.down = true;
    this.onShutDown();
    if (this.len() === 0) for (const w of this.waiters.splice(0)) w({ item: undefined, shutdown: true });
  }

  /** shutDown, then wait until every item handed out has been marked done. */
  async shutDownWithDrain(): Promise<void> {
    this.shutDown();
    if (this.processing.size === 0) return;
    await new Promise<void>((resolve) => this.drainWaiters.push(resolve));
  }

  shuttingDown(): boolean { return this.down; }

  /** Hook for subclasses (timers to cancel). */
  protected onShutDown(): void {}

  private pop(): T {
    const item = this.items[this.head]!;
    this.items[this.head++] = undefined as T;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    this.processing.add(item);
    this.dirty.delete(item);
    return item;
  }

  private dispatch(): void {
    while (this.waiters.length > 0 && this.len() > 0) this.waiters.shift()!({ item: this.pop(), shutdown: false });
  }
}
