// The kubelet: registers its Node and keeps its status and Lease current, watches the pods bound
// to it (fieldSelector spec.nodeName), admits them, and runs one worker per pod that syncs the
// runtime to the pod's spec and reports its status — through the API only, with its own client
// budget (--kube-api-qps 50, burst 100). On start it adopts what the runtime already runs for pods
// still bound here (a kubelet restart does not restart containers) and cleans up the rest; stop()
// leaves containers running.
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { V1Container } from '@kubernetes/client-node';
import type { KObject } from '../apimachinery/types.ts';
import { SharedInformerFactory } from '../client/cache/informer-factory.ts';
import { objectOf, type DeletedFinalStateUnknown } from '../client/cache/keys.ts';
import type { Lister } from '../client/cache/lister.ts';
import { realClock, sleep, type Clock, type TimerHandle } from '../client/clock.ts';
import { KubeClient } from '../client/kube-client.ts';
import { GVR } from '../client/resources.ts';
import { defaultUserAgent } from '../client/user-agent.ts';
import { EventBroadcaster, type EventRecorder } from '../controllers/framework/events/event-recorder.ts';
import { Backoff } from './backoff.ts';
import { runHandler } from './hooks/index.ts';
import { CONTAINER_GC_PERIOD_MS, garbageCollect } from './container-gc.ts';
import { ImagePuller } from './image-puller.ts';
import { EVENTS, containerRef, nodeRef, podRef } from './kubelet-events.ts';
import { detectNodeIP, readMachineInfo, type MachineInfo } from './machine-info.ts';
import { writeCniConfig } from './network/cni-config.ts';
import { initialNode, registerWithAPIServer } from './node-registration.ts';
import { NodeStatusManager } from './node-status-manager.ts';
import type { ProbeType } from './pod-actions.ts';
import { canAdmitPod } from './pod-admission.ts';
import { cleanupOrphanedPods } from './pod-cleanup.ts';
import { rejectedPodStatus } from './pod-status.ts';
import { PodInputs } from './pod-inputs.ts';
import { PodWorkers } from './pod-workers.ts';
import { PodLifecycleEventGenerator, RELIST_PERIOD_MS } from './pleg.ts';
import { ProberManager, type ProbePodStatus } from './prober/index.ts';
import { ReasonCache } from './reason-cache.ts';
import { RuntimeSync } from './runtime-sync.ts';
import type { ContainerRuntime, RuntimeService } from './runtime/runtime-service.ts';
import type { KubeletServerHandlers } from './server/kubelet-server-handlers.ts';
import { createSummaryProvider, type SummaryProvider } from './stats/summary-provider.ts';
import { StatusManager } from './status-manager.ts';
import { PodSync } from './sync-pod.ts';
import { ContainerKiller, type RunHook } from './termination.ts';
import { VolumeManager } from './volumes/index.ts';

type Obj = Record<string, any>;

export const DEFAULT_MAX_PODS = 110;
export const DEFAULT_KUBE_API_QPS = 50;
export const DEFAULT_KUBE_API_BURST = 100;
export const DEFAULT_CNI_BRIDGE = 'k8ts0';
/** HandlePodCleanups' housekeeping period. */
const HOUSEKEEPING_PERIOD_MS = 2000;
/** PLEG health: a relist older than this makes the node NotReady. */
const PLEG_RELIST_THRESHOLD_MS = 3 * 60_000;

