// The informer's store: objects by key plus secondary indices (client-go's threadSafeStore with
// Indexers). Index values are kept in step with every add/update/delete/replace.
import type { KObject } from '../../apimachinery/types.ts';
import { NAMESPACE_INDEX, metaNamespaceIndexFunc, type IndexFunc } from './index-funcs.ts';

export class Indexer<T extends KObject = KObject> {
  private readonly items = new Map<string, T>();
  private readonly indexers = new Map<string, IndexFunc>();
  /** index name → index value → keys */
  private readonly indices = new Map<string, Map<string, Set<string>>>();

  constructor(indexers: Record<string, IndexFunc> = {}) {
    this.addIndexers({ [NAMESPACE_INDEX]: metaNamespaceIndexFunc, ...indexers });
  }

  /** Adds index functions; existing objects are indexed at once. Adding a name twice is an error, as upstream. */
  addIndexers(indexers: Record<string, IndexFunc>): void {
    for (const [name, fn] of Object.entries(indexers)) {
      if (this.indexers.has(name)) throw new Error(`indexer conflict: ${name}`);
      this.indexers.set(name, fn);
      const index = new Map<string, Set<string>>();
      this.indices.set(name, index);
      for (const [key, obj] of this.items) for (const v of fn(obj)) addTo(index, v, key);
    }
  }

  hasIndex(name: string): boolean { return this.indexers.has(name); }

  get size(): number { return this.items.size; }

  get(key: string): T | undefined { return this.items.get(key); }

  list(): T[] { return [...this.items.values()]; }

  listKeys(): string[] { return [...this.items.keys()]; }

  /** Adds or replaces; returns the previous object. */
  set(key: string, obj: T): T | undefined {
    const old = this.items.get(key);
    this.items.set(key, obj);
    this.updateIndices(key, old, obj);
    return old;
  }

  delete(key: string): T | undefined {
    const old = this.items.get(key);
    if (old === undefined) return undefined;
    this.items.delete(key);
    this.updateIndices(key, old, undefined);
    return old;
  }

  /** Objects whose index `name` has `value`. */
  byIndex(name: string, value: string): T[] {
    return this.indexKeys(name, value).map((k) => this.items.get(k)!);
  }

  indexKeys(name: string, value: string): string[] {
    const index = this.indices.get(name);
    if (!index) throw new Error(`index with name ${name} does not exist`);
    return [...(index.get(value) ?? [])];
  }

  /** The values present in index `name`. */
  listIndexFuncValues(name: string): string[] {
    return [...(this.indices.get(name)?.keys() ?? [])];
  }

  private updateIndices(key: string, old: T | undefined, cur: T | undefined): void {
    for (const [name, fn] of this.indexers) {
      const index = this.indices.get(name)!;
      const before = old ? fn(old) : [];
      const after = cur ? fn(cur) : [];
      if (before.length === 1 && after.length === 1 && before[0] === after[0]) continue;
      for (const v of before) if (!after.includes(v)) removeFrom(index, v, key);
      for (const v of after) addTo(index, v, key);
    }
  }
}

function addTo(index: Map<string, Set<string>>, value: string, key: string): void {
  let keys = index.get(value);
  if (!keys) index.set(value, keys = new Set());
  keys.add(key);
}

function removeFrom(index: Map<string, Set<string>>, value: string, key: string): void {
  const keys = index.get(value);
  if (!keys) return;
  keys.delete(key);
  if (keys.size === 0) index.delete(value);
}
