// One shared informer per resource and selection for a whole process (client-go's
// SharedInformerFactory): every controller asking for pods shares one list+watch and one cache.
import type { GroupVersionResource, KObject } from '../../apimachinery/types.ts';
import type { Clock } from '../clock.ts';
import type { KubeClient } from '../kube-client.ts';
import { gvrKey } from '../resources.ts';
import type { IndexFunc } from './index-funcs.ts';
import { listWatchFor, type Selection } from './list-watch.ts';
import type { Lister } from './lister.ts';
import { SharedIndexInformer } from './shared-informer.ts';

export interface InformerFactoryOptions {
  /** Resync period for handlers that do not choose one; 0 = none. */
  defaultResyncPeriodMs?: number;
  /** Restrict every informer to one namespace (WithNamespace). */
  namespace?: string;
  clock?: Clock;
  log?: (message: string) => void;
  freeze?: boolean;
  minWatchTimeoutSeconds?: number;
}

export interface InformerRequest extends Selection {
  indexers?: Record<string, IndexFunc>;
}

export class SharedInformerFactory {
  private readonly informers = new Map<string, SharedIndexInformer<KObject>>();
  private started = false;
  private shuttingDown = false;

  constructor(private readonly client: KubeClient, private readonly opts: InformerFactoryOptions = {}) {}

  /** The shared informer for gvr (and selection); created on first request, started by start(). */
  forResource<T extends KObject = KObject>(gvr: GroupVersionResource, req: InformerRequest = {}): SharedIndexInformer<T> {
    const namespace = req.namespace ?? this.opts.namespace;
    const key = [gvrKey(gvr), namespace ?? '', req.labelSelector ?? '', req.fieldSelector ?? ''].join('|');
    let informer = this.informers.get(key) as SharedIndexInformer<T> | undefined;
    if (!informer) {
      const resource = this.client.resource<T>(gvr);
      const name = [gvr.group ? `${gvr.resource}.${gvr.group}` : gvr.resource, req.labelSelector, req.fieldSelector].filter(Boolean).join(' ');
      informer = new SharedIndexInformer<T>(listWatchFor(resource, { namespace, labelSelector: req.labelSelector, fieldSelector: req.fieldSelector }), {
        name,
        defaultResyncPeriodMs: this.opts.defaultResyncPeriodMs,
        clock: this.opts.clock,
        log: this.opts.log,
        freeze: this.opts.freeze,
        minWatchTimeoutSeconds: this.opts.minWatchTimeoutSeconds,
      });
      this.informers.set(key, informer as unknown as SharedIndexInformer<KObject>);
      if (this.started && !this.shuttingDown) informer.run();
    }
    // Indexers asked for by several controllers are added once (same name = same function).
    const missing = Object.entries(req.indexers ?? {}).filter(([n]) => !informer!.indexer.hasIndex(n));
    if (missing.length) informer.addIndexers(Object.fromEntries(missing));
    return informer;
  }

  lister<T extends KObject = KObject>(gvr: GroupVersionResource, req: Selection = {}): Lister<T> {
    return this.forResource<T>(gvr, req).lister();
  }

  /** Starts every informer requested so far (and, from now on, each new one). */
  start(): void {
    if (this.shuttingDown) return;
    this.started = true;
    for (const i of this.informers.values()) i.run();
  }

  /** Resolves true when every started informer has synced; false if stopped or aborted first. */
  async waitForCacheSync(signal?: AbortSignal): Promise<boolean> {
    const results = await Promise.all([...this.informers.values()].map((i) => i.whenSynced(signal)));
    return results.every(Boolean);
  }

  async shutdown(): Promise<void> {
    this.shuttingDown = true;
    await Promise.all([...this.informers.values()].map((i) => i.stop()));
  }
}
