// A stand-in for the scheduler and kubelet in controller tests, until simulated nodes are used
// there: it binds pods through pods/binding, reports them Running (and Ready, unless told not to)
// through pods/status, and finishes graceful deletions — all through the API, as the real
// components do. Driven by a watch, never by polling.
import type { KObject } from '../../src/apimachinery/types.ts';
import { SharedInformerFactory } from '../../src/client/cache/informer-factory.ts';
import { isConflict, isNotFound } from '../../src/client/api-error.ts';
import { GVR } from '../../src/client/resources.ts';
import type { KubeClient } from '../../src/client/kube-client.ts';

type Obj = Record<string, any>;

export async function bindPod(client: KubeClient, namespace: string, name: string, node: string): Promise<void> {
  await client.resource(GVR.pods).namespace(namespace).createSubresource(name, 'binding', {
    apiVersion: 'v1', kind: 'Binding', metadata: { name, namespace }, target: { apiVersion: 'v1', kind: 'Node', name: node },
  });
}

/** PUT pods/status: phase Running with the kubelet's conditions; Ready as asked. */
export async function setPodRunning(client: KubeClient, namespace: string, name: string, ready = true): Promise<void> {
  const pods = client.resource(GVR.pods).namespace(namespace);
  for (let attempt = 0; ; attempt++) {
    const pod = await pods.get(name);
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const r = ready ? 'True' : 'False';
    const containers = ((pod.spec as Obj).containers ?? []) as Obj[];
    pod.status = {
      ...(pod.status as Obj),
      phase: 'Running', podIP: '10.244.0.10', startTime: now,
      conditions: [
        { type: 'PodReadyToStartContainers', status: 'True', lastProbeTime: null, lastTransitionTime: now },
        { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: now },
        { type: 'Ready', status: r, lastProbeTime: null, lastTransitionTime: now },
        { type: 'ContainersReady', status: r, lastProbeTime: null, lastTransitionTime: now },
        { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now },
      ],
      containerStatuses: containers.map((c) => ({
        name: c.name, image: c.image, imageID: '', ready, restartCount: 0, started: true, state: { running: { startedAt: now } },
      })),
    };
    try {
      await pods.updateStatus(pod);
      return;
    } catch (err) {
      if (!isConflict(err) || attempt > 5) throw err;
    }
  }
}

/** The node a DaemonSet pod is pinned to by its required node affinity (metadata.name In [node]). */
export function affinityNodeName(pod: KObject): string | undefined {
  const terms = (pod.spec as Obj)?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  for (const t of terms as Obj[]) {
    for (const f of (t.matchFields ?? []) as Obj[]) {
      if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0];
    }
  }
  return undefined;
}

export interface KubeletStandInOptions {
  namespace: string;
  /** Where an unbound pod goes; undefined leaves it unbound. Default: its affinity node, else "node-0". */
  nodeFor?: (pod: KObject) => string | undefined;
  /** Whether a bound pod becomes Running and Ready now (false: left Pending, looked at again on its next change). */
  runNow?: (pod: KObject) => boolean;
}

export class KubeletStandIn {
  private readonly factory: SharedInformerFactory;
  private chain: Promise<void> = Promise.resolve();
  readonly errors: unknown[] = [];

  constructor(private readonly client: KubeClient, private readonly opts: KubeletStandInOptions) {
    this.factory = new SharedInformerFactory(client, { namespace: opts.namespace });
    const informer = this.factory.forResource(GVR.pods);
    const handle = (pod: KObject) => { this.chain = this.chain.then(() => this.handle(pod)).catch((err) => { this.errors.push(err); }); };
    informer.addEventHandler({ onAdd: handle, onUpdate: (_o, p) => handle(p) });
    this.factory.start();
  }

  /** Looks at a pod again (e.g. after runNow changed its mind). */
  async poke(name: string): Promise<void> {
    const pod = await this.client.resource(GVR.pods).namespace(this.opts.namespace).get(name);
    await this.handle(pod);
  }

  private async handle(pod: KObject): Promise<void> {
    const ns = this.opts.namespace;
    const name = pod.metadata.name!;
    const spec = (pod.spec ?? {}) as Obj;
    const status = (pod.status ?? {}) as Obj;
    try {
      if (pod.metadata.deletionTimestamp) {
        // The kubelet has stopped the containers: remove the pod for good.
        await this.client.resource(GVR.pods).namespace(ns).delete(name, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } });
        return;
      }
      if (!spec.nodeName) {
        const node = this.opts.nodeFor ? this.opts.nodeFor(pod) : (affinityNodeName(pod) ?? 'node-0');
        if (node) await bindPod(this.client, ns, name, node);
        return;
      }
      if (status.phase === 'Pending' && (this.opts.runNow?.(pod) ?? true)) await setPodRunning(this.client, ns, name);
    } catch (err) {
      if (!isNotFound(err) && !isConflict(err)) throw err;
    }
  }

  async stop(): Promise<void> {
    await this.factory.shutdown();
    await this.chain;
  }
}
