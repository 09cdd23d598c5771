// Expectations (upstream's ControllerExpectations): after a controller asks for N creates or
// deletes it waits until its informer has seen them before syncing that key again, so a stale cache
// cannot make it create the same pods twice. Expectations older than 5 minutes are ignored, so a
// lost watch event cannot wedge a controller.
import { realClock, type Clock } from '../../client/clock.ts';

export const EXPECTATIONS_TIMEOUT_MS = 5 * 60 * 1000;

export interface Expectation {
  add: number;
  del: number;
  /** When the expectations were set (clock ms). */
  timestamp: number;
}

export class ControllerExpectations {
  private readonly store = new Map<string, Expectation>();

  constructor(protected readonly clock: Clock = realClock, private readonly timeoutMs = EXPECTATIONS_TIMEOUT_MS) {}

  getExpectations(key: string): Readonly<Expectation> | undefined { return this.store.get(key); }

  /** True when the controller may sync key: nothing expected, all observed, or the expectations expired. */
  satisfiedExpectations(key: string): boolean {
    const e = this.store.get(key);
    if (!e) return true;
    if (e.add <= 0 && e.del <= 0) return true;
    return this.clock.now() - e.timestamp > this.timeoutMs;
  }

  setExpectations(key: string, add: number, del: number): void {
    this.store.set(key, { add, del, timestamp: this.clock.now() });
  }

  expectCreations(key: string, adds: number): void { this.setExpectations(key, adds, 0); }

  expectDeletions(key: string, dels: number): void { this.setExpectations(key, 0, dels); }

  /** Expect more (the timestamp is kept). */
  raiseExpectations(key: string, add: number, del: number): void {
    const e = this.store.get(key);
    if (e) { e.add += add; e.del += del; }
  }

  lowerExpectations(key: string, add: number, del: number): void {
    const e = this.store.get(key);
    if (e) { e.add -= add; e.del -= del; }
  }

  /** An informer saw a create this controller asked for (or a create failed and will not be seen). */
  creationObserved(key: string): void { this.lowerExpectations(key, 1, 0); }

  deletionObserved(key: string): void { this.lowerExpectations(key, 0, 1); }

  deleteExpectations(key: string): void { this.store.delete(key); }
}

/**
 * Deletions tracked by the deleted objects' keys (UIDTrackingControllerExpectations): a delete
 * observed twice (update with deletionTimestamp, then the delete) lowers the count once.
 */
export class UIDTrackingControllerExpectations extends ControllerExpectations {
  private readonly uids = new Map<string, Set<string>>();

  getUIDs(controllerKey: string): ReadonlySet<string> | undefined { return this.uids.get(controllerKey); }

  expectDeletionsOf(controllerKey: string, deletedKeys: string[]): void {
    this.uids.set(controllerKey, new Set(deletedKeys));
    this.expectDeletions(controllerKey, deletedKeys.length);
  }

  deletionObservedOf(controllerKey: string, deletedKey: string): void {
    const set = this.uids.get(controllerKey);
    if (set?.delete(deletedKey)) this.deletionObserved(controllerKey);
  }

  override deleteExpectations(key: string): void {
    this.uids.delete(key);
    super.deleteExpectations(key);
  }
}
