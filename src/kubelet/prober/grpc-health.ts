// gRPC probes (upstream pkg/probe/grpc): grpc.health.v1.Health/Check over plaintext, waiting for the
// connection until the probe's deadline, with upstream's result texts. The two tiny messages are
// encoded here by hand (HealthCheckRequest{string service = 1}, HealthCheckResponse{enum status = 1}).
import * as grpc from '@grpc/grpc-js';
import { goDuration, joinHostPort } from './go-net-errors.ts';

export const HEALTH_CHECK_PATH = '/grpc.health.v1.Health/Check';
export const SERVING_STATUS = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'] as const;

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) { out.push((n & 0x7f) | 0x80); n >>>= 7; }
  out.push(n);
  return out;
}

/** Reads field 1 (string or varint) of a protobuf message, skipping the others. */
function readField1(buf: Buffer): { str?: string; num?: number } {
  let i = 0;
  const readVarint = () => {
    let v = 0;
    let shift = 0;
    for (;;) {
      const b = buf[i++]!;
      v += (b & 0x7f) * 2 ** shift;
      if (!(b & 0x80)) return v;
      shift += 7;
    }
  };
  const out: { str?: string; num?: number } = {};
  while (i < buf.length) {
    const tag = readVarint();
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    if (wire === 0) { const v = readVarint(); if (field === 1) out.num = v; }
    else if (wire === 2) { const len = readVarint(); if (field === 1) out.str = buf.subarray(i, i + len).toString('utf8'); i += len; }
    else if (wire === 1) i += 8;
    else if (wire === 5) i += 4;
    else break;
  }
  return out;
}

export const healthCodec = {
  encodeRequest: (r: { service?: string }) => {
    const s = Buffer.from(r.service ?? '', 'utf8');
    return s.length ? Buffer.from([0x0a, ...varint(s.length), ...s]) : Buffer.alloc(0);
  },
  decodeRequest: (b: Buffer) => ({ service: readField1(b).str ?? '' }),
  encodeResponse: (r: { status: number }) => (r.status ? Buffer.from([0x08, ...varint(r.status)]) : Buffer.alloc(0)),
  decodeResponse: (b: Buffer) => ({ status: readField1(b).num ?? 0 }),
};

/** codes.Code's String() in Go ("Unavailable", "Canceled"). */
export function goCodeName(code: number): string {
  const name = grpc.status[code] ?? 'Unknown';
  if (name === 'CANCELLED') return 'Canceled';
  return String(name).toLowerCase().replace(/(^|_)([a-z])/g, (_, _u: string, c: string) => c.toUpperCase());
}

export interface GrpcProbeResult { ok: boolean; output: string }

export async function grpcHealthProbe(host: string, port: number, service: string, timeoutSeconds: number, userAgent: string): Promise<GrpcProbeResult> {
  const addr = joinHostPort(host, port);
  const deadline = Date.now() + timeoutSeconds * 1000;
  const timeout = goDuration(timeoutSeconds);
  const client = new grpc.Client(addr, grpc.credentials.createInsecure(), {
    'grpc.primary_user_agent': userAgent,
    // One connection attempt per probe; nothing to keep between probes.
    'grpc.enable_retries': 0,
  });
  try {
    const ready = await new Promise<Error | undefined>((resolve) => client.waitForReady(deadline, (err) => resolve(err ?? undefined)));
    if (ready) return { ok: false, output: `timeout: failed to connect service "${addr}" within ${timeout}: context deadline exceeded` };
    const resp = await new Promise<{ err?: grpc.ServiceError; status?: number }>((resolve) => {
      client.makeUnaryRequest(HEALTH_CHECK_PATH, healthCodec.encodeRequest, healthCodec.decodeResponse, { service }, new grpc.Metadata(), { deadline },
        (err, value) => resolve(err ? { err } : { status: value?.status ?? 0 }));
    });
    if (resp.err) {
      const { code, details } = resp.err;
      if (code === grpc.status.UNIMPLEMENTED) {
        return { ok: false, output: `error: this server does not implement the grpc health protocol (grpc.health.v1.Health): ${details}` };
      }
      if (code === grpc.status.DEADLINE_EXCEEDED) return { ok: false, output: `timeout: health rpc did not complete within ${timeout}` };
      return { ok: false, output: `error: health rpc probe failed: rpc error: code = ${goCodeName(code)} desc = ${details}` };
    }
    if (resp.status !== 1) return { ok: false, output: `service unhealthy (responded with "${SERVING_STATUS[resp.status!] ?? resp.status}")` };
    return { ok: true, output: 'service healthy' };
  } finally {
    client.close();
  }
}
