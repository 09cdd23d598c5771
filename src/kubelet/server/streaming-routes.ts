// The kubelet's upgrade endpoints: /exec and /attach/{namespace}/{pod}[/{uid}]/{container} and
// /portForward/{namespace}/{pod}[/{uid}]. The pod and container are found first, so a problem is a
// plain HTTP answer that the API server relays and kubectl prints ("unable to upgrade connection:
// container not found ("c")"); then the streaming protocols take the socket.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { servePortForward, serveRemoteCommand } from '../streaming/index.ts';
import type { StreamIO } from '../runtime/runtime-service.ts';
import type { KubeletServerHandlers } from './kubelet-server-handlers.ts';
import { findPod, findReadySandbox, findRunningContainer, podFullName } from './pod-lookup.ts';
import { writePlainToSocket } from './plain-response.ts';

export type StreamingKind = 'exec' | 'attach' | 'portForward';

export async function serveStreamingUpgrade(
  kind: StreamingKind, req: IncomingMessage, socket: Duplex, head: Buffer, url: URL, params: string[], handlers: KubeletServerHandlers,
): Promise<void> {
  const query = url.searchParams;
  if (kind === 'portForward') {
    if (params.length < 2 || params.length > 3) return writePlainToSocket(socket, 404, '404 page not found');
    const [namespace = '', name = '', uid] = params;
    const pod = findPod(handlers.pods(), namespace, name, uid);
    if (!pod) return writePlainToSocket(socket, 404, 'pod does not exist');
    const sandboxId = await findReadySandbox(handlers.runtime, pod);
    if (!sandboxId) return writePlainToSocket(socket, 500, `pod not found (${JSON.stringify(podFullName(pod))})`);
    let ports: number[];
    try {
      ports = parsePorts(query.getAll('port'));
    } catch (err) {
      return writePlainToSocket(socket, 400, (err as Error).message);
    }
    // Upstream's message names the sandbox, as the runtime's streaming server knows the pod.
    servePortForward(req, socket, head, ports, (port: number) => handlers.runtime.portForward(sandboxId, port), { podName: sandboxId, uid: '' });
    return;
  }

  if (params.length < 3 || params.length > 4) return writePlainToSocket(socket, 404, '404 page not found');
  const [namespace = '', name = ''] = params;
  const uid = params.length === 4 ? params[2] : undefined;
  const containerName = params[params.length - 1]!;
  // remotecommand.NewOptions: a tty has no separate stderr.
  const tty = flag(query, 'tty');
  const opts = { stdin: flag(query, 'input') || flag(query, 'stdin'), stdout: flag(query, 'output') || flag(query, 'stdout'), stderr: flag(query, 'error') || flag(query, 'stderr'), tty };
  if (tty) opts.stderr = false;
  if (!opts.stdin && !opts.stdout && !opts.stderr) return writePlainToSocket(socket, 400, 'you must specify at least 1 of stdin, stdout, stderr');
  const pod = findPod(handlers.pods(), namespace, name, uid);
  if (!pod) return writePlainToSocket(socket, 404, 'pod does not exist');
  const containerId = await findRunningContainer(handlers.runtime, pod, containerName);
  if (!containerId) return writePlainToSocket(socket, 500, `container not found (${JSON.stringify(containerName)})`);
  const command = query.getAll('command');
  const runtime = handlers.runtime;
  serveRemoteCommand(req, socket, head, opts, kind === 'exec'
    ? (io: StreamIO) => runtime.exec(containerId, command, io)
    : (io: StreamIO) => runtime.attach(containerId, io));
}

// The API server sends "1"; "true" is accepted too for hand-made requests.
function flag(query: URLSearchParams, name: string): boolean {
  const v = query.get(name);
  return v === '1' || v?.toLowerCase() === 'true';
}

/** ?port=80&port=8080 or ?port=80,8080 (WebSocket port forwarding names its ports in the URL). */
function parsePorts(values: string[]): number[] {
  const ports: number[] = [];
  for (const value of values) {
    if (value === '') throw new Error('query parameter "port" cannot be empty');
    for (const p of value.split(',')) {
      const port = /^\d+$/.test(p) ? Number(p) : NaN;
      if (!(port <= 65535)) throw new Error(`unable to parse "${value}" as a port: strconv.ParseUint: parsing "${p}": invalid syntax`);
      if (port < 1) throw new Error(`port "${value}" must be > 0`);
      ports.push(port);
    }
  }
  return ports;
}
