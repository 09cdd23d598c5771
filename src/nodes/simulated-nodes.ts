// The simulated kubelet of every node labelled k8ts.io/simulated=true (kwok-like): it registers the
// `--simulated-nodes` nodes, adopts any Node created with the label later, heartbeats them through
// Leases, posts their status, and plays their pods' lifecycle (pod-simulation.ts) through pods/status.
// Cheap by construction: one pod informer for bound pods, one node informer, one delaying queue per
// kind (a single timer each) and one Lease timer for all nodes.
import type { KObject } from '../apimachinery/types.ts';
import { isAlreadyExists, isConflict, isNotFound } from '../client/api-error.ts';
import { SharedInformerFactory } from '../client/cache/informer-factory.ts';
import { NODE_NAME_INDEX, nodeNameIndexFunc } from '../client/cache/index-funcs.ts';
import { objectOf, metaNamespaceKeyFunc, type DeletedFinalStateUnknown } from '../client/cache/keys.ts';
import type { Lister } from '../client/cache/lister.ts';
import { realClock, type Clock } from '../client/clock.ts';
import type { KubeClient } from '../client/kube-client.ts';
import { GVR } from '../client/resources.ts';
import { Controller } from '../controllers/framework/controller.ts';
import { MAX_SIMULATED_NODES, PodIPPool, indexOfPodCIDR, internalIPForIndex, podCIDRForIndex } from './addresses.ts';
import { DEFAULT_LEASE_RENEW_INTERVAL_MS, NodeLeaseHeartbeat } from './node-lease-heartbeat.ts';
import { DEFAULT_NODE_CAPACITY, desiredNodeStatus, internalIPOf, newSimulatedNode, type NodeCapacity } from './node-status.ts';
import { simulatePod } from './pod-simulation.ts';
import { SIMULATED_NODE_SELECTOR, heartbeatStopped } from './simulation-annotations.ts';

type Obj = Record<string, any>;

export interface SimulatedNodesOptions {
  client: KubeClient;
  /** Nodes sim-node-0 … sim-node-(count-1) are registered at start (existing ones are kept). */
  count: number;
  capacity?: Partial<NodeCapacity>;
  /** Name prefix of registered nodes; default "sim-node-". */
  namePrefix?: string;
  /** Lease renew interval (the kubelet's: 10 s). */
  leaseRenewIntervalMs?: number;
  /** nodeStatusReportFrequency: status is posted at least this often (5 min). */
  nodeStatusReportFrequencyMs?: number;
  /** How long a deleted pod's containers take to stop, at most (capped by its grace period). */
  podTerminationMs?: number;
  /** Concurrent pod syncs. */
  podWorkers?: number;
  clock?: Clock;
  log?: (message: string) => void;
}

export const DEFAULT_NODE_NAME_PREFIX = 'sim-node-';

export class SimulatedNodes {
  private readonly client: KubeClient;
  private readonly clock: Clock;
  private readonly log: (m: string) => void;
  private readonly capacity: NodeCapacity;
  private readonly informers: SharedInformerFactory;
  private readonly nodes: Lister;
  private readonly pods: Lister;
  private readonly podController: Controller;
  private readonly nodeController: Controller;
  private readonly heartbeat: NodeLeaseHeartbeat;
  /** Per node: its pod address pool (rebuilt from the pods' status after a restart). */
  private readonly pools = new Map<string, PodIPPool>();
  /** Per pod key: the address it holds and on which node. */
  private readonly podIPs = new Map<string, { node: string; ip: string }>();
  private readonly reportEveryMs: number;
  private readonly terminationMs: number;