export interface KubeletOptions {
  /** Where the API server is; the kubelet makes its own client from its config. */
  client: KubeClient;
  /**
   * The container runtime, or — for a runtime that needs the node's pod CIDR to connect (Docker's
   * pod network) — a function the kubelet calls once it knows the CIDR.
   */
  runtime: ContainerRuntime | ((podCIDR: string) => Promise<ContainerRuntime>);
  nodeName: string;
  /** Pod directories (<dataDir>/pods) and pod logs (<dataDir>/pod-logs); its filesystem is ephemeral-storage. */
  dataDir: string;
  /** --node-ip; default the default route's address. */
  hostIP?: string;
  /** --pod-cidr; default the node's spec.podCIDR once the controller manager allocates it. */
  podCIDR?: string;
  /** containerd's CNI config dir: the kubelet writes the pod network there once it knows the CIDR. */
  cniConfDir?: string;
  cniBridge?: string;
  /** Image tarballs (*.tar) imported into the runtime at start. */
  imagesDir?: string;
  maxPods?: number;
  /** The kubelet server's port, published in status.daemonEndpoints. */
  kubeletPort: number;
  log: (message: string) => void;
  clock?: Clock;
  /** --kube-api-qps / --kube-api-burst. */
  qps?: number;
  burst?: number;
  /** --cluster-dns / --cluster-domain / --resolv-conf. */
  clusterDNS?: string[];
  clusterDomain?: string;
  resolvConf?: string;
  /** --node-labels. */
  nodeLabels?: Record<string, string>;
  /** Periods, shortened by tests. */
  relistPeriodMs?: number;
  nodeStatusUpdateFrequencyMs?: number;
  gcPeriodMs?: number;
  resyncIntervalMs?: number;
}

export interface RunningKubelet {
  nodeName: string;
  /** The pod CIDR (the flag's, or the node's spec.podCIDR when it arrives). */
  podCIDR: Promise<string>;
  /** For the kubelet's HTTPS server (src/kubelet/server). */
  handlers: KubeletServerHandlers;
  /** Stops the kubelet; containers keep running, as across a kubelet restart. */
  stop(): Promise<void>;
}

/** Starts the kubelet; resolves once its Node is registered (pods are handled once the runtime is ready). */
export async function startKubelet(o: KubeletOptions): Promise<RunningKubelet> {
  const k = new Kubelet(o);
  await k.start();
  return {
    nodeName: o.nodeName,
    podCIDR: k.podCIDR,
    handlers: k.handlers,
    stop: () => k.stop(),
  };
}

class Kubelet {
  private readonly clock: Clock;
  private readonly log: (m: string) => void;
  private readonly client: KubeClient;
  private readonly broadcaster: EventBroadcaster;
  private readonly recorder: EventRecorder;
  private readonly informers: SharedInformerFactory;
  private readonly podsDir: string;
  private readonly podLogsRoot: string;
  private readonly statusManager: StatusManager;
  private readonly reasons = new ReasonCache();
  private readonly volumes: VolumeManager;
  private readonly podLister: Lister;
  private readonly serviceLister: Lister;
  private readonly abort = new AbortController();
  private readonly timers = new Set<TimerHandle>();
  /** UIDs the kubelet rejected at admission (their Failed status may not be back yet). */
  private readonly rejected = new Set<string>();

  private machine!: MachineInfo;
  private nodeIP = '';
  private nodeStatus!: NodeStatusManager;
  private runtime?: ContainerRuntime;
  private ownsRuntime = false;
  private runtimeVersion = '';
  private networkReady = false;
  private workers?: PodWorkers;
  private pleg?: PodLifecycleEventGenerator;
  private prober?: ProberManager;
  private killer?: ContainerKiller;
  private summaryProvider?: SummaryProvider;
  private stopped = false;
  private resolvePodCIDR!: (cidr: string) => void;
  readonly podCIDR: Promise<string>;
  readonly handlers: KubeletServerHandlers;

