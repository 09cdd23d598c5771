// Starts the non-apiserver components of this process, each a client of the API server reached
// through a kubeconfig (the admin one the in-process API server wrote, or --kubeconfig), exactly as
// separate kube-controller-manager and kube-scheduler processes would.
import { KubeClient } from '../client/kube-client.ts';
import type { LeaderElectionSettings } from './leader-elected.ts';
import { startControllerManager } from './controller-manager/controller-manager.ts';
import type { ComponentName, RunningComponent } from './names.ts';
import { startScheduler } from './scheduler/scheduler.ts';
import type { ControllerManagerFlags } from './controller-manager/controller-flags.ts';
import { startSimulatedNodesComponent } from './simulated-nodes/simulated-nodes-component.ts';
import { startKubeletComponent } from './kubelet/kubelet-component.ts';
import type { KubeletFlags } from '../options.ts';

export interface ClientComponentsOptions {
  /** Which to start; 'apiserver' is ignored here (main starts it). */
  components: readonly ComponentName[];
  kubeconfigPath: string;
  leaderElect: boolean;
  leaderElection: LeaderElectionSettings;
  log: (message: string) => void;
  /** kube-controller-manager flags the controllers read. */
  controllerFlags?: ControllerManagerFlags;
  /** --kube-api-qps/--kube-api-burst; unset fields take each binary's default (CLIENT_RATE_LIMIT_DEFAULTS). */
  kubeAPI?: { qps?: number; burst?: number };
  /** For the simulated-nodes component. */
  simulatedNodes?: { count: number; capacity: { cpu: string; memory: string; pods: string }; qps: number };
  /** For the kubelet component: its flags, the data dir it keeps state under, and whether it must run. */
  kubelet?: { flags: KubeletFlags; dataDir: string; required: boolean };
}

export interface RunningComponents {
  names: ComponentName[];
  server: string;
  /** When a kubelet was asked for: resolves once its node is registered, or with why there is none. */
  kubeletReady?: Promise<{ nodeName: string } | { unavailable: string }>;
  /** Stops components in reverse start order (releasing their leases), then closes connections. */
  stop(): Promise<void>;
}

/**
 * Upstream's default --kube-api-qps/--kube-api-burst per binary. Each component gets its own client
 * and so its own token bucket, as separate kube-controller-manager and kube-scheduler processes have.
 */
export const CLIENT_RATE_LIMIT_DEFAULTS = {
  'controller-manager': { qps: 20, burst: 30 },
  scheduler: { qps: 50, burst: 100 },
} as const;

export function startClientComponents(o: ClientComponentsOptions): RunningComponents {
  const wanted = o.components.filter((c) => c !== 'apiserver');
  const client = KubeClient.fromKubeconfig(o.kubeconfigPath);
  const common = { leaderElect: o.leaderElect, leaderElection: o.leaderElection, log: o.log };
  const own: KubeClient[] = [];
  const clientOf = (component: keyof typeof CLIENT_RATE_LIMIT_DEFAULTS) => {
    const d = CLIENT_RATE_LIMIT_DEFAULTS[component];
    const c = new KubeClient({ ...client.config, qps: o.kubeAPI?.qps ?? d.qps, burst: o.kubeAPI?.burst ?? d.burst });
    own.push(c);
    return c;
  };
  const running: RunningComponent[] = [];
  let kubeletReady: RunningComponents['kubeletReady'];
  for (const name of wanted) {
    if (name === 'controller-manager') running.push(startControllerManager({ ...common, client: clientOf('controller-manager'), flags: o.controllerFlags }));
    else if (name === 'scheduler') running.push(startScheduler({ ...common, client: clientOf('scheduler') }));
    else if (name === 'simulated-nodes') {
      const s = o.simulatedNodes ?? { count: 0, capacity: { cpu: '4', memory: '16Gi', pods: '110' }, qps: 50 };
      running.push(startSimulatedNodesComponent({ client, count: s.count, capacity: s.capacity, qps: s.qps, log: o.log }));
    } else if (name === 'kubelet' && o.kubelet) {
      const k = startKubeletComponent({ client, dataDir: o.kubelet.dataDir, flags: o.kubelet.flags, required: o.kubelet.required, log: o.log });
      kubeletReady = k.ready;
      running.push(k);
    }
  }
  return {
    names: running.map((r) => r.name),
    server: client.server,
    kubeletReady,
    stop: async () => {
      for (const r of [...running].reverse()) await r.stop();
      for (const c of own) c.close();
      client.close();
    },
  };
}