  constructor(private readonly o: SimulatedNodesOptions) {
    this.client = o.client;
    this.clock = o.clock ?? realClock;
    this.log = o.log ?? (() => {});
    this.capacity = { ...DEFAULT_NODE_CAPACITY, ...o.capacity };
    this.reportEveryMs = o.nodeStatusReportFrequencyMs ?? 5 * 60_000;
    this.terminationMs = o.podTerminationMs ?? 1000;
    this.informers = new SharedInformerFactory(this.client, { clock: this.clock, log: this.log });
    const nodeInformer = this.informers.forResource(GVR.nodes, { labelSelector: SIMULATED_NODE_SELECTOR });
    // Bound pods only: the simulated nodes never look at pending ones.
    const podInformer = this.informers.forResource(GVR.pods, { fieldSelector: 'spec.nodeName!=', indexers: { [NODE_NAME_INDEX]: nodeNameIndexFunc } });
    this.nodes = nodeInformer.lister();
    this.pods = podInformer.lister();
    this.podController = new Controller({
      name: 'simulated-kubelet-pods', reconcile: (k) => this.syncPod(k), workers: o.podWorkers ?? 8,
      caches: [nodeInformer, podInformer], clock: this.clock, log: this.log,
    });
    this.nodeController = new Controller({
      name: 'simulated-kubelet-nodes', reconcile: (k) => this.syncNode(k), workers: 1,
      caches: [nodeInformer, podInformer], clock: this.clock, log: this.log,
    });
    this.heartbeat = new NodeLeaseHeartbeat(this.client, this.clock, o.leaseRenewIntervalMs ?? DEFAULT_LEASE_RENEW_INTERVAL_MS,
      () => this.nodes.list().filter((n) => !heartbeatStopped(n)), this.log);

    nodeInformer.addEventHandler({
      onAdd: (n) => this.onNode(n),
      onUpdate: (old, n) => {
        this.onNode(n);
        // A node coming back (heartbeat resumed) or getting its CIDR: its pods need a look.
        if (heartbeatStopped(old) !== heartbeatStopped(n) || internalIPOf(old) !== internalIPOf(n) || (old.spec as Obj)?.podCIDR !== (n.spec as Obj)?.podCIDR) {
          this.enqueuePodsOf(n.metadata.name!);
        }
      },
      onDelete: (n) => this.onNodeGone(objectOf(n as KObject | DeletedFinalStateUnknown).metadata.name!),
    });
    podInformer.addEventHandler({
      onAdd: (p) => this.onPod(p),
      onUpdate: (_old, p) => this.onPod(p),
      onDelete: (p) => {
        const pod = objectOf(p as KObject | DeletedFinalStateUnknown);
        this.releaseIP(metaNamespaceKeyFunc(pod));
        this.podController.enqueue(pod);
      },
    });
  }

  /** Registers the configured nodes, then starts informers, workers and heartbeats. */
  async start(): Promise<void> {
    await this.addNodes(this.o.count, 0);
    this.informers.start();
    void this.podController.run();
    void this.nodeController.run();
    await this.informers.waitForCacheSync();
    this.heartbeat.start();
  }

  async stop(): Promise<void> {
    await this.heartbeat.stop();
    await Promise.all([this.podController.stop(), this.nodeController.stop()]);
    await this.informers.shutdown();
  }

  /** Registers nodes `<prefix>from` … `<prefix>(from+count-1)`; existing ones are left as they are. */
  async addNodes(count: number, from: number): Promise<string[]> {
    const prefix = this.o.namePrefix ?? DEFAULT_NODE_NAME_PREFIX;
    const names: string[] = [];
    const now = this.clock.now();
    for (let i = from; i < from + count; i++) {
      if (i >= MAX_SIMULATED_NODES) throw new Error(`at most ${MAX_SIMULATED_NODES} simulated nodes fit the pod address ranges`);
      const name = `${prefix}${i}`;
      names.push(name);
    }
    await Promise.all(names.map(async (name, k) => {
      const i = from + k;
      try {
        await this.client.resource(GVR.nodes).create(newSimulatedNode(name, podCIDRForIndex(i), internalIPForIndex(i), this.capacity, now));
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
      }
    }));
    return names;
  }

  /** Names of the nodes this simulator currently runs. */
  nodeNames(): string[] { return this.nodes.list().map((n) => n.metadata.name!).sort(); }

  // --- handlers -----------------------------------------------------------------------------------

  private onNode(node: KObject): void {
    const name = node.metadata.name!;
    const cidr = (node.spec as Obj)?.podCIDR as string | undefined;
    if (cidr && this.pools.get(name)?.cidr !== cidr) {
      try {
        const pool = new PodIPPool(cidr);
        this.pools.set(name, pool);
        for (const pod of this.pods.byIndex(NODE_NAME_INDEX, name)) this.claimIP(pod, name);
      } catch (err) {
        this.log(`node ${name}: ${(err as Error).message}`);
      }
    }
    this.nodeController.enqueue(name);
  }

  private onNodeGone(name: string): void {
    this.pools.delete(name);
    this.heartbeat.forget(name);
  }

  private onPod(pod: KObject): void {
    const nodeName = (pod.spec as Obj)?.nodeName as string | undefined;
    if (!nodeName || !this.nodes.get(nodeName)) return;
    this.claimIP(pod, nodeName);
    this.podController.enqueue(pod);
  }

