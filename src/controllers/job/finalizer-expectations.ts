// uidTrackingExpectations for the Job controller: the pods whose tracking finalizer it has asked to
// remove, so a stale cache that still shows the finalizer does not count those pods twice.
export class FinalizerExpectations {
  private readonly byJob = new Map<string, Set<string>>();

  getExpectedUIDs(jobKey: string): ReadonlySet<string> { return this.byJob.get(jobKey) ?? new Set(); }

  expectFinalizersRemoved(jobKey: string, uids: readonly string[]): void {
    const set = this.byJob.get(jobKey) ?? new Set<string>();
    for (const uid of uids) set.add(uid);
    this.byJob.set(jobKey, set);
  }

  finalizerRemovalObserved(jobKey: string, uid: string): void {
    const set = this.byJob.get(jobKey);
    if (!set) return;
    set.delete(uid);
    if (set.size === 0) this.byJob.delete(jobKey);
  }

  deleteExpectations(jobKey: string): void { this.byJob.delete(jobKey); }
}
