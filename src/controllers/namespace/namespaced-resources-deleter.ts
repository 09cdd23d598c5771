// Empties a Terminating namespace (upstream namespacedResourcesDeleter): every namespaced resource
// the API serves with the delete verb (discovered, preferred versions) is deleted — deletecollection
// where served, else one by one, with propagationPolicy Background — then listed again to see what
// remains. The namespace's status conditions say how it went; once nothing remains the "kubernetes"
// finalizer is removed through namespaces/{name}/finalize and the API server deletes the namespace.
import type { KObject } from '../../apimachinery/types.ts';
import { isConflict, isNotFound } from '../../client/api-error.ts';
import type { Clock } from '../../client/clock.ts';
import { discoverResources } from '../../client/discovery.ts';
import type { KubeClient } from '../../client/kube-client.ts';
import { GVR, type ResourceInfo } from '../../client/resources.ts';
import { describeError } from '../framework/describe-error.ts';
import { conditionsFor, mergeConditions, type DeletionReport, type NamespaceCondition } from './status-conditions.ts';

export const FINALIZER_KUBERNETES = 'kubernetes';
/** Assumed time for finalizers on remaining content to complete (upstream finalizerEstimateSeconds). */
const FINALIZER_ESTIMATE_SECONDS = 15;

/** Content is still going away; look again in about estimate seconds. */
export class ResourcesRemainingError extends Error {
  constructor(readonly estimate: number) {
    super(`some content remains in the namespace, estimate ${estimate} seconds before it is removed`);
  }
}

interface Namespace extends KObject {
  spec?: { finalizers?: string[] };
  status?: { phase?: string; conditions?: NamespaceCondition[] };
}

interface GVRResult { estimate: number; remaining: number; finalizers: Map<string, number> }

export class NamespacedResourcesDeleter {
  constructor(private readonly client: KubeClient, private readonly clock: Clock, private readonly log: (m: string) => void) {}

  private get namespaces() { return this.client.resource<Namespace>(GVR.namespaces); }

