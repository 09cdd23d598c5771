// A ContainerRuntime over a CRI v1 endpoint (containerd's socket), as the kubelet's
// --container-runtime-endpoint.
import { type ContainerRuntime, RuntimeError } from '../runtime/runtime-service.ts';
import { type CriMessage, fromEntries } from './cri-convert.ts';
import { createCriClient, DEFAULT_CALL_TIMEOUT_MS } from './cri-grpc-client.ts';
import { criImageService } from './cri-image-service.ts';
import { criRuntimeService } from './cri-runtime-service.ts';
import { ctrImport } from './ctr-import.ts';

export interface ConnectCriOptions {
  /** How long to wait for the endpoint to answer Version; default 10 s. */
  connectTimeoutMs?: number;
  /** Deadline of calls without one of their own (pulls, sandbox set-up and stops have longer ones); default 30 s. */
  callTimeoutMs?: number;
  /** `ctr`, for importImages; default the one on PATH. */
  ctrPath?: string;
}

export async function connectCri(endpoint: string, opts: ConnectCriOptions = {}): Promise<ContainerRuntime> {
  const cri = createCriClient(endpoint, opts.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS);
  const runtime = criRuntimeService(cri);
  const connectTimeoutMs = opts.connectTimeoutMs ?? 10_000;
  try {
    await cri.waitForReady(connectTimeoutMs);
    const v = await runtime.version();
    if (v.runtimeApiVersion !== 'v1') throw new RuntimeError(`${endpoint} speaks CRI ${v.runtimeApiVersion}, not v1`);
  } catch (err) {
    cri.close();
    const why = err instanceof Error ? err.message : String(err);
    throw new RuntimeError(`container runtime at ${endpoint} is not answering CRI v1: ${why}`, 'Unavailable');
  }

  let snapshotter: Promise<string> | undefined;
  const criSnapshotter = async (): Promise<string> => {
    const res = await cri.call<CriMessage>('RuntimeService', 'Status', { verbose: true });
    const config = JSON.parse(fromEntries(res.info).config ?? '{}') as { containerd?: { snapshotter?: string } };
    return config.containerd?.snapshotter || 'overlayfs';
  };

  return {
    name: 'containerd',
    runtime,
    images: criImageService(cri),
    async importImages(tarballs: string[]) {
      snapshotter ??= criSnapshotter();
      const address = socketPath(endpoint);
      const refs: string[] = [];
      // One at a time: ctr imports share the content store's ingest locks.
      for (const tarball of tarballs) refs.push(...(await ctrImport(tarball, { address, snapshotter: await snapshotter, ctrPath: opts.ctrPath })));
      return refs;
    },
    async close() {
      cri.close();
    },
  };
}

/** unix:///run/containerd/containerd.sock → /run/containerd/containerd.sock */
export function socketPath(endpoint: string): string {
  return endpoint.replace(/^unix:\/\//, '');
}
