// Informer caches: list+watch into indexed stores shared by every controller of a process.
export { SharedInformerFactory, type InformerFactoryOptions, type InformerRequest } from './informer-factory.ts';
export { SharedIndexInformer, type ResourceEventHandler, type HandlerRegistration, type SharedInformerOptions } from './shared-informer.ts';
export { Reflector, type ReflectorStore, type ReflectorOptions } from './reflector.ts';
export { listWatchFor, type ListerWatcher, type Selection } from './list-watch.ts';
export { Indexer } from './indexer.ts';
export { Lister, NamespaceLister, toMatcher, type SelectorLike } from './lister.ts';
export { DeletedFinalStateUnknown, deletionHandlingMetaNamespaceKeyFunc, metaNamespaceKeyFunc, objectOf, splitMetaNamespaceKey } from './keys.ts';
export * from './index-funcs.ts';
export { Backoff, type BackoffOptions } from './backoff.ts';
export { deepFreeze } from './deep-freeze.ts';
