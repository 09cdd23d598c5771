// Command-line flags → a typed ServerOptions. Flags are read here (and in main.ts) only; every other
// module receives plain options. Flag names follow kube-apiserver where one exists.
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { quantityError } from './apimachinery/quantity.ts';
import { COMPONENT_NAMES, isComponentName, type ComponentName } from './components/names.ts';

export interface ServerOptions {
  /** IP address to listen on (--bind-address). */
  bindAddress: string;
  /**
   * The address the `kubernetes` Service's endpoints advertise (--advertise-address); unset = the bind
   * address, or the host's default interface when that is loopback or unspecified.
   */
  advertiseAddress?: string;
  /** HTTPS port (--secure-port / --port); 0 picks a free port. */
  securePort: number;
  /** LevelDB state directory, absolute. */
  dataDir: string;
  /** Certificate directory, absolute. */
  certsDir: string;
  /** Where the admin kubeconfig is written, absolute. */
  kubeconfigPath: string;
  /** Static token CSV (token,user,uid,"group1,group2"), absolute; undefined = no token authentication. */
  tokenAuthFile?: string;
  /** CIDR services get their cluster IPs from; its first address is the kubernetes service IP. */
  serviceClusterIPRange: string;
  /** How often storage compacts old revisions; 0 disables compaction. */
  compactionIntervalMs: number;
  /** One line per event; defaults to stderr with the `k8ts:` prefix. */
  log?: (message: string) => void;
}

/** Which components this process runs and how they elect a leader (kube-controller-manager's flags). */
export interface ComponentOptions {
  /** --components; the default is every component. */
  components: ComponentName[];
  /** --leader-elect (default true, as upstream). */
  leaderElect: boolean;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
  /** --simulated-nodes: simulated nodes registered at start (src/nodes); >0 adds simulated-nodes to the default components. */
  simulatedNodes: number;
  /** --simulated-node-cpu/-memory/-pods: each simulated node's capacity. */
  simulatedNodeCapacity: { cpu: string; memory: string; pods: string };
  /** --simulated-kubelet-api-qps: the simulated kubelets' client QPS (the kubelet's --kube-api-qps, 50). */
  simulatedKubeletAPIQPS: number;
  /** --node-monitor-grace-period (kube-controller-manager). */
  nodeMonitorGracePeriodMs: number;
  /** --terminated-pod-gc-threshold (kube-controller-manager). */
  terminatedPodGCThreshold: number;
  /**
   * --kube-api-qps / --kube-api-burst: the client rate limit of kube-controller-manager and of
   * kube-scheduler, each its own; unset = each binary's upstream default (20/30 and 50/100).
   */
  kubeAPIQPS?: number;
  kubeAPIBurst?: number;
  /** --allocate-node-cidrs / --cluster-cidr / --node-cidr-mask-size (kube-controller-manager's node IPAM). */
  allocateNodeCIDRs: boolean;
  clusterCIDR: string;
  nodeCIDRMaskSize: number;
  kubelet: KubeletFlags;
  /** The kubelet was named in --components or a runtime was named: no runtime is then an error. */
  kubeletRequired: boolean;
}

/** The kubelet's flags (upstream names where the kubelet has one). */
export interface KubeletFlags {
  /**
   * --container-runtime: containerd (CRI) or docker; auto = containerd through --container-runtime-endpoint
   * when given, else a containerd child this process starts when it runs as root and containerd is installed.
   */
  containerRuntime: 'auto' | 'containerd' | 'docker';
  /** --container-runtime-endpoint: unix:///path of a running CRI runtime (containerd) or of dockerd. */
  containerRuntimeEndpoint?: string;
  /** --images-dir: image tarballs imported into the runtime at start (`npm run images` writes them). */
  imagesDir: string;
  /** --hostname-override: the node's name; default the host name. */
  hostnameOverride?: string;
  /** --node-ip: the node's InternalIP; default the host's default-route address. */
  nodeIP?: string;
  /** --pod-infra-container-image: the pod sandbox image. */
  podInfraContainerImage: string;
  /** --kubelet-port: the kubelet's HTTPS port (upstream kubelet's --port, 10250). */
  kubeletPort: number;
  /** --max-pods. */
  maxPods: number;
  /** --cni-bridge: the Linux bridge of the pod network (containerd); one per kubelet on a machine. */
  cniBridge: string;
  /** --kubelet-api-qps / --kubelet-api-burst: the kubelet's --kube-api-qps/--kube-api-burst (50/100). */
  kubeletAPIQPS: number;
  kubeletAPIBurst: number;
}

