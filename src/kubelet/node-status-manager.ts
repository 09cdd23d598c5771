// Keeping the Node current (kubelet's syncNodeStatus and nodelease controller): the status is
// computed every 10 s (nodeStatusUpdateFrequency) and posted when it changed or 5 min passed
// (nodeStatusReportFrequency); the Lease in kube-node-lease is renewed every 10 s by the shared
// NodeLeaseHeartbeat. Condition changes are recorded as node events ("Node n status is now: …").
import type { KObject } from '../apimachinery/types.ts';
import type { Clock, TimerHandle } from '../client/clock.ts';
import type { KubeClient } from '../client/kube-client.ts';
import { GVR } from '../client/resources.ts';
import type { EventRecorder } from '../controllers/framework/events/event-recorder.ts';
import { DEFAULT_LEASE_RENEW_INTERVAL_MS, NodeLeaseHeartbeat } from '../nodes/node-lease-heartbeat.ts';
import { EVENTS, nodeRef } from './kubelet-events.ts';
import { filesystemStats, readMeminfo, type MachineInfo } from './machine-info.ts';
import { kubeletNodeStatus, nodeImages, nodeStatusChanged } from './node-status.ts';
import type { Image } from './runtime/runtime-service.ts';

type Obj = Record<string, any>;

export const NODE_STATUS_UPDATE_FREQUENCY_MS = 10_000;
export const NODE_STATUS_REPORT_FREQUENCY_MS = 5 * 60_000;

export interface NodeStatusManagerOptions {
  client: KubeClient;
  nodeName: string;
  clock: Clock;
  log: (m: string) => void;
  recorder: EventRecorder;
  machine: MachineInfo;
  /** The filesystem whose size is ephemeral-storage. */
  dataDir: string;
  maxPods: number;
  nodeIP: string;
  kubeletPort: number;
  runtimeVersion(): string;
  /** Why the node is not ready, or undefined. */
  notReady(): string | undefined;
  images(): Promise<Image[]>;
  updateFrequencyMs?: number;
  reportFrequencyMs?: number;
  leaseRenewIntervalMs?: number;
}

const CONDITION_EVENT: Record<string, Record<string, string>> = {
  MemoryPressure: { False: 'NodeHasSufficientMemory', True: 'NodeHasInsufficientMemory' },
  DiskPressure: { False: 'NodeHasNoDiskPressure', True: 'NodeHasDiskPressure' },
  PIDPressure: { False: 'NodeHasSufficientPID', True: 'NodeHasInsufficientPID' },
  Ready: { True: EVENTS.NodeReady, False: EVENTS.NodeNotReady },
};

export class NodeStatusManager {
  private current: KObject;
  private lastReport = 0;
  private timer?: TimerHandle;
  private stopped = false;
  private running?: Promise<void>;
  private again?: Promise<void>;
  private readonly heartbeat: NodeLeaseHeartbeat;

  constructor(private readonly o: NodeStatusManagerOptions, registered: KObject) {
    this.current = registered;
    this.heartbeat = new NodeLeaseHeartbeat(o.client, o.clock, o.leaseRenewIntervalMs ?? DEFAULT_LEASE_RENEW_INTERVAL_MS, () => [this.current], o.log);
  }

  /** The Node as last read or written. */
  get node(): KObject { return this.current; }

  /** A newer copy (from the informer) becomes the base of the next update. */
  observe(node: KObject): void {
    if (node.metadata.uid === this.current.metadata.uid) this.current = node;
  }

  start(): void {
    this.heartbeat.start();
    this.arm(0);
  }

  /** Posts the status now (readiness changed); a call during a sync runs another one after it. */
  syncNow(): Promise<void> {
    if (this.running) {
      this.again ??= this.running.then(() => {
        this.again = undefined;
        return this.syncNow();
      });
      return this.again;
    }
    return this.running = this.sync().finally(() => { this.running = undefined; });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) this.o.clock.clearTimeout(this.timer);
    await this.heartbeat.stop();
    await this.running;
    await this.again;
  }

  private arm(ms: number): void {
    if (this.stopped) return;
    this.timer = this.o.clock.setTimeout(() => {
      void this.syncNow().finally(() => this.arm(this.o.updateFrequencyMs ?? NODE_STATUS_UPDATE_FREQUENCY_MS));
    }, ms);
  }

  private async sync(): Promise<void> {
    const o = this.o;
    if (this.stopped) return;
    try {
      const now = o.clock.now();
      const [mem, fs, images] = await Promise.all([readMeminfo(), filesystemStats(o.dataDir), o.images().catch(() => [])]);
      const status = kubeletNodeStatus(this.current as Obj, o.nodeName, {
        machine: o.machine, memoryAvailable: mem.available, fsCapacity: fs.capacityBytes, fsAvailable: fs.availableBytes,
        maxPods: o.maxPods, nodeIP: o.nodeIP, kubeletPort: o.kubeletPort, containerRuntimeVersion: o.runtimeVersion(),
        notReadyMessage: o.notReady(), now,
      });
      status.images = nodeImages(images);
      const due = now - this.lastReport >= (o.reportFrequencyMs ?? NODE_STATUS_REPORT_FREQUENCY_MS);
      if (!due && !nodeStatusChanged(this.current.status as Obj, status)) return;
      const before: Obj[] = ((this.current.status as Obj)?.conditions ?? []) as Obj[];
      const written = await o.client.resource(GVR.nodes).patch(o.nodeName, { status }, 'merge', { subresource: 'status' });
      this.current = written;
      this.lastReport = now;
      for (const c of status.conditions as Obj[]) {
        const prev = before.find((b) => b?.type === c.type);
        const reason = CONDITION_EVENT[c.type]?.[c.status];
        if (reason && prev?.status !== c.status) o.recorder.event(nodeRef(o.nodeName), 'Normal', reason, `Node ${o.nodeName} status is now: ${reason}`);
      }
    } catch (err) {
      o.log(`Error updating node status, will retry: ${(err as Error).message}`);
    }
  }
}
