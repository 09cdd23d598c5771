// The store's keys kept sorted (binary-search insert/remove), so prefix lists and counts need no
// sort per request.

export class SortedKeys {
  private keys: string[] = [];

  get length(): number { return this.keys.length; }

  at(i: number): string { return this.keys[i]; }

  /** Replace the contents (e.g. after loading); sorts once. */
  reset(keys: string[]): void {
    this.keys = keys.slice().sort(compare);
  }

  insert(key: string): void {
    const i = this.lowerBound(key);
    if (this.keys[i] !== key) this.keys.splice(i, 0, key);
  }

  remove(key: string): void {
    const i = this.lowerBound(key);
    if (this.keys[i] === key) this.keys.splice(i, 1);
  }

  /** Index of the first key >= key. */
  lowerBound(key: string): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keys[mid] < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Index of the first key > key. */
  upperBound(key: string): number {
    const i = this.lowerBound(key);
    return this.keys[i] === key ? i + 1 : i;
  }
}

export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
