// Shared by the kubelet server and pod proxy tests: certificates from a cluster CA, a kubelet server
// on a free port, and a stand-in RuntimeService whose containers log to real files, run a few
// commands (echo, cat, exit), forward ports to local TCP servers and report the stats they are given.
import { createServer, connect, type AddressInfo, type Server } from 'node:net';
import type { Duplex } from 'node:stream';
import type { KObject } from '../../src/apimachinery/types.ts';
import { createCertificateAuthority, issueCertificate, issueClientCertificate, type CertKeyPair } from '../../src/certs/index.ts';
import { startKubeletServer, type KubeletServerHandlers, type RunningKubeletServer } from '../../src/kubelet/server/index.ts';
import { CONTAINER_NAME_LABEL, POD_NAME_LABEL, POD_NAMESPACE_LABEL, POD_UID_LABEL } from '../../src/kubelet/runtime-labels.ts';
import type {
  Container, ContainerState, ContainerStats, ContainerStatus, ExecResult, PodSandbox, RuntimeService, StreamIO,
} from '../../src/kubelet/runtime/runtime-service.ts';
import type { Summary } from '../../src/kubelet/stats/summary-types.ts';

export interface TestCerts {
  ca: CertKeyPair;
  kubeletServing: CertKeyPair;
  /** Signed by the CA: the API server's kubelet client. */
  client: CertKeyPair;
  /** Signed by a CA the kubelet does not trust. */
  stranger: CertKeyPair;
}

export async function testCerts(ca?: CertKeyPair): Promise<TestCerts> {
  const clusterCA = ca ?? await createCertificateAuthority('test-ca');
  const otherCA = await createCertificateAuthority('other-ca');
  const [kubeletServing, client, stranger] = await Promise.all([
    issueCertificate(clusterCA, { commonName: 'kubelet', usage: 'server', sans: { dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] } }),
    issueClientCertificate(clusterCA, 'kube-apiserver-kubelet-client', ['system:masters']),
    issueClientCertificate(otherCA, 'mallory'),
  ]);
  return { ca: clusterCA, kubeletServing, client, stranger };
}

export interface FakeContainer {
  id: string;
  sandboxId: string;
  pod: { name: string; namespace: string; uid: string };
  name: string;
  state: ContainerState;
  logPath: string;
  logFormat?: 'cri' | 'docker-json';
  createdAtNs?: bigint;
}

/**
 * A RuntimeService over in-memory containers. exec runs `echo ARGS` (prints them), `cat` (copies
 * stdin), `exit N`; attach prints "attached"; portForward connects to `ports[port]` on 127.0.0.1.
 */
export class FakeRuntime implements RuntimeService {
  readonly containers = new Map<string, FakeContainer>();
  readonly ports = new Map<number, number>();
  stats: ContainerStats[] = [];

  add(c: FakeContainer): void { this.containers.set(c.id, c); }

  private sandboxes(): PodSandbox[] {
    const seen = new Map<string, PodSandbox>();
    for (const c of this.containers.values()) {
      seen.set(c.sandboxId, {
        id: c.sandboxId, metadata: { ...c.pod, attempt: 0 }, state: 'SANDBOX_READY', createdAt: 0n,
        labels: { [POD_NAME_LABEL]: c.pod.name, [POD_NAMESPACE_LABEL]: c.pod.namespace, [POD_UID_LABEL]: c.pod.uid }, annotations: {},
      });
    }
    return [...seen.values()];
  }

  private container(c: FakeContainer): Container {
    return {
      id: c.id, podSandboxId: c.sandboxId, metadata: { name: c.name, attempt: 0 }, image: 'busybox', imageRef: 'sha256:0',
      state: c.state, createdAt: c.createdAtNs ?? 1_700_000_000_000_000_000n, annotations: {},
      labels: { [POD_NAME_LABEL]: c.pod.name, [POD_NAMESPACE_LABEL]: c.pod.namespace, [POD_UID_LABEL]: c.pod.uid, [CONTAINER_NAME_LABEL]: c.name },
    };
  }

  async listPodSandbox(filter?: { state?: string; labelSelector?: Record<string, string> }): Promise<PodSandbox[]> {
    return this.sandboxes().filter((s) => matches(s.labels, filter?.labelSelector) && (!filter?.state || s.state === filter.state));
  }