export const DEFAULT_POD_INFRA_CONTAINER_IMAGE = 'k8ts.local/pause:3.10';

function defaultKubeletFlags(cwd: string): KubeletFlags {
  return {
    containerRuntime: 'auto', imagesDir: resolve(cwd, 'images'), podInfraContainerImage: DEFAULT_POD_INFRA_CONTAINER_IMAGE,
    kubeletPort: 10250, maxPods: 110, kubeletAPIQPS: 50, kubeletAPIBurst: 100, cniBridge: 'k8ts0',
  };
}

export type ParsedCommandLine = { kind: 'help' } | { kind: 'run'; options: ServerOptions; components: ComponentOptions };

/** A bad command line: main prints the message on one line and exits 2. */
export class FlagError extends Error {
  override name = 'FlagError';
}

export const DEFAULT_SERVICE_CLUSTER_IP_RANGE = '10.96.0.0/12';

export function defaultComponentOptions(cwd: string = process.cwd()): ComponentOptions {
  return {
    allocateNodeCIDRs: true, clusterCIDR: '10.244.0.0/16', nodeCIDRMaskSize: 24, kubelet: defaultKubeletFlags(cwd), kubeletRequired: false,
    components: COMPONENT_NAMES.filter((c) => c !== 'simulated-nodes'), leaderElect: true, leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000,
    simulatedNodes: 0, simulatedNodeCapacity: { cpu: '4', memory: '16Gi', pods: '110' }, simulatedKubeletAPIQPS: 50,
    nodeMonitorGracePeriodMs: 40_000, terminatedPodGCThreshold: 12_500,
  };
}

export function defaultServerOptions(cwd: string = process.cwd()): ServerOptions {
  return {
    bindAddress: '127.0.0.1',
    securePort: 6443,
    dataDir: resolve(cwd, 'data'),
    certsDir: resolve(cwd, 'certs'),
    kubeconfigPath: resolve(cwd, 'kubeconfig', 'admin.kubeconfig'),
    serviceClusterIPRange: DEFAULT_SERVICE_CLUSTER_IP_RANGE,
    compactionIntervalMs: 5 * 60_000,
  };
}

