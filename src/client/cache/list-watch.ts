// What a reflector needs from the API: a full (paged) list and a watch, for one resource narrowed by
// namespace and selectors (client-go's ListWatch).
import type { KObject } from '../../apimachinery/types.ts';
import type { ListOptions, WatchOptions } from '../request-options.ts';
import type { ResourceClient, TypedList } from '../resource-client.ts';
import type { WatchStream } from '../watch-stream.ts';

export interface ListerWatcher<T extends KObject = KObject> {
  list(opts: Omit<ListOptions, 'labelSelector' | 'fieldSelector'>, signal?: AbortSignal): Promise<TypedList<T>>;
  watch(opts: Omit<WatchOptions, 'labelSelector' | 'fieldSelector'>): Promise<WatchStream<T>>;
}

export interface Selection {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export function listWatchFor<T extends KObject>(resource: ResourceClient<T>, sel: Selection = {}): ListerWatcher<T> {
  const rc = sel.namespace ? resource.namespace(sel.namespace) : resource;
  const selectors = { labelSelector: sel.labelSelector, fieldSelector: sel.fieldSelector };
  return {
    list: (opts, signal) => rc.listAll({ ...opts, ...selectors }, signal),
    watch: (opts) => rc.watch({ ...opts, ...selectors }),
  };
}
