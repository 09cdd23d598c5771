// k8ts with a real kubelet on containerd for the kubelet pod start-up phase: the server child starts its
// own containerd (as root) and registers one node. Stopping it leaves the machine as it was: the bench's
// pods are deleted through the API first (the kubelet removes their containers), and whatever still
// runs under the data dir afterwards (shims of a crashed run) is removed through CRI and reported.
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { connectCri } from '../src/kubelet/cri/connect-cri.ts';
import { startContainerd } from '../src/kubelet/containerd/index.ts';
import { buildImages, SANDBOX_IMAGE } from '../src/kubelet/images/index.ts';
import { containerdSkipReason } from '../test/helpers/containerd.ts';
import { ApiClient } from './https-client.ts';
import { createNamespace } from './phases/crud.ts';
import { waitForReadyNodes } from './pods.ts';
import { startServerProcess, type ServerProcess } from './server-process.ts';

const run = promisify(execFile);

/** Its own bridge and pod network, apart from the test suites' (k8tsci*, k8tsaccept0, 10.244–10.247). */
export const KUBELET_BENCH_BRIDGE = 'k8tsbench0';
const CLUSTER_CIDR = '10.248.0.0/16';
const NODE_NAME = 'k8ts-bench-node';
/** containerd start-up and image import come first; the node then registers and turns Ready. */
const NODE_LIMIT_MS = 180_000;
const GONE_LIMIT_MS = 120_000;

/** Why the phase cannot run here (not root, containerd/runc/CNI/busybox missing), or undefined. */
export const kubeletSkipReason = containerdSkipReason;

export interface KubeletNode {
  server: ServerProcess;
  nodeName: string;
  /** Server flags given beyond the bench's defaults. */
  serverArgs: string[];
  /** Deletes the namespace's pods, stops the server (SIGTERM), removes leftovers. */
  stop(): Promise<KubeletNodeShutdown>;
}

export interface KubeletNodeShutdown {
  exitCode: number | null;
  /** Processes still running under the data dir after the server exited (containerd, shims): each an error. */
  leftovers: string[];
}

/** `root` must be short: containerd's socket lives at <root>/data/containerd/containerd.sock (≤ 107 bytes). */
export async function startKubeletNode(root: string, namespace: string, serverArgs: string[]): Promise<KubeletNode> {
  const imagesDir = join(root, 'images');
  await buildImages(imagesDir);
  const server = await startServerProcess(root, [
    '--components=apiserver,controller-manager,scheduler,kubelet', '--leader-elect=false',
    '--kubelet-port', '0', '--cni-bridge', KUBELET_BENCH_BRIDGE, '--cluster-cidr', CLUSTER_CIDR,
    '--hostname-override', NODE_NAME, '--images-dir', imagesDir, ...serverArgs,
  ]);
  const client = new ApiClient(server.url, server.credentials, 2);
  const stop = async (): Promise<KubeletNodeShutdown> => {
    await deleteAllPods(client, namespace).catch(() => {});
    client.close();
    const exitCode = await server.stop();
    return { exitCode, leftovers: await removeLeftovers(root) };
  };
  try {
    const [nodeName] = await waitForReadyNodes(client, 1, NODE_LIMIT_MS).catch((err: Error) => {
      throw new Error(`${err.message}; server log:\n${kubeletLogTail(server)}`);
    });
    await createNamespaceWithServiceAccount(client, namespace);
    return { server, nodeName: nodeName!, serverArgs, stop };
  } catch (err) {
    const { leftovers } = await stop();
    if (leftovers.length > 0) (err as Error).message += `; left running after shutdown (removed): ${leftovers.join('; ')}`;
    throw err;
  }
}

/** The server's kubelet and containerd log lines, for a failure message. */
export function kubeletLogTail(server: ServerProcess, lines = 30): string {
  return server.stderr().split('\n').filter((l) => /kubelet|containerd/.test(l)).slice(-lines).join('\n');
}

/** Pods are admitted once the namespace's default ServiceAccount exists (the ServiceAccount controller makes it). */
async function createNamespaceWithServiceAccount(client: ApiClient, namespace: string): Promise<void> {
  await createNamespace(client, namespace);
  await pollUntil(async () => (await client.request('GET', `/api/v1/namespaces/${namespace}/serviceaccounts/default`)).status === 200,
    60_000, `the default ServiceAccount of ${namespace}`);
}

async function deleteAllPods(client: ApiClient, namespace: string): Promise<void> {
  const path = `/api/v1/namespaces/${namespace}/pods`;
  await client.request('DELETE', path);
  await pollUntil(async () => {
    const res = await client.request('GET', path);
    return res.status === 200 && (JSON.parse(res.body.toString('utf8')) as { items: unknown[] }).items.length === 0;
  }, GONE_LIMIT_MS, `every pod of ${namespace} gone`);
}

async function pollUntil(check: () => Promise<boolean>, limitMs: number, what: string): Promise<void> {
  const deadline = performance.now() + limitMs;
  while (performance.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out after ${limitMs} ms waiting for ${what}`);
}

/**
 * After the server exited: processes still naming the data dir (a shim keeps a container alive) are
 * listed, and their pods removed by a containerd started again on that dir; then mounts under root
 * and the bench's bridge go.
 */
async function removeLeftovers(root: string): Promise<string[]> {
  const dataDir = join(root, 'data');
  const leftovers = await processesUnder(dataDir);
  if (leftovers.length > 0) {
    const cniConfDir = join(dataDir, 'containerd', 'cni', 'net.d');
    const containerd = await startContainerd({ dataDir, sandboxImage: SANDBOX_IMAGE, cniConfDir }).catch(() => undefined);
    const cri = containerd ? await connectCri(containerd.endpoint).catch(() => undefined) : undefined;
    for (const s of await cri?.runtime.listPodSandbox().catch(() => []) ?? []) {
      await cri!.runtime.stopPodSandbox(s.id).catch(() => {});
      await cri!.runtime.removePodSandbox(s.id).catch(() => {});
    }
    await cri?.close();
    await containerd?.stop();
  }
  const mounts = (await readFile('/proc/self/mounts', 'utf8')).split('\n').map((l) => l.split(' ')[1] ?? '').filter((m) => m.startsWith(`${root}/`));
  for (const m of mounts.reverse()) await run('umount', ['-l', m]).catch(() => {});
  const ports = await readdir(`/sys/class/net/${KUBELET_BENCH_BRIDGE}/brif`).catch(() => undefined);
  if (ports?.length === 0) await run('ip', ['link', 'delete', KUBELET_BENCH_BRIDGE]).catch(() => {});
  return leftovers;
}

/** "pid command" of every process whose command line names a path under dir. */
async function processesUnder(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const pid of (await readdir('/proc')).filter((p) => /^\d+$/.test(p))) {
    const args = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).split('\0').filter(Boolean);
    if (args.some((a) => a.includes(`${dir}/`))) found.push(`${pid} ${args.join(' ')}`);
  }
  return found;
}
