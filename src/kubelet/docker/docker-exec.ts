// Exec, attach and port-forward against Docker. Exec and attach hijack the HTTP connection (Upgrade:
// tcp) and stream directly; the exit code of an exec comes from /exec/{id}/json once it has stopped.
// Port forwarding has no Docker API: the pod IP is reachable from the node through the pod network's
// bridge, so a TCP connection to it is the stream (127.0.0.1 for host-network pods).
import { connect, type Socket } from 'node:net';
import { PassThrough, type Duplex } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import type { ExecResult, StreamIO } from '../runtime/runtime-service.ts';
import { RuntimeError } from '../runtime/runtime-service.ts';
import { wrap } from './docker-errors.ts';
import { inspectSandbox, sandboxIp } from './docker-sandbox.ts';
import { pipeHijacked } from './docker-stream.ts';
import type { ContainerInspect, DockerContext } from './docker-types.ts';

/** What execSync keeps of each stream (CRI's gRPC message limit is 16 MiB). */
const EXEC_SYNC_OUTPUT_LIMIT = 16 * 1024 * 1024;

interface ExecInspect { Running: boolean; ExitCode: number | null; Pid: number }

async function createExec(ctx: DockerContext, containerId: string, cmd: string[], o: { stdin: boolean; stdout: boolean; stderr: boolean; tty: boolean }): Promise<string> {
  const { Id } = await ctx.docker.json<{ Id: string }>({
    method: 'POST',
    path: `/containers/${encodeURIComponent(containerId)}/exec`,
    body: { Cmd: cmd, AttachStdin: o.stdin, AttachStdout: o.stdout, AttachStderr: o.stderr, Tty: o.tty },
  }).catch((err) => {
    throw wrap(err, `failed to exec in container "${containerId}"`);
  });
  return Id;
}

/** The exit code once the exec has stopped (the stream can close a moment before Docker records it). */
async function execExitCode(ctx: DockerContext, execId: string): Promise<number> {
  for (let i = 0; ; i++) {
    const r = await ctx.docker.json<ExecInspect>({ path: `/exec/${execId}/json` });
    if (!r.Running) return r.ExitCode ?? 0;
    if (i > 200) throw new RuntimeError(`exec "${execId}" still running after its streams closed`);
    await delay(i < 20 ? 10 : 50);
  }
}

class CappedSink extends PassThrough {
  readonly chunks: Buffer[] = [];
  private size = 0;
  constructor(private readonly limit: number) {
    super();
    this.on('data', (c: Buffer) => {
      if (this.size >= this.limit) return;
      const part = c.subarray(0, this.limit - this.size);
      this.chunks.push(part);
      this.size += part.length;
    });
  }
  get buffer(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

export async function execSync(ctx: DockerContext, containerId: string, cmd: string[], timeoutSeconds: number): Promise<{ stdout: Buffer; stderr: Buffer; exitCode: number }> {
  const execId = await createExec(ctx, containerId, cmd, { stdin: false, stdout: true, stderr: true, tty: false });
  const conn = await ctx.docker.hijack({ path: `/exec/${execId}/start`, body: { Detach: false, Tty: false } });
  const stdout = new CappedSink(EXEC_SYNC_OUTPUT_LIMIT);
  const stderr = new CappedSink(EXEC_SYNC_OUTPUT_LIMIT);
  const piping = pipeHijacked(conn, { stdout, stderr, tty: false }, true);
  if (timeoutSeconds > 0) {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), timeoutSeconds * 1000); });
    const outcome = await Promise.race([piping, timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      // Docker cannot cancel an exec; the command goes on, the caller stops waiting (as with containerd).
      conn.destroy();
      throw new RuntimeError(`command ${JSON.stringify(cmd.join(' '))} timed out: timeout ${timeoutSeconds}s exceeded: context deadline exceeded`, 'DeadlineExceeded');
    }
  } else {
    await piping;
  }
  const exitCode = await execExitCode(ctx, execId);
  return { stdout: stdout.buffer, stderr: stderr.buffer, exitCode };
}

async function forwardResizes(sizes: StreamIO['resize'], resize: (w: number, h: number) => Promise<unknown>): Promise<void> {
  if (!sizes) return;
  try {
    for await (const { width, height } of sizes) await resize(width, height).catch(() => undefined);
  } catch {
    // the session ended
  }
}

export async function exec(ctx: DockerContext, containerId: string, cmd: string[], io: StreamIO): Promise<ExecResult> {
  const execId = await createExec(ctx, containerId, cmd, { stdin: !!io.stdin, stdout: !!io.stdout, stderr: !!io.stderr && !io.tty, tty: io.tty });
  const conn = await ctx.docker.hijack({ path: `/exec/${execId}/start`, body: { Detach: false, Tty: io.tty } });
  const piping = pipeHijacked(conn, io, !io.tty);
  if (io.tty) {
    void forwardResizes(io.resize, (w, h) => ctx.docker.json({ method: 'POST', path: `/exec/${execId}/resize`, query: { w, h } }));
  }
  await piping;
  return { exitCode: await execExitCode(ctx, execId) };
}

export async function attach(ctx: DockerContext, containerId: string, io: StreamIO): Promise<ExecResult> {
  const info = await ctx.docker.json<ContainerInspect>({ path: `/containers/${encodeURIComponent(containerId)}/json` });
  const tty = info.Config.Tty;
  const conn: Socket = await ctx.docker.hijack({
    path: `/containers/${encodeURIComponent(containerId)}/attach`,
    query: { stream: 1, stdin: io.stdin ? 1 : 0, stdout: io.stdout ? 1 : 0, stderr: io.stderr ? 1 : 0 },
  }).catch((err) => {
    throw wrap(err, `failed to attach to container "${containerId}"`);
  });
  const piping = pipeHijacked(conn, io, !tty);
  if (tty) {
    void forwardResizes(io.resize, (w, h) => ctx.docker.json({ method: 'POST', path: `/containers/${encodeURIComponent(containerId)}/resize`, query: { w, h } }));
  }
  await piping;
  const after = await ctx.docker.json<ContainerInspect>({ path: `/containers/${encodeURIComponent(containerId)}/json` });
  return { exitCode: after.State.Running ? 0 : after.State.ExitCode ?? 0 };
}

export async function portForward(ctx: DockerContext, sandboxId: string, port: number): Promise<Duplex> {
  const r = await inspectSandbox(ctx, sandboxId);
  if (!r.State.Running) throw new RuntimeError(`pod sandbox "${sandboxId}" is not running`);
  const host = r.HostConfig.NetworkMode === 'host' ? '127.0.0.1' : sandboxIp(r, ctx.network.name);
  if (!host) throw new RuntimeError(`pod sandbox "${sandboxId}" has no IP address`);
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const onError = (err: Error) => reject(new RuntimeError(`failed to connect to localhost:${port} inside namespace "${sandboxId}", IPv4: ${err.message}`));
    socket.once('error', onError);
    socket.once('connect', () => {
      socket.off('error', onError);
      resolve(socket);
    });
  });
}