export const USAGE = `Usage: npm start -- [flags]   (or: node --import tsx src/main.ts [flags])

A Kubernetes-compatible cluster: API server, controller manager, scheduler and kubelet in one process.

Flags:
      --advertise-address ip               The IP address on which to advertise the apiserver to members of the cluster. This address must be reachable by the rest of the cluster. If blank, the --bind-address will be used. If --bind-address is unspecified, the host's default interface will be used.
      --allocate-node-cidrs                Should CIDRs for Pods be allocated and set on the cloud provider. (default true)
      --bind-address ip                    The IP address on which to listen for the --secure-port port. (default 127.0.0.1)
      --certs-dir string                   Directory for the cluster CA, serving and admin certificates. (default ./certs)
      --cluster-cidr string                CIDR Range for Pods in cluster. (default 10.244.0.0/16)
      --cni-bridge string                  The Linux bridge of the pod network with containerd; each kubelet on one machine needs its own. (default k8ts0)
      --compaction-interval duration       The interval of compaction requests; 0 disables compaction. (default 5m0s)
      --components strings                 The components this process runs, comma-separated: apiserver, controller-manager, scheduler, kubelet, simulated-nodes. Without apiserver, the others connect to the API server named in --kubeconfig. (default apiserver, controller-manager, scheduler and kubelet (when a container runtime is found); with --simulated-nodes > 0, simulated-nodes instead of kubelet)
      --container-runtime string           The kubelet's container runtime: containerd (CRI) or docker; auto uses --container-runtime-endpoint, else starts containerd when run as root. (default auto)
      --container-runtime-endpoint string  The endpoint of the container runtime, unix:///path/to/socket (containerd's CRI socket, or dockerd's with --container-runtime=docker).
      --data-dir string                    Directory for the LevelDB state. (default ./data)
  -h, --help                               help for k8ts
      --hostname-override string           If non-empty, will use this string as identification instead of the actual hostname.
      --images-dir string                  Image tarballs (npm run images) the kubelet imports into its container runtime at start. (default ./images)
      --kube-api-burst int32               Burst to use while talking with kubernetes apiserver, for controller-manager and scheduler each. (default 30 for controller-manager, 100 for scheduler)
      --kube-api-qps float32               QPS to use while talking with kubernetes apiserver, for controller-manager and scheduler each. (default 20 for controller-manager, 50 for scheduler)
      --kubeconfig string                  Where the apiserver writes the admin kubeconfig, which the other components use to connect; without apiserver, the kubeconfig they connect with. (default ./kubeconfig/admin.kubeconfig)
      --kubelet-api-burst int32            Burst to use while the kubelet talks with kubernetes apiserver. (default 100)
      --kubelet-api-qps float32            QPS to use while the kubelet talks with kubernetes apiserver. (default 50)
      --kubelet-port int32                 The port for the kubelet to serve on. (default 10250)
      --leader-elect                       Start a leader election client and gain leadership before executing the main loop of controller-manager and scheduler. Enable this when running replicated components for high availability. (default true)
      --leader-elect-lease-duration duration   The duration that non-leader candidates will wait after observing a leadership renewal until attempting to acquire leadership of a led but unrenewed leader slot. (default 15s)
      --leader-elect-renew-deadline duration   The interval between attempts by the acting leader to renew a leadership slot before it stops leading. This must be less than the lease duration. (default 10s)
      --leader-elect-retry-period duration     The duration the clients should wait between attempting acquisition and renewal of a leadership. (default 2s)
      --max-pods int32                     Number of Pods that can run on this Kubelet. (default 110)
      --node-cidr-mask-size int32          Mask size for node cidr in cluster. (default 24)
      --node-ip string                     IP address of the node. If set, kubelet will use this IP address for the node.
      --node-monitor-grace-period duration     Amount of time which we allow running Node to be unresponsive before marking it unhealthy. (default 40s)
      --pod-infra-container-image string   The image whose network/ipc namespaces containers in each pod will use. (default k8ts.local/pause:3.10)
      --port int                           Alias of --secure-port.
      --secure-port int                    The port on which to serve HTTPS; 0 picks a free port. (default 6443)
      --service-cluster-ip-range string    A CIDR notation IP range from which to assign service cluster IPs. (default 10.96.0.0/12)
      --simulated-kubelet-api-qps float    QPS of the simulated kubelets' client to the API server. (default 50)
      --simulated-node-cpu string          CPU capacity of each simulated node, a quantity. (default 4)
      --simulated-node-memory string       Memory capacity of each simulated node, a quantity. (default 16Gi)
      --simulated-node-pods int            Pod capacity of each simulated node. (default 110)
      --simulated-nodes int                Register this many simulated nodes (sim-node-0 …) run by an in-process simulated kubelet; Nodes labelled k8ts.io/simulated=true created later are adopted too. (default 0)
      --terminated-pod-gc-threshold int    Number of terminated pods that can exist before the terminated pod garbage collector starts deleting terminated pods. If <= 0, the terminated pod garbage collector is disabled. (default 12500)
      --token-auth-file string             If set, the file that will be used to secure the secure port of the API server via token authentication.
`;

