// Index functions for Indexer: an object's values under an index name. The namespace index is built
// into every informer; the others are what controllers commonly add.
import type { KObject } from '../../apimachinery/types.ts';

export type IndexFunc = (obj: KObject) => string[];

export const NAMESPACE_INDEX = 'namespace';
export const NODE_NAME_INDEX = 'spec.nodeName';
export const OWNER_UID_INDEX = 'ownerUID';
export const CONTROLLER_UID_INDEX = 'controllerUID';

export const metaNamespaceIndexFunc: IndexFunc = (obj) => [obj.metadata.namespace ?? ''];

/** Pods by the node they are bound to (unbound pods are not indexed). */
export const nodeNameIndexFunc: IndexFunc = (obj) => {
  const node = (obj.spec as { nodeName?: string } | undefined)?.nodeName;
  return node ? [node] : [];
};

/** Objects by the uid of every owner. */
export const ownerUIDIndexFunc: IndexFunc = (obj) => (obj.metadata.ownerReferences ?? []).map((r) => r.uid);

/** Objects by the uid of their controller (the owner reference with controller: true). */
export const controllerUIDIndexFunc: IndexFunc = (obj) => {
  const ref = obj.metadata.ownerReferences?.find((r) => r.controller);
  return ref ? [ref.uid] : [];
};