  /** Resolves when the namespace is finalized (or gone); throws ResourcesRemainingError to be retried later. */
  async delete(name: string): Promise<void> {
    let ns: Namespace;
    try {
      ns = await this.namespaces.get(name);
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    if (!ns.metadata.deletionTimestamp) return;
    try {
      ns = await this.retryOnConflict(ns, (n) => this.ensureTerminating(n));
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    if (!ns.metadata.deletionTimestamp || !(ns.spec?.finalizers ?? []).includes(FINALIZER_KUBERNETES)) return;

    const estimate = await this.deleteAllContent(ns);
    if (estimate > 0) throw new ResourcesRemainingError(estimate);
    try {
      await this.retryOnConflict(ns, (n) => this.finalize(n));
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  private async ensureTerminating(ns: Namespace): Promise<Namespace> {
    if (ns.status?.phase === 'Terminating') return ns;
    return this.namespaces.updateStatus({ ...ns, status: { ...ns.status, phase: 'Terminating' } });
  }

  private async finalize(ns: Namespace): Promise<Namespace> {
    const finalizers = [...new Set((ns.spec?.finalizers ?? []).filter((f) => f !== FINALIZER_KUBERNETES))].sort();
    return this.namespaces.updateSubresource<Namespace>(ns.metadata.name!, 'finalize', { ...ns, spec: { ...ns.spec, finalizers } });
  }

  /** Re-reads on Conflict; gives up if the namespace was recreated (uid changed). */
  private async retryOnConflict(ns: Namespace, fn: (ns: Namespace) => Promise<Namespace>): Promise<Namespace> {
    let latest = ns;
    for (;;) {
      try {
        return await fn(latest);
      } catch (err) {
        if (!isConflict(err)) throw err;
      }
      const prev = latest;
      latest = await this.namespaces.get(ns.metadata.name!);
      if (latest.metadata.uid !== prev.metadata.uid) throw new Error('namespace uid has changed across retries');
    }
  }

  /** Deletes everything; the largest estimate of seconds until the remaining content is gone. */
  private async deleteAllContent(ns: Namespace): Promise<number> {
    const name = ns.metadata.name!;
    const report: DeletionReport = { contentErrors: [], remainingByResource: new Map(), remainingByFinalizer: new Map() };
    let resources: ResourceInfo[] = [];
    try {
      resources = (await discoverResources(this.client, { preferredOnly: true })).filter((r) => r.namespaced && (r.verbs ?? []).includes('delete'));
    } catch (err) {
      report.discoveryError = describeError(err);
    }
    let estimate = 0;
    const errors: string[] = [];
    // All resources at once: each delete-then-list is a few round trips over HTTP (in-process
    // upstream), and a namespace holding only finished content should go within a second or two.
    const results = await Promise.allSettled(resources.map((info) => this.deleteAllContentForResource(info, name)));
    for (const [i, res] of results.entries()) {
      const info = resources[i]!;
      if (res.status === 'rejected') {
        const msg = describeError(res.reason);
        errors.push(msg);
        report.contentErrors.push(msg);
        continue;
      }
      const r = res.value;
      estimate = Math.max(estimate, r.estimate);
      if (r.remaining > 0) {
        report.remainingByResource.set(`${info.resource}.${info.group}`, r.remaining);
        for (const [f, n] of r.finalizers) report.remainingByFinalizer.set(f, (report.remainingByFinalizer.get(f) ?? 0) + n);
      }
    }
    await this.updateConditions(ns, report);
    if (report.discoveryError !== undefined) errors.unshift(report.discoveryError);
    if (errors.length > 0) throw new Error(errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`);
    return estimate;
  }

  private async deleteAllContentForResource(info: ResourceInfo, namespace: string): Promise<GVRResult> {
    const client = this.client.resource(info).namespace(namespace);
    const verbs = info.verbs ?? [];
    const canList = verbs.includes('list');
    const estimate = info.group === '' && info.resource === 'pods' ? await this.estimateGracefulTerminationForPods(namespace) : 0;
    if (verbs.includes('deletecollection')) {
      await client.deleteCollection({}, { propagationPolicy: 'Background' });
    } else if (canList) {
      for (const item of (await client.listAll()).items) {
        try {
          await client.delete(item.metadata.name!, { propagationPolicy: 'Background' });
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
      }
    }
    if (!canList) return { estimate, remaining: 0, finalizers: new Map() };
    const left = (await client.listAll()).items;
    if (left.length === 0) return { estimate: 0, remaining: 0, finalizers: new Map() };
    const finalizers = new Map<string, number>();
    for (const item of left) for (const f of item.metadata.finalizers ?? []) finalizers.set(f, (finalizers.get(f) ?? 0) + 1);
    if (estimate > 0) return { estimate, remaining: left.length, finalizers };
    if (finalizers.size > 0) return { estimate: FINALIZER_ESTIMATE_SECONDS, remaining: left.length, finalizers };
    throw new Error(`unexpected items still remain in namespace: ${namespace} for gvr: {${info.group} ${info.version} ${info.resource}}`);
  }

  /** The longest grace period among pods that have not finished. */
  private async estimateGracefulTerminationForPods(namespace: string): Promise<number> {
    const pods = (await this.client.resource(GVR.pods).namespace(namespace).listAll()).items;
    let estimate = 0;
    for (const pod of pods) {
      const phase = (pod.status as { phase?: string } | undefined)?.phase;
      if (phase === 'Succeeded' || phase === 'Failed') continue;
      const grace = (pod.spec as { terminationGracePeriodSeconds?: number } | undefined)?.terminationGracePeriodSeconds ?? 0;
      estimate = Math.max(estimate, grace);
    }
    return estimate;
  }

  private async updateConditions(ns: Namespace, report: DeletionReport): Promise<void> {
    const now = new Date(this.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const { conditions, changed } = mergeConditions(ns.status?.conditions ?? [], conditionsFor(report, now), now);
    if (!changed) return;
    try {
      const updated = await this.namespaces.updateStatus({ ...ns, status: { ...ns.status, conditions } });
      Object.assign(ns, updated);
    } catch (err) {
      this.log(`couldn't update status condition for namespace "${ns.metadata.name}": ${describeError(err)}`);
    }
  }
}