  constructor(private readonly o: KubeletOptions) {
    this.clock = o.clock ?? realClock;
    this.log = (m) => o.log(`kubelet: ${m}`);
    const qps = o.qps ?? DEFAULT_KUBE_API_QPS;
    this.client = new KubeClient({ ...o.client.config, qps, burst: o.burst ?? Math.max(DEFAULT_KUBE_API_BURST, qps * 2), userAgent: defaultUserAgent('kubelet') });
    this.broadcaster = new EventBroadcaster(this.client, { clock: this.clock, log: this.log });
    this.recorder = this.broadcaster.newRecorder({ component: 'kubelet', host: o.nodeName });
    this.informers = new SharedInformerFactory(this.client, { log: this.log });
    this.podsDir = join(o.dataDir, 'pods');
    this.podLogsRoot = join(o.dataDir, 'pod-logs');
    const podInformer = this.informers.forResource(GVR.pods, { fieldSelector: `spec.nodeName=${o.nodeName}` });
    this.podLister = podInformer.lister();
    this.serviceLister = this.informers.forResource(GVR.services).lister();
    this.statusManager = new StatusManager(this.client, (ns, name) => this.podLister.get(`${ns}/${name}`), this.log);
    this.volumes = new VolumeManager({
      podsDir: this.podsDir, client: this.client, nodeName: o.nodeName, log: this.log, clock: this.clock,
      nodeAllocatable: () => this.nodeAllocatable(),
    });
    this.podCIDR = new Promise((resolve) => { this.resolvePodCIDR = resolve; });
    const self = this;
    this.handlers = {
      pods: () => this.pods(),
      get runtime(): RuntimeService {
        if (!self.runtime) throw new Error('container runtime is not ready');
        return self.runtime.runtime;
      },
      summary: () => {
        if (!this.summaryProvider) return Promise.reject(new Error('container runtime is not ready'));
        return this.summaryProvider.summary();
      },
    };
  }

  async start(): Promise<void> {
    const o = this.o;
    await Promise.all([o.dataDir, this.podsDir, this.podLogsRoot].map((d) => mkdir(d, { recursive: true })));
    this.machine = await readMachineInfo();
    this.nodeIP = o.hostIP ?? await detectNodeIP();
    if (typeof o.runtime !== 'function') await this.useRuntime(o.runtime, false);

    const registered = await registerWithAPIServer(this.client, initialNode({
      nodeName: o.nodeName, machine: this.machine, podCIDR: o.podCIDR, labels: o.nodeLabels,
    }), this.clock, this.log, this.abort.signal);
    this.nodeStatus = new NodeStatusManager({
      client: this.client, nodeName: o.nodeName, clock: this.clock, log: this.log, recorder: this.recorder, machine: this.machine,
      dataDir: o.dataDir, maxPods: o.maxPods ?? DEFAULT_MAX_PODS, nodeIP: this.nodeIP, kubeletPort: o.kubeletPort,
      runtimeVersion: () => this.runtimeVersion, notReady: () => this.notReadyMessage(),
      images: () => this.runtime?.images.listImages() ?? Promise.resolve([]),
      updateFrequencyMs: o.nodeStatusUpdateFrequencyMs,
    }, registered);
    this.recorder.event(nodeRef(o.nodeName), 'Normal', EVENTS.StartingKubelet, 'Starting kubelet.');
    this.nodeStatus.start();

    const nodeInformer = this.informers.forResource(GVR.nodes, { fieldSelector: `metadata.name=${o.nodeName}` });
    nodeInformer.addEventHandler({
      onAdd: (n) => this.onNode(n),
      onUpdate: (_old, n) => this.onNode(n),
    });
    this.informers.start();
    if (o.podCIDR) this.resolvePodCIDR(o.podCIDR);
    void this.whenReady().catch((err) => this.log(`failed to start pod handling: ${(err as Error).message}`));
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.abort.abort();
    for (const t of this.timers) this.clock.clearTimeout(t);
    this.timers.clear();
    await this.pleg?.stop();
    await this.workers?.stop();
    this.prober?.stop();
    await this.nodeStatus?.stop();
    await this.informers.shutdown();
    this.summaryProvider?.close();
    await Promise.race([this.broadcaster.shutdown(), new Promise((r) => setTimeout(r, 2000).unref())]);
    if (this.ownsRuntime) await this.runtime?.close();
    this.client.close();
  }

