// Open watch streams, so that shutdown can end every one of them cleanly.
export class WatchRegistry {
  private readonly open = new Set<() => void>();
  add(end: () => void): () => void {
    this.open.add(end);
    return () => this.open.delete(end);
  }
  endAll(): void {
    for (const end of [...this.open]) end();
    this.open.clear();
  }
  get size(): number { return this.open.size; }
}
