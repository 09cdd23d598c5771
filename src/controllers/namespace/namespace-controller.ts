// The namespace controller (upstream pkg/controller/namespace): namespaces being deleted are queued;
// each sync empties the namespace and finalizes it (namespaced-resources-deleter.ts). Content that
// is still going away (graceful pods, finalizers) is looked at again after half its estimate.
import type { KObject } from '../../apimachinery/types.ts';
import { DEFAULT_BURST, DEFAULT_QPS } from '../../client/config.ts';
import { KubeClient } from '../../client/kube-client.ts';
import { GVR } from '../../client/resources.ts';
import type { ControllerDescriptor, RunningController } from '../../components/controller-manager/controller-context.ts';
import { Controller } from '../framework/controller.ts';
import { NamespacedResourcesDeleter, ResourcesRemainingError } from './namespaced-resources-deleter.ts';

/** Upstream's --concurrent-namespace-syncs default. */
const WORKERS = 10;
/** Upstream's namespace resync period. */
const RESYNC_MS = 5 * 60_000;

export const namespaceController: ControllerDescriptor = {
  name: 'namespace-controller',
  start(ctx): RunningController {
    const informer = ctx.informers.forResource(GVR.namespaces);
    const lister = informer.lister();
    // Emptying a namespace is very chatty (a delete and a list per resource type), so, as upstream's
    // startNamespaceController, it gets its own client with QPS x20 and burst x100.
    const base = ctx.client.config;
    const nsClient = new KubeClient({ ...base, qps: (base.qps ?? DEFAULT_QPS) * 20, burst: (base.burst ?? DEFAULT_BURST) * 100 }, { resources: ctx.client.resources, clock: ctx.clock });
    const deleter = new NamespacedResourcesDeleter(nsClient, ctx.clock, ctx.log);
    const controller: Controller = new Controller({
      name: 'namespace', workers: WORKERS, caches: [informer], clock: ctx.clock, log: ctx.log,
      async reconcile(key) {
        if (!lister.get(key)) return;
        try {
          await deleter.delete(key);
        } catch (err) {
          if (!(err instanceof ResourcesRemainingError)) throw err;
          controller.enqueueAfter(key, (Math.floor(err.estimate / 2) + 1) * 1000);
        }
      },
    });
    // Only namespaces being deleted have work to do.
    const enqueue = (ns: KObject) => { if (ns.metadata.deletionTimestamp) controller.enqueue(ns); };
    informer.addEventHandler({ onAdd: enqueue, onUpdate: (_old, ns) => enqueue(ns) }, { resyncPeriodMs: RESYNC_MS });
    void controller.run();
    return { stop: async () => { await controller.stop(); nsClient.close(); } };
  },
};
