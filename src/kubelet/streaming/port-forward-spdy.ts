// port-forward over SPDY (portforward.k8s.io), directly or tunneled in a WebSocket: for every local
// connection the client opens an error stream and a data stream carrying the same `port` and
// `requestID` headers; once both are there the data stream is joined to a connection to the port
// (kubelet cri/streaming/portforward/httpstream.go).
import type { Duplex } from 'node:stream';
import type { SpdySession } from './spdy-session.ts';
import type { SpdyStream } from './spdy-stream.ts';

export const PORT_FORWARD_PROTOCOL = 'portforward.k8s.io';

/** Upstream's DefaultStreamCreationTimeout. */
const STREAM_CREATION_TIMEOUT_MS = 30_000;

export type PortConnector = (port: number) => Promise<Duplex>;
export type PortForwardErrorFormatter = (port: number, err: unknown) => string;

interface StreamPair {
  requestId: string;
  data?: SpdyStream;
  error?: SpdyStream;
  timer: NodeJS.Timeout;
}

export function parsePort(value: string | undefined): number | Error {
  if (!value) return new Error('"port" header is required');
  const port = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(port) || port > 65535) return new Error(`unable to parse "${value}" as a port`);
  if (port < 1) return new Error(`port "${value}" must be > 0`);
  return port;
}

export function servePortForwardSession(session: SpdySession, connect: PortConnector, formatError: PortForwardErrorFormatter): void {
  const pairs = new Map<string, StreamPair>();
  const targets = new Set<Duplex>();
  session.on('close', () => {
    for (const t of targets) t.destroy();
    for (const p of pairs.values()) clearTimeout(p.timer);
  });

  session.on('stream', (stream) => {
    const port = parsePort(stream.header('port'));
    const type = stream.header('streamType');
    // A stream the handler refuses is reset, as k8s' spdy connection does when its handler errs.
    if (port instanceof Error || (type !== 'error' && type !== 'data')) {
      stream.reset();
      return;
    }
    stream.reply();
    const requestId = stream.header('requestID') ?? legacyRequestId(stream, type);
    let pair = pairs.get(requestId);
    if (!pair) {
      const created: StreamPair = {
        requestId,
        timer: setTimeout(() => {
          pairs.delete(requestId);
          created.error?.end(`(conn=${session.role}, request=${requestId}) timed out waiting for streams`);
          created.data?.end();
        }, STREAM_CREATION_TIMEOUT_MS),
      };
      pair = created;
      pairs.set(requestId, pair);
    }
    if (pair[type]) {
      pair.error?.write(`error processing stream for request ${requestId}: ${type} stream already assigned`);
      stream.reset();
      return;
    }
    pair[type] = stream;
    const { data, error } = pair;
    if (data && error) {
      clearTimeout(pair.timer);
      pairs.delete(requestId);
      forward(port, data, error).catch(() => data.reset());
    }
  });

  async function forward(port: number, data: SpdyStream, error: SpdyStream): Promise<void> {
    error.resume(); // the client half-closes it at once and only reads it
    let target: Duplex;
    try {
      target = await connect(port);
    } catch (err) {
      error.end(formatError(port, err));
      data.end();
      return;
    }
    if (session.closed) {
      target.destroy();
      return;
    }
    targets.add(target);
    target.on('error', () => {});
    data.pipe(target); // the client's FIN half-closes the target connection
    target.pipe(data); // and the target's EOF becomes our FIN
    data.on('reset', () => target.destroy());
    data.on('close', () => target.destroy());
    target.once('close', () => {
      targets.delete(target);
      data.unpipe(target);
      if (!data.localFin) data.end();
      error.end();
    });
  }
}

/** Clients before requestID: stream ids of a pair are consecutive odd numbers, error first. */
function legacyRequestId(stream: SpdyStream, type: 'error' | 'data'): string {
  return String(type === 'error' ? stream.id : stream.id - 2);
}