const FLAGS = {
  'advertise-address': { type: 'string' },
  'allocate-node-cidrs': { type: 'string' },
  'cluster-cidr': { type: 'string' },
  'cni-bridge': { type: 'string' },
  'container-runtime': { type: 'string' },
  'container-runtime-endpoint': { type: 'string' },
  'hostname-override': { type: 'string' },
  'images-dir': { type: 'string' },
  'kubelet-api-burst': { type: 'string' },
  'kubelet-api-qps': { type: 'string' },
  'kubelet-port': { type: 'string' },
  'max-pods': { type: 'string' },
  'node-cidr-mask-size': { type: 'string' },
  'node-ip': { type: 'string' },
  'pod-infra-container-image': { type: 'string' },
  'bind-address': { type: 'string' },
  'certs-dir': { type: 'string' },
  'compaction-interval': { type: 'string' },
  components: { type: 'string' },
  'data-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  'kube-api-burst': { type: 'string' },
  'kube-api-qps': { type: 'string' },
  kubeconfig: { type: 'string' },
  // pflag booleans also take =true/=false, which parseArgs' booleans do not: read as a string.
  'leader-elect': { type: 'string' },
  'leader-elect-lease-duration': { type: 'string' },
  'leader-elect-renew-deadline': { type: 'string' },
  'leader-elect-retry-period': { type: 'string' },
  'node-monitor-grace-period': { type: 'string' },
  port: { type: 'string' },
  'secure-port': { type: 'string' },
  'service-cluster-ip-range': { type: 'string' },
  'simulated-kubelet-api-qps': { type: 'string' },
  'simulated-node-cpu': { type: 'string' },
  'simulated-node-memory': { type: 'string' },
  'simulated-node-pods': { type: 'string' },
  'simulated-nodes': { type: 'string' },
  'terminated-pod-gc-threshold': { type: 'string' },
  'token-auth-file': { type: 'string' },
} as const;

export function parseCommandLine(argv: string[], cwd: string = process.cwd()): ParsedCommandLine {
  const values = parseFlags(argv);
  if (values.help) return { kind: 'help' };

  const options = defaultServerOptions(cwd);
  const port = values['secure-port'] ?? values.port;
  if (values['secure-port'] !== undefined && values.port !== undefined && values['secure-port'] !== values.port) {
    throw new FlagError(`conflicting values for --secure-port (${values['secure-port']}) and --port (${values.port})`);
  }
  if (port !== undefined) options.securePort = parsePort(port, values['secure-port'] !== undefined ? 'secure-port' : 'port');
  if (values['bind-address'] !== undefined) {
    const addr = values['bind-address'];
    if (!isIP(addr)) throw new FlagError(`invalid argument "${addr}" for "--bind-address" flag: failed to parse IP: "${addr}"`);
    options.bindAddress = addr;
  }
  if (values['advertise-address'] !== undefined) {
    const addr = values['advertise-address'];
    if (!isIP(addr)) throw new FlagError(`invalid argument "${addr}" for "--advertise-address" flag: failed to parse IP: "${addr}"`);
    options.advertiseAddress = addr;
  }
  if (values['data-dir'] !== undefined) options.dataDir = resolve(cwd, nonEmpty(values['data-dir'], 'data-dir'));
  if (values['certs-dir'] !== undefined) options.certsDir = resolve(cwd, nonEmpty(values['certs-dir'], 'certs-dir'));
  if (values.kubeconfig !== undefined) options.kubeconfigPath = resolve(cwd, nonEmpty(values.kubeconfig, 'kubeconfig'));
  if (values['token-auth-file'] !== undefined) options.tokenAuthFile = resolve(cwd, nonEmpty(values['token-auth-file'], 'token-auth-file'));
  if (values['service-cluster-ip-range'] !== undefined) {
    const cidr = values['service-cluster-ip-range'];
    if (!isCIDR(cidr)) throw new FlagError(`invalid argument "${cidr}" for "--service-cluster-ip-range" flag: invalid CIDR address: ${cidr}`);
    options.serviceClusterIPRange = cidr;
  }
  if (values['compaction-interval'] !== undefined) {
    const d = values['compaction-interval'];
    try {
      options.compactionIntervalMs = parseGoDuration(d);
    } catch (err) {
      throw new FlagError(`invalid argument "${d}" for "--compaction-interval" flag: ${(err as Error).message}`);
    }
  }
  return { kind: 'run', options, components: parseComponentOptions(values, cwd) };
}

