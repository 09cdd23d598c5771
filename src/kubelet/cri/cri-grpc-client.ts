// One gRPC channel to a CRI endpoint and a promise-returning `call` with a deadline per call.
import * as grpc from '@grpc/grpc-js';
import { toRuntimeError } from './cri-errors.ts';
import { type CriServiceName, criServices } from './cri-schema.ts';

/** Default deadline of a call; kubelet's --runtime-request-timeout default is 2 minutes, ours is shorter for quick failures. */
export const DEFAULT_CALL_TIMEOUT_MS = 30_000;

// As the kubelet's CRI client: ExecSync output and big List responses exceed grpc's 4 MiB default.
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

type Unary = (req: unknown, meta: grpc.Metadata, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res: unknown) => void) => void;

export interface CriClient {
  call<T = Record<string, unknown>>(service: CriServiceName, method: string, request: object, timeoutMs?: number): Promise<T>;
  /** Resolves when the channel is connected (or rejects after timeoutMs). */
  waitForReady(timeoutMs: number): Promise<void>;
  close(): void;
}

/** `unix:///run/containerd/containerd.sock` or a bare socket path. */
export function grpcTarget(endpoint: string): string {
  return endpoint.includes('://') ? endpoint : `unix://${endpoint}`;
}

export function createCriClient(endpoint: string, defaultTimeoutMs = DEFAULT_CALL_TIMEOUT_MS): CriClient {
  const ctors = criServices();
  const options: grpc.ChannelOptions = {
    'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
    'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
  };
  const runtime = new ctors.RuntimeService(grpcTarget(endpoint), grpc.credentials.createInsecure(), options);
  // Same channel for both services: grpc-js shares it when given the other client's channel.
  const images = new ctors.ImageService(grpcTarget(endpoint), grpc.credentials.createInsecure(), { ...options, channelOverride: runtime.getChannel() });
  const clients: Record<CriServiceName, grpc.Client> = { RuntimeService: runtime, ImageService: images };

  return {
    call<T>(service: CriServiceName, method: string, request: object, timeoutMs = defaultTimeoutMs): Promise<T> {
      const client = clients[service] as unknown as Record<string, Unary>;
      const fn = client[method];
      if (!fn) return Promise.reject(new Error(`CRI ${service} has no method ${method}`));
      return new Promise<T>((resolve, reject) => {
        fn.call(client, request, new grpc.Metadata(), { deadline: Date.now() + timeoutMs }, (err, res) => {
          if (err) reject(toRuntimeError(err, `${service}.${method}`));
          else resolve(res as T);
        });
      });
    },
    waitForReady(timeoutMs: number): Promise<void> {
      return new Promise((resolve, reject) => runtime.waitForReady(Date.now() + timeoutMs, (err) => (err ? reject(toRuntimeError(err, 'connect')) : resolve())));
    },
    close(): void {
      images.close();
      runtime.close();
    },
  };
}