  private enqueuePodsOf(nodeName: string): void {
    for (const pod of this.pods.byIndex(NODE_NAME_INDEX, nodeName)) this.podController.enqueue(pod);
  }

  // --- pod addresses ------------------------------------------------------------------------------

  /** An address already in a pod's status stays that pod's (after a restart too). */
  private claimIP(pod: KObject, nodeName: string): void {
    const key = metaNamespaceKeyFunc(pod);
    if (this.podIPs.has(key) || (pod.spec as Obj)?.hostNetwork === true) return;
    const ip = (pod.status as Obj)?.podIP as string | undefined;
    const pool = this.pools.get(nodeName);
    if (ip && pool?.claim(ip)) this.podIPs.set(key, { node: nodeName, ip });
  }

  private ipFor(key: string, nodeName: string): string | undefined {
    const held = this.podIPs.get(key);
    if (held?.node === nodeName) return held.ip;
    const pool = this.pools.get(nodeName);
    const ip = pool?.allocate();
    if (ip) this.podIPs.set(key, { node: nodeName, ip });
    else this.log(`node ${nodeName}: no free pod address for ${key}`);
    return ip;
  }

  private releaseIP(key: string): void {
    const held = this.podIPs.get(key);
    if (!held) return;
    this.podIPs.delete(key);
    this.pools.get(held.node)?.release(held.ip);
  }

  // --- reconcile ----------------------------------------------------------------------------------

  private async syncPod(key: string): Promise<void> {
    const pod = this.pods.get(key);
    if (!pod) {
      this.releaseIP(key);
      return;
    }
    const nodeName = (pod.spec as Obj)?.nodeName as string;
    const node = this.nodes.get(nodeName);
    // Not ours, or the node is "down": a stopped kubelet does nothing.
    if (!node || heartbeatStopped(node)) return;
    const hostIP = internalIPOf(node);
    if (!hostIP) return; // the node's status comes first (syncNode), which re-enqueues its pods
    const podIP = (pod.spec as Obj)?.hostNetwork === true ? hostIP : this.ipFor(key, nodeName);
    if (!podIP) throw new Error(`node ${nodeName} has no free pod address`);
    const now = this.clock.now();
    const r = simulatePod(pod, { now, podIP, hostIP, terminationMs: this.terminationMs });
    const pods = this.client.resource(GVR.pods).namespace(pod.metadata.namespace!);
    try {
      if (r.status) await pods.updateStatus({ ...pod, status: r.status });
      if (r.delete) {
        await pods.delete(pod.metadata.name!, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } });
        this.releaseIP(key);
        return;
      }
    } catch (err) {
      // A newer version (or the deletion) is on its way through the informer, which re-enqueues.
      if (isConflict(err) || isNotFound(err)) return;
      throw err;
    }
    if (r.nextAt !== undefined) this.podController.enqueueAfter(key, Math.max(0, r.nextAt - now));
  }

  private async syncNode(name: string): Promise<void> {
    const node = this.nodes.get(name);
    if (!node || heartbeatStopped(node)) return;
    const nodes = this.client.resource(GVR.nodes);
    const spec: Obj = (node.spec as Obj) ?? {};
    try {
      if (!spec.podCIDR) {
        // Adopted without a pod range: give it the first free one (the node IPAM controller's job upstream).
        const cidr = podCIDRForIndex(this.freeIndex());
        await nodes.update({ ...node, spec: { ...spec, podCIDR: cidr, podCIDRs: [cidr] } });
        return;
      }
      const index = indexOfPodCIDR(spec.podCIDR) ?? this.freeIndex();
      const now = this.clock.now();
      const { status, changed } = desiredNodeStatus(node, internalIPOf(node) ?? internalIPForIndex(index), this.capacity, now, this.reportEveryMs);
      if (changed) {
        const written = await nodes.updateStatus({ ...node, status });
        await this.heartbeat.renew(written).catch((err) => this.log(`lease for ${name}: ${(err as Error).message}`));
      }
    } catch (err) {
      if (isConflict(err) || isNotFound(err)) return;
      throw err;
    }
    this.nodeController.enqueueAfter(name, this.reportEveryMs);
  }

  private freeIndex(): number {
    const used = new Set<number>();
    for (const n of this.nodes.list()) {
      const i = indexOfPodCIDR((n.spec as Obj)?.podCIDR);
      if (i !== undefined) used.add(i);
    }
    for (let i = 0; i < MAX_SIMULATED_NODES; i++) if (!used.has(i)) return i;
    throw new Error(`at most ${MAX_SIMULATED_NODES} simulated nodes fit the pod address ranges`);
  }
}
