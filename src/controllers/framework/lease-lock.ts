// The leader-election record kept in a coordination.k8s.io/v1 Lease (client-go's LeaseLock). Updates
// carry the resourceVersion of the Lease last read, so of two candidates racing for an expired
// lease only one write succeeds; the other gets 409 Conflict.
import type { KObject } from '../../apimachinery/types.ts';
import type { KubeClient } from '../../client/kube-client.ts';
import type { ResourceClient } from '../../client/resource-client.ts';
import { GVR } from '../../client/resources.ts';

export interface LeaderElectionRecord {
  /** "" when released. */
  holderIdentity: string;
  leaseDurationSeconds: number;
  acquireTime?: string;
  renewTime?: string;
  leaderTransitions: number;
}

export interface Lease extends KObject {
  spec?: {
    holderIdentity?: string;
    leaseDurationSeconds?: number;
    acquireTime?: string;
    renewTime?: string;
    leaseTransitions?: number;
  };
}

export class LeaseLock {
  private lease?: Lease;
  private readonly leases: ResourceClient<Lease>;

  constructor(client: KubeClient, readonly namespace: string, readonly name: string, readonly identity: string) {
    this.leases = client.resource<Lease>(GVR.leases).namespace(namespace);
  }

  describe(): string { return `${this.namespace}/${this.name}`; }

  /** The Lease as last read or written. */
  current(): Lease | undefined { return this.lease; }

  /** Throws NotFound when there is no Lease yet. */
  async get(): Promise<LeaderElectionRecord> {
    this.lease = await this.leases.get(this.name);
    return recordOf(this.lease);
  }

  async create(record: LeaderElectionRecord): Promise<void> {
    this.lease = await this.leases.create({
      apiVersion: 'coordination.k8s.io/v1', kind: 'Lease',
      metadata: { name: this.name, namespace: this.namespace },
      spec: specOf(record),
    });
  }

  /** PUT with the resourceVersion last read: fails with Conflict if another candidate wrote first. */
  async update(record: LeaderElectionRecord): Promise<void> {
    if (!this.lease) throw new Error('lease not initialized, call get or create first');
    this.lease = await this.leases.update({ ...this.lease, spec: specOf(record) });
  }
}

function recordOf(lease: Lease): LeaderElectionRecord {
  const s = lease.spec ?? {};
  return {
    holderIdentity: s.holderIdentity ?? '',
    leaseDurationSeconds: s.leaseDurationSeconds ?? 0,
    acquireTime: s.acquireTime,
    renewTime: s.renewTime,
    leaderTransitions: s.leaseTransitions ?? 0,
  };
}

function specOf(r: LeaderElectionRecord): NonNullable<Lease['spec']> {
  return {
    holderIdentity: r.holderIdentity,
    leaseDurationSeconds: r.leaseDurationSeconds,
    ...(r.acquireTime ? { acquireTime: r.acquireTime } : {}),
    ...(r.renewTime ? { renewTime: r.renewTime } : {}),
    leaseTransitions: r.leaderTransitions,
  };
}

/** metav1.MicroTime: RFC 3339 with microseconds. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