function parseComponentOptions(values: ReturnType<typeof parseFlags>, cwd: string): ComponentOptions {
  const c = defaultComponentOptions(cwd);
  if (values.components !== undefined) {
    const names = values.components.split(',').map((n) => n.trim()).filter(Boolean);
    if (names.length === 0) throw new FlagError('invalid argument "" for "--components" flag: name at least one component');
    for (const n of names) {
      if (!isComponentName(n)) throw new FlagError(`invalid argument "${values.components}" for "--components" flag: unknown component "${n}" (known: ${COMPONENT_NAMES.join(', ')})`);
    }
    c.components = [...new Set(names as ComponentName[])];
  }
  parseNodeFlags(values, c);
  parseKubeletFlags(values, c, cwd);
  c.kubeletRequired = c.components.includes('kubelet') &&
    (values.components !== undefined || c.kubelet.containerRuntime !== 'auto' || c.kubelet.containerRuntimeEndpoint !== undefined);
  // Simulated nodes stand in for real ones: with them, the default leaves the real kubelet out.
  if (values.components === undefined && c.simulatedNodes > 0) c.components = [...c.components.filter((n) => n !== 'kubelet'), 'simulated-nodes'];
  if (values['leader-elect'] !== undefined) {
    const v = values['leader-elect'];
    if (!['true', 'false', '1', '0', 't', 'f', 'TRUE', 'FALSE', 'True', 'False'].includes(v)) {
      throw new FlagError(`invalid argument "${v}" for "--leader-elect" flag: strconv.ParseBool: parsing "${v}": invalid syntax`);
    }
    c.leaderElect = ['true', '1', 't', 'TRUE', 'True'].includes(v);
  }
  const durations = [['leader-elect-lease-duration', 'leaseDurationMs'], ['leader-elect-renew-deadline', 'renewDeadlineMs'], ['leader-elect-retry-period', 'retryPeriodMs']] as const;
  for (const [flag, field] of durations) {
    const d = values[flag];
    if (d === undefined) continue;
    try {
      c[field] = parseGoDuration(d);
    } catch (err) {
      throw new FlagError(`invalid argument "${d}" for "--${flag}" flag: ${(err as Error).message}`);
    }
  }
  // The checks of client-go's NewLeaderElector, with its messages.
  if (c.leaderElect) {
    if (c.leaseDurationMs <= c.renewDeadlineMs) throw new FlagError('leaseDuration must be greater than renewDeadline');
    if (c.renewDeadlineMs <= 1.2 * c.retryPeriodMs) throw new FlagError('renewDeadline must be greater than retryPeriod*JitterFactor');
  }
  return c;
}

function parseNodeFlags(values: ReturnType<typeof parseFlags>, c: ComponentOptions): void {
  const int = (flag: 'simulated-nodes' | 'simulated-node-pods' | 'terminated-pod-gc-threshold', min: number): number | undefined => {
    const v = values[flag];
    if (v === undefined) return undefined;
    if (!/^-?\d+$/.test(v)) throw new FlagError(`invalid argument "${v}" for "--${flag}" flag: strconv.ParseInt: parsing "${v}": invalid syntax`);
    const n = Number(v);
    if (n < min) throw new FlagError(`invalid argument "${v}" for "--${flag}" flag: must be at least ${min}`);
    return n;
  };
  c.simulatedNodes = int('simulated-nodes', 0) ?? c.simulatedNodes;
  c.terminatedPodGCThreshold = int('terminated-pod-gc-threshold', Number.MIN_SAFE_INTEGER) ?? c.terminatedPodGCThreshold;
  const pods = int('simulated-node-pods', 1);
  if (pods !== undefined) c.simulatedNodeCapacity.pods = String(pods);
  for (const [flag, field] of [['simulated-node-cpu', 'cpu'], ['simulated-node-memory', 'memory']] as const) {
    const v = values[flag];
    if (v === undefined) continue;
    const problem = quantityError(v);
    if (problem) throw new FlagError(`invalid argument "${v}" for "--${flag}" flag: ${problem}`);
    c.simulatedNodeCapacity[field] = v;
  }
  const qps = values['simulated-kubelet-api-qps'];
  if (qps !== undefined) {
    const n = Number(qps);
    if (qps.trim() === '' || !Number.isFinite(n) || n <= 0) throw new FlagError(`invalid argument "${qps}" for "--simulated-kubelet-api-qps" flag: must be a positive number`);
    c.simulatedKubeletAPIQPS = n;
  }
  const apiQPS = values['kube-api-qps'];
  if (apiQPS !== undefined) {
    const n = Number(apiQPS);
    if (apiQPS.trim() === '' || !Number.isFinite(n)) throw new FlagError(`invalid argument "${apiQPS}" for "--kube-api-qps" flag: strconv.ParseFloat: parsing "${apiQPS}": invalid syntax`);
    if (n <= 0) throw new FlagError(`invalid argument "${apiQPS}" for "--kube-api-qps" flag: must be a positive number`);
    c.kubeAPIQPS = n;
  }
  const apiBurst = values['kube-api-burst'];
  if (apiBurst !== undefined) {
    if (!/^-?\d+$/.test(apiBurst)) throw new FlagError(`invalid argument "${apiBurst}" for "--kube-api-burst" flag: strconv.ParseInt: parsing "${apiBurst}": invalid syntax`);
    if (Number(apiBurst) < 1) throw new FlagError(`invalid argument "${apiBurst}" for "--kube-api-burst" flag: must be at least 1`);
    c.kubeAPIBurst = Number(apiBurst);
  }
  const grace = values['node-monitor-grace-period'];
  if (grace !== undefined) {
    try {
      c.nodeMonitorGracePeriodMs = parseGoDuration(grace);
    } catch (err) {
      throw new FlagError(`invalid argument "${grace}" for "--node-monitor-grace-period" flag: ${(err as Error).message}`);
    }
  }
}

