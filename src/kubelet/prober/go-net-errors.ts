// Probe and hook failures read as the Go kubelet's do ("dial tcp 10.0.0.5:80: connect: connection
// refused"), since users compare kubectl describe output with upstream's. Node socket errors are
// translated here.

/** net.JoinHostPort: IPv6 hosts in brackets. */
export function joinHostPort(host: string, port: number | string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

const CONNECT_ERRNO: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  EHOSTUNREACH: 'no route to host',
  ENETUNREACH: 'network is unreachable',
  ETIMEDOUT: 'connection timed out',
  EADDRNOTAVAIL: 'cannot assign requested address',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ECONNRESET: 'connection reset by peer',
};

export interface SocketErrorContext {
  host: string;
  port: number;
  /** Whether the TCP connection was established before the error. */
  connected: boolean;
  localAddress?: string;
  localPort?: number;
}

/** A Node socket error as Go's net package words it. */
export function goDialError(err: NodeJS.ErrnoException, ctx: SocketErrorContext): string {
  const addr = joinHostPort(ctx.host, ctx.port);
  if (err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN') return `dial tcp: lookup ${ctx.host}: no such host`;
  if (ctx.connected) {
    if (err.message === 'socket hang up') return 'EOF';
    const local = ctx.localAddress ? `${joinHostPort(ctx.localAddress, ctx.localPort ?? 0)}->` : '';
    const what = CONNECT_ERRNO[err.code ?? ''] ?? err.message;
    return `read tcp ${local}${addr}: read: ${what}`;
  }
  const what = CONNECT_ERRNO[err.code ?? ''];
  return what ? `dial tcp ${addr}: connect: ${what}` : `dial tcp ${addr}: ${err.message}`;
}

/** time.Duration's String for whole seconds as the probes use them ("1s", "1m30s"). */
export function goDuration(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return h ? `${h}h${m}m${s}s` : `${m}m${s}s`;
}