  // --- readiness ------------------------------------------------------------------------------

  private notReadyMessage(): string | undefined {
    if (!this.runtime) return 'container runtime status check may not have completed yet';
    if (!this.networkReady) {
      return 'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized';
    }
    const pleg = this.pleg;
    if (pleg && pleg.hasRelisted && this.clock.now() - pleg.lastRelistAt > PLEG_RELIST_THRESHOLD_MS) {
      return `PLEG is not healthy: pleg was last seen active ${Math.round((this.clock.now() - pleg.lastRelistAt) / 1000)}s ago; threshold is 3m0s`;
    }
    return undefined;
  }

  private onNode(node: KObject): void {
    this.nodeStatus?.observe(node);
    const cidr = (node.spec as Obj)?.podCIDR;
    if (typeof cidr === 'string' && cidr) this.resolvePodCIDR(cidr);
  }

  private async useRuntime(rt: ContainerRuntime, owned: boolean): Promise<void> {
    const v = await rt.runtime.version();
    this.runtimeVersion = `${rt.name}://${v.runtimeVersion.replace(/^v/, '').replace(/[~+].*$/, '')}`;
    this.runtime = rt;
    this.ownsRuntime = owned;
    if (this.o.imagesDir) {
      let tarballs: string[] = [];
      try {
        tarballs = (await readdir(this.o.imagesDir)).filter((f) => f.endsWith('.tar')).sort().map((f) => join(this.o.imagesDir!, f));
      } catch (err) {
        this.log(`images dir ${this.o.imagesDir}: ${(err as Error).message}`);
      }
      if (tarballs.length > 0) {
        const names = await rt.importImages(tarballs);
        this.log(`imported ${names.length} image(s) from ${this.o.imagesDir}: ${names.join(', ')}`);
      }
    }
  }

  /** Waits for the pod CIDR when the network needs it, then starts handling pods. */
  private async whenReady(): Promise<void> {
    const o = this.o;
    const needsCIDR = typeof o.runtime === 'function' || (this.runtime?.name === 'containerd' && !!o.cniConfDir);
    if (needsCIDR) {
      const cidr = await Promise.race([this.podCIDR, new Promise<never>((_, reject) => this.abort.signal.addEventListener('abort', () => reject(new Error('stopped')), { once: true }))]);
      if (typeof o.runtime === 'function') await this.useRuntime(await o.runtime(cidr), true);
      if (this.runtime?.name === 'containerd' && o.cniConfDir) {
        const file = await writeCniConfig({ confDir: o.cniConfDir, podCIDR: cidr, bridge: o.cniBridge ?? DEFAULT_CNI_BRIDGE, ipamDataDir: join(o.dataDir, 'cni-ipam'), log: (m) => o.log(`kubelet: ${m}`) });
        this.log(`wrote CNI config ${file} for pod CIDR ${cidr}`);
      }
    }
    if (this.stopped) return;
    this.networkReady = true;
    void this.nodeStatus.syncNow();
    await this.startPodHandling();
  }

  // --- pods -----------------------------------------------------------------------------------

