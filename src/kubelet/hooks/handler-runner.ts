// Lifecycle hooks (upstream pkg/kubelet/lifecycle handlers.go): postStart/preStop exec (through the
// runtime), httpGet (only a transport error fails it; the status code is not looked at; an HTTPS
// hook answered in plain HTTP is retried over HTTP), tcpSocket (deprecated: accepted, does nothing)
// and sleep. The result is "" or upstream's failure message; the kubelet kills a container whose
// postStart failed (FailedPostStartHook) and bounds preStop by the grace period through `signal`.
import type { V1Container, V1LifecycleHandler } from '@kubernetes/client-node';
import type { KObject } from '../../apimachinery/types.ts';
import { realClock, sleep, type Clock } from '../../client/clock.ts';
import { goQuote } from '../env/go-quote.ts';
import { RuntimeError, type RuntimeService } from '../runtime/runtime-service.ts';
import { goDuration } from '../prober/go-net-errors.ts';
import { httpGet, HttpGetError } from '../prober/http-get.ts';
import { kubeUserAgent } from '../prober/kube-version.ts';
import { resolveContainerPort } from '../prober/ports.ts';

export interface HandlerContext {
  pod: KObject;
  container: V1Container;
  containerId: string;
  /** The pod's IP, for httpGet hooks without a host. */
  podIP: string;
  runtime: RuntimeService;
  /** Aborted when the hook must stop (the grace period ran out, the kubelet stops). */
  signal?: AbortSignal;
  clock?: Clock;
  /** Upper bound for exec and HTTP hooks; 0/undefined = until signal. */
  timeoutSeconds?: number;
}

/** format.Pod: "name_namespace(uid)". */
export function formatPod(pod: KObject): string {
  return `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
}

/** Runs the handler; resolves to "" on success or to the message the kubelet logs and reports. */
export async function runHandler(handler: V1LifecycleHandler, ctx: HandlerContext): Promise<string> {
  const where = `for Container "${ctx.container.name}" in Pod "${formatPod(ctx.pod)}"`;
  if (handler.exec) {
    const cmd = handler.exec.command ?? [];
    const err = await runExec(cmd, ctx);
    return err === undefined ? '' : `Exec lifecycle hook ([${cmd.join(' ')}]) ${where} failed - error: ${err.error}, message: ${goQuote(err.output)}`;
  }
  if (handler.httpGet) {
    const err = await runHTTP(handler.httpGet, ctx);
    return err === undefined ? '' : `HTTP lifecycle hook (${handler.httpGet.path ?? ''}) ${where} failed - error: ${err}`;
  }
  if (handler.sleep) {
    const seconds = handler.sleep.seconds;
    try {
      await sleep(ctx.clock ?? realClock, seconds * 1000, ctx.signal);
      return '';
    } catch {
      return `Sleep lifecycle hook (${seconds}) ${where} failed - error: container terminated before sleep hook finished`;
    }
  }
  // tcpSocket hooks are accepted by the API for compatibility and never run (as upstream).
  if (handler.tcpSocket) return '';
  return `Cannot run handler: invalid handler: ${JSON.stringify(handler)}`;
}

async function runExec(cmd: string[], ctx: HandlerContext): Promise<{ error: string; output: string } | undefined> {
  const exec = ctx.runtime.execSync(ctx.containerId, cmd, ctx.timeoutSeconds ?? 0);
  const aborted = new Promise<never>((_, reject) => {
    if (ctx.signal?.aborted) reject(new Error('context canceled'));
    ctx.signal?.addEventListener('abort', () => reject(new Error('context canceled')), { once: true });
  });
  try {
    const r = await Promise.race([exec, aborted]);
    if (r.exitCode === 0) return undefined;
    // The CRI client's error for a non-zero exit (remote_runtime ExecSync).
    return { error: `command '${cmd.join(' ')}' exited with ${r.exitCode}: ${r.stderr.toString('utf8')}`, output: Buffer.concat([r.stdout, r.stderr]).toString('utf8') };
  } catch (err) {
    exec.catch(() => {});
    if (err instanceof RuntimeError && err.code === 'DeadlineExceeded') {
      return { error: `command timed out: "${cmd.join(' ')}" timed out after ${goDuration(ctx.timeoutSeconds ?? 0)}`, output: '' };
    }
    return { error: (err as Error).message, output: '' };
  }
}

async function runHTTP(action: NonNullable<V1LifecycleHandler['httpGet']>, ctx: HandlerContext): Promise<string | undefined> {
  const host = action.host || ctx.podIP;
  if (!host) return 'failed to find networking container: the pod has no IP';
  let port: number;
  try {
    port = resolveContainerPort(action.port, ctx.container);
  } catch (err) {
    return (err as Error).message;
  }
  const scheme = (action.scheme ?? 'HTTP').toLowerCase();
  const get = (s: string, headers = action.httpHeaders) => httpGet({
    scheme: s, host, port, path: action.path ?? '', headers, userAgent: kubeUserAgent('lifecycle'),
    timeoutMs: (ctx.timeoutSeconds || 24 * 3600) * 1000, signal: ctx.signal,
  });
  try {
    await get(scheme);
    return undefined;
  } catch (err) {
    const msg = (err as Error).message;
    if (scheme === 'https' && err instanceof HttpGetError && msg.endsWith('http: server gave HTTP response to HTTPS client')) {
      try {
        await get('http', action.httpHeaders?.filter((h) => h.name.toLowerCase() !== 'authorization'));
        return undefined;
      } catch {
        return msg;
      }
    }
    return msg;
  }
}
