// Listers read an informer's cache (client-go's GenericLister). The objects returned are the cache's
// own, shared with every other reader: never mutate them — copy first (structuredClone / deepCopy)
// and write the copy through the API. They are frozen (deep-freeze.ts), so a mutation throws.
import { everything, parseLabelSelector, selectorFromSet, type LabelSelectorMatcher } from '../../apimachinery/labels.ts';
import type { KObject } from '../../apimachinery/types.ts';
import { NAMESPACE_INDEX } from './index-funcs.ts';
import type { Indexer } from './indexer.ts';

/** A selector string ("app=web,tier!=db"), a label set ({app: 'web'}) or a parsed matcher. */
export type SelectorLike = LabelSelectorMatcher | string | Record<string, string> | undefined;

export function toMatcher(sel: SelectorLike): LabelSelectorMatcher {
  if (sel === undefined) return everything();
  if (typeof sel === 'string') return parseLabelSelector(sel);
  if (typeof (sel as LabelSelectorMatcher).matches === 'function') return sel as LabelSelectorMatcher;
  return selectorFromSet(sel as Record<string, string>);
}

function filter<T extends KObject>(objs: T[], sel: SelectorLike): T[] {
  const m = toMatcher(sel);
  return m.empty ? objs : objs.filter((o) => m.matches(o.metadata.labels));
}

export class Lister<T extends KObject = KObject> {
  constructor(private readonly indexer: Indexer<T>) {}

  /** Every cached object (all namespaces) matching the label selector. */
  list(selector?: SelectorLike): readonly T[] { return filter(this.indexer.list(), selector); }

  /** A cluster-scoped object by name, or an object by "namespace/name" key. */
  get(nameOrKey: string): T | undefined { return this.indexer.get(nameOrKey); }

  namespace(namespace: string): NamespaceLister<T> { return new NamespaceLister(this.indexer, namespace); }

  /** Objects whose index `indexName` has `value` (e.g. pods on a node). */
  byIndex(indexName: string, value: string): readonly T[] { return this.indexer.byIndex(indexName, value); }
}

export class NamespaceLister<T extends KObject = KObject> {
  constructor(private readonly indexer: Indexer<T>, readonly namespace: string) {}

  list(selector?: SelectorLike): readonly T[] {
    return filter(this.indexer.byIndex(NAMESPACE_INDEX, this.namespace), selector);
  }

  get(name: string): T | undefined { return this.indexer.get(`${this.namespace}/${name}`); }
}