  private async startPodHandling(): Promise<void> {
    const o = this.o;
    const rt = this.runtime!;
    const runtimeName = rt.name;
    const puller = new ImagePuller(rt.images, this.recorder, this.clock);
    const prober = new ProberManager({
      runtime: rt.runtime, clock: this.clock,
      getPodStatus: (uid) => this.probePodStatus(uid),
      onResult: (uid) => this.workers?.syncNow(uid),
      recordEvent: (pod, name, type, reason, message) => this.recorder.event(containerRef(pod, name), type, reason, message),
    });
    this.prober = prober;
    const probe = (id: string, type: ProbeType) => prober.result(id, type);
    const runHook: RunHook = async (handler, pod, container, containerId, signal, knownIP) => {
      const podIP = knownIP ?? this.statusManager.getPodStatus(pod.metadata.uid)?.podIP ?? pod.status?.podIP ?? '';
      const failure = await runHandler(handler, { pod: pod as KObject, container: container as V1Container, containerId, podIP, runtime: rt.runtime, signal, clock: this.clock });
      if (failure) throw new Error(failure);
    };
    const killer = new ContainerKiller(rt.runtime, this.recorder, runHook, this.clock, this.log);
    this.killer = killer;
    const inputs = new PodInputs({
      client: this.client, recorder: this.recorder, services: this.serviceLister, nodeIP: () => this.nodeIP,
      nodeAllocatable: () => this.nodeAllocatable(), clusterDNS: o.clusterDNS ?? [], clusterDomain: o.clusterDomain ?? 'cluster.local',
      resolvConf: o.resolvConf,
    });
    const runtimeSync = new RuntimeSync({
      runtime: rt.runtime, runtimeName, puller, killer, recorder: this.recorder, clock: this.clock, log: this.log,
      podsDir: this.podsDir, podLogsRoot: this.podLogsRoot, backOff: new Backoff(this.clock), reasons: this.reasons, probe,
      runHook,
      dnsFor: (pod) => inputs.dnsFor(pod),
      envFor: (pod, c, podIPs) => inputs.envFor(pod, c, podIPs),
      pullSecretsFor: (pod) => inputs.pullSecretsFor(pod),
      memoryCapacity: () => this.machine.memoryCapacity,
      clusterDomain: o.clusterDomain ?? 'cluster.local',
    });
    const podSync = new PodSync({
      client: this.client, runtime: () => rt.runtime, runtimeName: () => runtimeName, podsDir: this.podsDir, clock: this.clock,
      log: this.log, recorder: this.recorder, statusManager: this.statusManager, reasons: this.reasons, probe, prober,
      runtimeSync: () => runtimeSync, killer: () => killer, volumes: this.volumes, hostIPs: () => [this.nodeIP],
    });
    this.workers = new PodWorkers(podSync, this.clock, this.log, o.resyncIntervalMs);
    this.pleg = new PodLifecycleEventGenerator(rt.runtime, this.clock, (uid) => this.workers?.syncNow(uid), this.log, o.relistPeriodMs ?? RELIST_PERIOD_MS);
    this.summaryProvider = createSummaryProvider({ runtime: rt.runtime, nodeName: o.nodeName, pods: () => this.pods(), clock: this.clock });

    await this.informers.waitForCacheSync(this.abort.signal);
    // Admission needs the node's allocatable: the first status must be posted.
    while (!this.stopped && !(this.nodeStatus.node.status as Obj | undefined)?.allocatable) {
      await this.nodeStatus.syncNow();
      if (!(this.nodeStatus.node.status as Obj | undefined)?.allocatable) await sleep(this.clock, 1000, this.abort.signal).catch(() => {});
    }
    await this.pleg.relist();
    if (this.stopped) return;
    // Adopt in creation order, so admission sees the pods that were here first.
    const existing = [...this.podLister.list()].sort((a, b) => String(a.metadata.creationTimestamp).localeCompare(String(b.metadata.creationTimestamp)));
    for (const pod of existing) this.handlePod(pod);
    this.informers.forResource(GVR.pods, { fieldSelector: `spec.nodeName=${o.nodeName}` }).addEventHandler({
      onAdd: (p) => this.handlePod(p),
      onUpdate: (_old, p) => this.handlePod(p),
      onDelete: (p) => this.handlePodRemove(objectOf(p as KObject | DeletedFinalStateUnknown)),
    });
    await this.housekeeping();
    this.pleg.start();
    this.every(HOUSEKEEPING_PERIOD_MS, () => this.housekeeping());
    this.every(o.gcPeriodMs ?? CONTAINER_GC_PERIOD_MS, () => garbageCollect({
      runtime: rt.runtime, podLogsRoot: this.podLogsRoot, log: this.log,
      shouldPodContentBeRemoved: (uid) => this.workers!.shouldPodContentBeRemoved(uid) && !this.isInformerPod(uid),
    }));
  }