function parseKubeletFlags(values: ReturnType<typeof parseFlags>, c: ComponentOptions, cwd: string): void {
  const k = c.kubelet;
  const rt = values['container-runtime'];
  if (rt !== undefined) {
    if (rt !== 'containerd' && rt !== 'docker' && rt !== 'auto') throw new FlagError(`invalid argument "${rt}" for "--container-runtime" flag: must be containerd, docker or auto`);
    k.containerRuntime = rt;
  }
  const endpoint = values['container-runtime-endpoint'];
  if (endpoint !== undefined) {
    if (!/^unix:\/\/\/./.test(endpoint) && !endpoint.startsWith('/')) throw new FlagError(`invalid argument "${endpoint}" for "--container-runtime-endpoint" flag: must be unix:///path/to/socket`);
    k.containerRuntimeEndpoint = endpoint.startsWith('/') ? `unix://${endpoint}` : endpoint;
  }
  const bridge = values['cni-bridge'];
  if (bridge !== undefined) {
    if (!/^[A-Za-z0-9_.-]{1,15}$/.test(bridge)) throw new FlagError(`invalid argument "${bridge}" for "--cni-bridge" flag: must be a network interface name of 1 to 15 letters, digits, '-', '_' or '.'`);
    k.cniBridge = bridge;
  }
  if (values['images-dir'] !== undefined) k.imagesDir = resolve(cwd, nonEmpty(values['images-dir'], 'images-dir'));
  if (values['hostname-override'] !== undefined) k.hostnameOverride = nonEmpty(values['hostname-override'], 'hostname-override').toLowerCase();
  if (values['node-ip'] !== undefined) {
    const ip = values['node-ip'];
    if (!isIP(ip)) throw new FlagError(`invalid argument "${ip}" for "--node-ip" flag: failed to parse IP: "${ip}"`);
    k.nodeIP = ip;
  }
  if (values['pod-infra-container-image'] !== undefined) k.podInfraContainerImage = nonEmpty(values['pod-infra-container-image'], 'pod-infra-container-image');
  if (values['kubelet-port'] !== undefined) k.kubeletPort = parsePort(values['kubelet-port'], 'kubelet-port');
  const posInt = (flag: 'max-pods' | 'kubelet-api-burst' | 'node-cidr-mask-size', v: string) => {
    if (!/^\d+$/.test(v) || Number(v) < 1) throw new FlagError(`invalid argument "${v}" for "--${flag}" flag: must be a positive integer`);
    return Number(v);
  };
  if (values['max-pods'] !== undefined) k.maxPods = posInt('max-pods', values['max-pods']);
  if (values['kubelet-api-burst'] !== undefined) k.kubeletAPIBurst = posInt('kubelet-api-burst', values['kubelet-api-burst']);
  const qps = values['kubelet-api-qps'];
  if (qps !== undefined) {
    const n = Number(qps);
    if (qps.trim() === '' || !Number.isFinite(n) || n <= 0) throw new FlagError(`invalid argument "${qps}" for "--kubelet-api-qps" flag: must be a positive number`);
    k.kubeletAPIQPS = n;
  }
  const alloc = values['allocate-node-cidrs'];
  if (alloc !== undefined) {
    if (!['true', 'false'].includes(alloc)) throw new FlagError(`invalid argument "${alloc}" for "--allocate-node-cidrs" flag: strconv.ParseBool: parsing "${alloc}": invalid syntax`);
    c.allocateNodeCIDRs = alloc === 'true';
  }
  const cidr = values['cluster-cidr'];
  if (cidr !== undefined) {
    if (!isCIDR(cidr) || isIP(cidr.split('/')[0]!) !== 4) throw new FlagError(`invalid argument "${cidr}" for "--cluster-cidr" flag: an IPv4 CIDR is required`);
    c.clusterCIDR = cidr;
  }
  if (values['node-cidr-mask-size'] !== undefined) c.nodeCIDRMaskSize = posInt('node-cidr-mask-size', values['node-cidr-mask-size']);
  if (c.nodeCIDRMaskSize < Number(c.clusterCIDR.split('/')[1]) || c.nodeCIDRMaskSize > 30) {
    throw new FlagError(`invalid argument "${c.nodeCIDRMaskSize}" for "--node-cidr-mask-size" flag: must be between the --cluster-cidr prefix length and 30`);
  }
}

