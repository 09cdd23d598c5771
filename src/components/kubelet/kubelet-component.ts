// The kubelet as a component of this process: a client of the API server like the others (its own
// client with the kubelet's rate limit), on a container runtime (kubelet-runtime.ts), serving its HTTPS
// endpoint for logs, exec, attach, port-forward and stats. It starts in the background so the API is
// ready at once; without a usable runtime it says so in one line and the API is served without it.
import { hostname } from 'node:os';
import { join } from 'node:path';
import { chooseHostInterface } from '../../apiserver/advertise-address.ts';
import type { KubeClient } from '../../client/kube-client.ts';
import { startKubelet, type RunningKubelet } from '../../kubelet/kubelet.ts';
import { startKubeletServer, type KubeletServerHandlers, type RunningKubeletServer } from '../../kubelet/server/index.ts';
import type { KubeletFlags } from '../../options.ts';
import type { RunningComponent } from '../names.ts';
import { NoRuntimeError, resolveRuntime, type ResolvedRuntime } from './kubelet-runtime.ts';
import { kubeletServingCertificate } from './kubelet-serving-cert.ts';

export interface KubeletComponentOptions {
  /** A client whose config the kubelet's own client copies (server and credentials). */
  client: KubeClient;
  /** The data dir: the kubelet keeps its state under <dataDir>/kubelet, containerd under <dataDir>/containerd. */
  dataDir: string;
  flags: KubeletFlags;
  /** Named in --components (or a runtime flag given): no runtime is then an error, not a note. */
  required: boolean;
  log: (message: string) => void;
}

export interface RunningKubeletComponent extends RunningComponent {
  /** Resolves when the node is registered (or with the reason there is none). */
  ready: Promise<{ nodeName: string } | { unavailable: string }>;
}

export function startKubeletComponent(o: KubeletComponentOptions): RunningKubeletComponent {
  const nodeName = o.flags.hostnameOverride ?? hostname().toLowerCase();
  let runtime: ResolvedRuntime | undefined;
  let server: RunningKubeletServer | undefined;
  let kubelet: RunningKubelet | undefined;
  let stopping = false;

  const start = async (): Promise<{ nodeName: string } | { unavailable: string }> => {
    try {
      runtime = await resolveRuntime({ flags: o.flags, dataDir: o.dataDir, log: o.log });
    } catch (err) {
      if (!(err instanceof NoRuntimeError) || o.required) throw err;
      o.log(`kubelet: not started: ${err.message}; serving the API without a node`);
      return { unavailable: err.message };
    }
    if (stopping) return { unavailable: 'stopped' };
    const kubeletDir = join(o.dataDir, 'kubelet');
    // The server starts first (its port goes into the Node's daemonEndpoints); it serves once the kubelet runs.
    let handlers: KubeletServerHandlers | undefined;
    const notYet = (): never => { throw new Error('the kubelet is starting'); };
    const lateHandlers: KubeletServerHandlers = {
      pods: () => handlers?.pods() ?? [],
      get runtime() { return handlers?.runtime ?? notYet(); },
      summary: () => handlers?.summary() ?? Promise.reject(new Error('the kubelet is starting')),
    };
    const tls = await kubeletServingCertificate(join(kubeletDir, 'pki'), nodeName);
    const clientCA = o.client.config.ca?.toString();
    if (!clientCA) throw new Error('the kubeconfig has no certificate-authority: the kubelet needs the cluster CA to authenticate the API server');
    server = await startKubeletServer({ port: o.flags.kubeletPort, tls, clientCA, handlers: lateHandlers, log: o.log });
    kubelet = await startKubelet({
      client: o.client, runtime: runtime.connect, nodeName, dataDir: kubeletDir, hostIP: o.flags.nodeIP ?? chooseHostInterface(),
      cniConfDir: runtime.cniConfDir, cniBridge: o.flags.cniBridge, imagesDir: o.flags.imagesDir, maxPods: o.flags.maxPods, kubeletPort: server.port,
      log: o.log, qps: o.flags.kubeletAPIQPS, burst: o.flags.kubeletAPIBurst,
    });
    handlers = kubelet.handlers;
    o.log(`kubelet: node ${nodeName} registered on ${runtime.description}; kubelet port ${server.port}`);
    return { nodeName };
  };

  const ready = start().catch(async (err: Error) => {
    o.log(`kubelet: failed: ${err.message}`);
    await stopAll();
    if (o.required) process.exitCode = 1;
    return { unavailable: err.message };
  });

  async function stopAll(): Promise<void> {
    await kubelet?.stop().catch(() => {});
    await server?.close().catch(() => {});
    await runtime?.stop().catch(() => {});
    kubelet = undefined;
    server = undefined;
    runtime = undefined;
  }

  return {
    name: 'kubelet',
    ready,
    async stop() {
      stopping = true;
      await ready;
      await stopAll();
    },
  };
}