  async listContainers(filter?: { state?: ContainerState; labelSelector?: Record<string, string> }): Promise<Container[]> {
    return [...this.containers.values()].map((c) => this.container(c))
      .filter((c) => matches(c.labels, filter?.labelSelector) && (!filter?.state || c.state === filter.state));
  }

  async containerStatus(id: string): Promise<ContainerStatus> {
    const c = this.containers.get(id);
    if (!c) throw new Error(`an error occurred when try to find container "${id}": not found`);
    return { ...this.container(c), startedAt: 0n, finishedAt: 0n, exitCode: 0, reason: '', message: '', logPath: c.logPath, logFormat: c.logFormat ?? 'cri' };
  }

  async listContainerStats(): Promise<ContainerStats[]> { return this.stats; }

  async exec(_id: string, cmd: string[], io: StreamIO): Promise<ExecResult> {
    switch (cmd[0]) {
      case 'echo':
        io.stdout?.write(`${cmd.slice(1).join(' ')}\n`);
        return { exitCode: 0 };
      case 'cat':
        if (io.stdin && io.stdout) for await (const chunk of io.stdin) io.stdout.write(chunk);
        return { exitCode: 0 };
      case 'exit':
        return { exitCode: Number(cmd[1]) };
      default:
        io.stderr?.write(`${cmd[0]}: not found\n`);
        return { exitCode: 127 };
    }
  }

  async attach(_id: string, io: StreamIO): Promise<ExecResult> {
    io.stdout?.write('attached\n');
    return { exitCode: 0 };
  }

  async portForward(_sandbox: string, port: number): Promise<Duplex> {
    const target = this.ports.get(port);
    if (!target) throw new Error(`failed to connect to localhost:${port}: connection refused`);
    const socket = connect(target, '127.0.0.1');
    await new Promise<void>((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject); });
    return socket;
  }

  version(): never { throw new Error('not used'); }
  runPodSandbox(): never { throw new Error('not used'); }
  stopPodSandbox(): never { throw new Error('not used'); }
  removePodSandbox(): never { throw new Error('not used'); }
  podSandboxStatus(): never { throw new Error('not used'); }
  createContainer(): never { throw new Error('not used'); }
  startContainer(): never { throw new Error('not used'); }
  stopContainer(): never { throw new Error('not used'); }
  removeContainer(): never { throw new Error('not used'); }
  execSync(): never { throw new Error('not used'); }
}

function matches(labels: Record<string, string>, selector?: Record<string, string>): boolean {
  return Object.entries(selector ?? {}).every(([k, v]) => labels[k] === v);
}

export interface TestKubelet {
  server: RunningKubeletServer;
  pods: Map<string, KObject>;
  runtime: FakeRuntime;
}

export async function startTestKubelet(certs: TestCerts, summary: () => Promise<Summary> = async () => { throw new Error('no stats'); }): Promise<TestKubelet> {
  const pods = new Map<string, KObject>();
  const runtime = new FakeRuntime();
  const handlers: KubeletServerHandlers = { pods: () => [...pods.values()], runtime, summary };
  const server = await startKubeletServer({
    address: '127.0.0.1', port: 0, tls: certs.kubeletServing, clientCA: certs.ca.cert, handlers,
  });
  return { server, pods, runtime };
}

/** A TCP server answering each line with "echo: line". */
export async function startEchoServer(): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((s) => {
    s.on('error', () => {});
    s.on('data', (d) => s.write(`echo: ${d.toString()}`));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => { server.close(() => resolve()); server.unref(); }),
  };
}

/** A running pod as the kubelet reports it. */
export function runningPod(namespace: string, name: string, uid: string, containers: { name: string; id: string }[]): KObject {
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, uid },
    spec: { nodeName: 'n', containers: containers.map((c) => ({ name: c.name, image: 'busybox' })) },
    status: {
      phase: 'Running', startTime: now,
      containerStatuses: containers.map((c) => ({
        name: c.name, ready: true, restartCount: 0, image: 'busybox', imageID: '', containerID: `containerd://${c.id}`,
        state: { running: { startedAt: now } },
      })),
    },
  };
}