function parseFlags(argv: string[]) {
  try {
    // A bare --leader-elect means true, as a pflag boolean.
    const args = argv.map((a) => (a === '--leader-elect' ? '--leader-elect=true' : a === '--allocate-node-cidrs' ? '--allocate-node-cidrs=true' : a));
    return parseArgs({ args, options: FLAGS, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw translateParseArgsError(err, argv);
  }
}

// parseArgs' messages name the option in its own words; we answer in pflag's, which users of
// kube-apiserver recognise.
function translateParseArgsError(err: unknown, argv: string[]): FlagError {
  const e = err as { code?: string; message?: string };
  const quoted = /'([^']*)'/.exec(e.message ?? '')?.[1] ?? '';
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return new FlagError(`unknown flag: ${quoted.split('=')[0] || argv.join(' ')}`);
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return new FlagError(`flag needs an argument: ${quoted.split(' ')[0]}`);
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return new FlagError(`unexpected argument "${quoted}": k8ts takes flags only`);
    default:
      return new FlagError(e.message ?? String(err));
  }
}

function parsePort(value: string, flag: string): number {
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new FlagError(`invalid argument "${value}" for "--${flag}" flag: must be a port number between 0 and 65535`);
  }
  return n;
}

function nonEmpty(value: string, flag: string): string {
  if (value === '') throw new FlagError(`invalid argument "" for "--${flag}" flag: must not be empty`);
  return value;
}

export function isCIDR(value: string): boolean {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(value);
  if (!m) return false;
  const family = isIP(m[1]!);
  const bits = Number(m[2]);
  return family !== 0 && bits <= (family === 4 ? 32 : 128);
}

const DURATION_UNITS_MS: Record<string, number> = {
  ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000,
};

/** Go's time.ParseDuration ("5m", "1h30m", "1.5s", "0"), in milliseconds. */
export function parseGoDuration(value: string): number {
  let s = value;
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') throw new Error(`time: invalid duration "${value}"`);
  let total = 0;
  const re = /^(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/;
  while (s !== '') {
    const m = re.exec(s);
    if (!m) {
      if (/^(\d+(?:\.\d*)?|\.\d+)$/.test(s)) throw new Error(`time: missing unit in duration "${value}"`);
      throw new Error(`time: invalid duration "${value}"`);
    }
    total += Number(m[1]) * DURATION_UNITS_MS[m[2]!]!;
    s = s.slice(m[0].length);
  }
  if (sign < 0) throw new Error(`time: invalid duration "${value}": must not be negative`);
  return Math.round(total);
}
