// One probe attempt (upstream prober.runProbe and pkg/probe/*): exec through the runtime's ExecSync
// (exit 0 passes), httpGet (2xx/3xx passes; a redirect to another host is a warning), tcpSocket
// (a connection passes) and grpc (SERVING passes). "unknown" means the probe could not be run at
// all (upstream's "errored" case): its result is thrown away, not counted as a failure.
import { connect, type Socket } from 'node:net';
import type { V1Container, V1Probe } from '@kubernetes/client-node';
import type { KObject } from '../../apimachinery/types.ts';
import { expandCommandOnlyStatic } from '../env/environment.ts';
import { RuntimeError, type RuntimeService } from '../runtime/runtime-service.ts';
import { goDialError, goDuration, joinHostPort } from './go-net-errors.ts';
import { grpcHealthProbe } from './grpc-health.ts';
import { httpGet } from './http-get.ts';
import { kubeUserAgent } from './kube-version.ts';
import { resolveContainerPort } from './ports.ts';

export type ProbeResult = 'success' | 'failure' | 'unknown';

export interface ProbeOutcome {
  result: ProbeResult;
  /** The probe's output, or for failure/unknown the reason (event text after "… probe failed: "). */
  output: string;
  /** A passing probe that deserves a ProbeWarning event (a redirect to another host). */
  warning?: boolean;
}

export interface ProbeContext {
  pod: KObject;
  container: V1Container;
  containerId: string;
  podIP: string;
  runtime: RuntimeService;
  /** Defaults to the probe's timeoutSeconds (1). */
  timeoutSeconds?: number;
}

const MAX_OUTPUT = 10 * 1024;

export async function runProbe(probe: V1Probe, ctx: ProbeContext): Promise<ProbeOutcome> {
  const timeout = ctx.timeoutSeconds ?? probe.timeoutSeconds ?? 1;
  try {
    if (probe.exec) return await execProbe(expandCommandOnlyStatic(probe.exec.command ?? [], ctx.container.env), ctx, timeout);
    if (probe.httpGet) {
      const g = probe.httpGet;
      const port = resolveContainerPort(g.port, ctx.container);
      return await httpProbe(() => httpGet({
        scheme: (g.scheme ?? 'HTTP').toLowerCase(), host: g.host || ctx.podIP, port, path: g.path ?? '/',
        headers: g.httpHeaders, timeoutMs: timeout * 1000, userAgent: kubeUserAgent('probe'),
      }));
    }
    if (probe.tcpSocket) {
      const port = resolveContainerPort(probe.tcpSocket.port, ctx.container);
      return await tcpProbe(probe.tcpSocket.host || ctx.podIP, port, timeout);
    }
    if (probe.grpc) {
      const r = await grpcHealthProbe(ctx.podIP, probe.grpc.port, probe.grpc.service ?? '', timeout, kubeUserAgent('probe'));
      return { result: r.ok ? 'success' : 'failure', output: r.output };
    }
  } catch (err) {
    return { result: 'unknown', output: (err as Error).message };
  }
  const meta = ctx.pod.metadata;
  return { result: 'unknown', output: `missing probe handler for ${meta.name}_${meta.namespace}(${meta.uid}):${ctx.container.name}` };
}

async function execProbe(cmd: string[], ctx: ProbeContext, timeout: number): Promise<ProbeOutcome> {
  try {
    const r = await ctx.runtime.execSync(ctx.containerId, cmd, timeout);
    const output = Buffer.concat([r.stdout, r.stderr]).subarray(0, MAX_OUTPUT).toString('utf8');
    return { result: r.exitCode === 0 ? 'success' : 'failure', output };
  } catch (err) {
    // A probe that outlives its timeout fails (upstream's ExecProbeTimeout), so liveness restarts it.
    if (err instanceof RuntimeError && err.code === 'DeadlineExceeded') {
      return { result: 'failure', output: `command timed out: "${cmd.join(' ')}" timed out after ${goDuration(timeout)}` };
    }
    return { result: 'unknown', output: (err as Error).message };
  }
}

async function httpProbe(get: () => ReturnType<typeof httpGet>): Promise<ProbeOutcome> {
  let res;
  try {
    res = await get();
  } catch (err) {
    // Transport errors (refused, timeout) are failures, as upstream converts them.
    return { result: 'failure', output: (err as Error).message };
  }
  if (res.status >= 200 && res.status < 400) {
    if (res.status >= 300) return { result: 'success', warning: true, output: `Probe terminated redirects, Response body: ${res.body}` };
    return { result: 'success', output: res.body };
  }
  // As upstream, the failure text never carries the response body.
  return { result: 'failure', output: `HTTP probe failed with statuscode: ${res.status}` };
}

function tcpProbe(host: string, port: number, timeout: number): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    let done = false;
    const socket: Socket = connect({ host, port });
    const finish = (o: ProbeOutcome) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(o);
    };
    const timer = setTimeout(() => finish({ result: 'failure', output: `dial tcp ${joinHostPort(host, port)}: i/o timeout` }), timeout * 1000);
    socket.once('connect', () => finish({ result: 'success', output: '' }));
    socket.once('error', (err: NodeJS.ErrnoException) => finish({ result: 'failure', output: goDialError(err, { host, port, connected: false }) }));
  });
}
