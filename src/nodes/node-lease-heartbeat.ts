// Node heartbeats through kube-node-lease Leases, as the kubelet's nodelease controller: holder =
// node name, leaseDurationSeconds 40, renewTime every 10 s, owned by the Node (so the garbage
// collector removes it with the Node). One timer renews every node's Lease in turn — no timer per node.
import type { KObject } from '../apimachinery/types.ts';
import { isConflict, isNotFound, isAlreadyExists } from '../client/api-error.ts';
import type { Clock, TimerHandle } from '../client/clock.ts';
import type { KubeClient } from '../client/kube-client.ts';
import { GVR } from '../client/resources.ts';
import type { Lease } from '../controllers/framework/lease-lock.ts';
import { microTime } from './node-status.ts';

export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
export const NODE_LEASE_DURATION_SECONDS = 40;
/** The kubelet renews at a quarter of the lease duration. */
export const DEFAULT_LEASE_RENEW_INTERVAL_MS = 10_000;

export class NodeLeaseHeartbeat {
  private readonly cache = new Map<string, Lease>();
  /** One renewal per node at a time: a second caller shares the one in flight. */
  private readonly inflight = new Map<string, Promise<void>>();
  private timer?: TimerHandle;
  private stopped = false;
  private ticking?: Promise<void>;

  constructor(
    private readonly client: KubeClient,
    private readonly clock: Clock,
    private readonly intervalMs: number,
    /** The nodes to renew now (those whose heartbeat is not stopped). */
    private readonly nodes: () => readonly KObject[],
    private readonly log: (m: string) => void,
  ) {}

  start(): void {
    this.arm(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) this.clock.clearTimeout(this.timer);
    await this.ticking;
  }

  forget(nodeName: string): void { this.cache.delete(nodeName); }

  /** Renew one node's Lease now (a node just adopted need not wait for the next round). */
  renew(node: KObject): Promise<void> {
    const name = node.metadata.name!;
    let p = this.inflight.get(name);
    if (!p) {
      p = this.renewNow(node).finally(() => this.inflight.delete(name));
      this.inflight.set(name, p);
    }
    return p;
  }

  private async renewNow(node: KObject): Promise<void> {
    const name = node.metadata.name!;
    const leases = this.client.resource<Lease>(GVR.leases).namespace(NODE_LEASE_NAMESPACE);
    const spec = { holderIdentity: name, leaseDurationSeconds: NODE_LEASE_DURATION_SECONDS, renewTime: microTime(this.clock.now()) };
    for (let attempt = 0; attempt < 2; attempt++) {
      let current = this.cache.get(name);
      try {
        if (!current) {
          try {
            current = await leases.get(name);
          } catch (err) {
            if (!isNotFound(err)) throw err;
            const created = await leases.create({
              apiVersion: 'coordination.k8s.io/v1', kind: 'Lease',
              metadata: {
                name, namespace: NODE_LEASE_NAMESPACE,
                ownerReferences: node.metadata.uid ? [{ apiVersion: 'v1', kind: 'Node', name, uid: node.metadata.uid }] : undefined,
              },
              spec,
            });
            this.cache.set(name, created);
            return;
          }
        }
        const updated = await leases.update({ ...current, spec: { ...current.spec, ...spec } });
        this.cache.set(name, updated);
        return;
      } catch (err) {
        this.cache.delete(name);
        if (!(isConflict(err) || isNotFound(err) || isAlreadyExists(err)) || attempt === 1) throw err;
      }
    }
  }

  private arm(delayMs: number): void {
    if (this.stopped) return;
    this.timer = this.clock.setTimeout(() => {
      this.ticking = this.tick().finally(() => this.arm(this.intervalMs));
    }, delayMs);
  }

  private async tick(): Promise<void> {
    await Promise.all(this.nodes().map((n) => this.renew(n).catch((err) => {
      this.log(`failed to renew lease ${NODE_LEASE_NAMESPACE}/${n.metadata.name}: ${(err as Error).message}`);
    })));
  }
}
