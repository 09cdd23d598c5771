// The scheduler's cache (upstream's internal/cache): nodes and the pods on them, fed by the
// informers, plus "assumed" pods — placed on a node the moment the scheduler picks it, before the
// binding reaches the API — so the next pod is scheduled against the room already promised without
// waiting for the bind round-trip. A failed bind forgets the assumption; the informer's view of the
// bound pod confirms it.
import { NodeInfo, newPodInfo, type PodInfo } from './node-info.ts';
import { podKey, type Node, type Pod } from './types.ts';

interface PodState { pi: PodInfo; nodeName: string; assumed: boolean }

export class SchedulerCache {
  private readonly nodes = new Map<string, NodeInfo>();
  private readonly podStates = new Map<string, PodState>();
  private list: NodeInfo[] | undefined;

  /** NodeInfos that have a Node, in a stable order (insertion). */
  nodeInfos(): readonly NodeInfo[] {
    this.list ??= [...this.nodes.values()].filter((n) => n.node);
    return this.list;
  }

  getNodeInfo(name: string): NodeInfo | undefined {
    const n = this.nodes.get(name);
    return n?.node ? n : undefined;
  }

  nodeCount(): number { return this.nodeInfos().length; }

  addNode(node: Node): void {
    const name = node.metadata.name ?? '';
    const ni = this.nodes.get(name);
    if (ni) ni.setNode(node);
    else this.nodes.set(name, new NodeInfo(node));
    this.list = undefined;
  }

  updateNode(node: Node): void { this.addNode(node); }

  removeNode(node: Node): void {
    const name = node.metadata.name ?? '';
    const ni = this.nodes.get(name);
    if (!ni) return;
    // Pods may still be bound to it until PodGC removes them; keep them counted, node-less.
    if (ni.pods.size > 0) ni.node = undefined;
    else this.nodes.delete(name);
    this.list = undefined;
  }

  private nodeFor(name: string): NodeInfo {
    let ni = this.nodes.get(name);
    if (!ni) {
      ni = new NodeInfo();
      this.nodes.set(name, ni);
    }
    return ni;
  }

  private place(pi: PodInfo, nodeName: string, assumed: boolean): void {
    this.nodeFor(nodeName).addPod(pi);
    this.podStates.set(pi.key, { pi, nodeName, assumed });
  }

  private unplace(key: string): void {
    const st = this.podStates.get(key);
    if (!st) return;
    this.podStates.delete(key);
    const ni = this.nodes.get(st.nodeName);
    if (!ni) return;
    ni.removePod(key);
    if (!ni.node && ni.pods.size === 0) this.nodes.delete(st.nodeName);
  }

  /** The scheduler decided: count the pod on the node now (its copy carries spec.nodeName). */
  assumePod(pi: PodInfo, nodeName: string): void {
    if (this.podStates.has(pi.key)) throw new Error(`pod ${pi.key} is already in the cache`);
    this.place(pi, nodeName, true);
  }

  /** The bind failed: undo the assumption (unless the informer confirmed the pod meanwhile). */
  forgetPod(key: string): void {
    if (this.podStates.get(key)?.assumed) this.unplace(key);
  }

  isAssumed(key: string): boolean { return this.podStates.get(key)?.assumed === true; }

  /** A bound pod seen by the informer (add or update): confirms an assumed one. */
  addPod(pod: Pod): void {
    const key = podKey(pod);
    const nodeName = pod.spec.nodeName ?? '';
    this.unplace(key);
    this.place(newPodInfo(pod), nodeName, false);
  }

  removePod(pod: Pod): void { this.unplace(podKey(pod)); }

  /** The node a pod is counted on, if any. */
  nodeOf(key: string): string | undefined { return this.podStates.get(key)?.nodeName; }

  podCount(): number { return this.podStates.size; }
}