  private every(ms: number, fn: () => Promise<void>): void {
    const arm = () => {
      if (this.stopped) return;
      const t = this.clock.setTimeout(() => {
        this.timers.delete(t);
        void fn().catch((err) => this.log((err as Error).message)).finally(arm);
      }, ms);
      this.timers.add(t);
    };
    arm();
  }

  private isInformerPod(uid: string): boolean {
    return this.podLister.list().some((p) => p.metadata.uid === uid);
  }

  /** HandlePodAdditions/Updates: admit new pods, hand every pod to its worker. */
  private handlePod(pod: KObject): void {
    const workers = this.workers;
    if (!workers || this.stopped) return;
    const uid = pod.metadata.uid!;
    const phase = (pod.status as Obj)?.phase;
    // A rejected pod never gets a worker: its Failed status is final, and it goes when deleted.
    if (this.rejected.has(uid)) return;
    if (!workers.has(uid) && !pod.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed') {
      const r = canAdmitPod(pod, this.nodeStatus.node, workers.activePods() as KObject[]);
      if (!r.admit) {
        this.rejected.add(uid);
        this.recorder.event(podRef(pod), 'Warning', r.reason!, r.message!);
        this.statusManager.setPodStatus(pod, rejectedPodStatus(pod, r.reason!, r.message!));
        return;
      }
    }
    workers.updatePod(pod);
    this.prober?.updatePod(pod);
  }

  private handlePodRemove(pod: KObject): void {
    this.rejected.delete(pod.metadata.uid!);
    this.workers?.removePod(pod);
  }

  private async housekeeping(): Promise<void> {
    const workers = this.workers;
    const rt = this.runtime;
    if (!workers || !rt || !this.killer || !this.pleg) return;
    const known = (uid: string) => workers.has(uid) || this.isInformerPod(uid);
    await cleanupOrphanedPods({
      runtime: rt.runtime, runtimeName: rt.name, podsDir: this.podsDir, killer: this.killer, volumes: this.volumes,
      runtimePodUIDs: this.pleg.runtimePodUIDs(), isKnown: known, log: this.log,
    });
    const keep = new Set(this.podLister.list().map((p) => p.metadata.uid!));
    this.statusManager.removeOrphanedStatuses(keep);
  }

  /** What the probe workers read: the containers of the status the kubelet last computed. */
  private probePodStatus(uid: string): ProbePodStatus | undefined {
    const s = this.statusManager.getPodStatus(uid);
    if (!s) return undefined;
    const containers: ProbePodStatus['containers'] = {};
    for (const cs of [...(s.containerStatuses ?? []), ...(s.initContainerStatuses ?? [])] as Obj[]) {
      const state = cs.state?.running ? 'running' : cs.state?.terminated ? 'terminated' : 'waiting';
      containers[cs.name] = {
        containerId: typeof cs.containerID === 'string' ? cs.containerID.replace(/^[a-z]+:\/\//, '') : '',
        state,
        ...(state === 'running' ? { startedAt: Date.parse(cs.state.running.startedAt) } : {}),
      };
    }
    return { phase: s.phase, podIP: s.podIP ?? '', containers };
  }

  private nodeAllocatable(): Record<string, string> {
    const a = ((this.nodeStatus?.node.status as Obj)?.allocatable ?? {}) as Record<string, string>;
    return { cpu: a.cpu, memory: a.memory, 'ephemeral-storage': a['ephemeral-storage'] };
  }

  /** The pods this kubelet runs, each with the status it last computed. */
  private pods(): KObject[] {
    return (this.workers?.pods() ?? []).map((p) => {
      const status = this.statusManager.getPodStatus(p.metadata.uid);
      return (status ? { ...p, status } : p) as KObject;
    });
  }
}
