// gRPC failures as RuntimeErrors. The message is the runtime's own text (grpc's `details`, without the
// "5 NOT_FOUND: " prefix grpc-js puts in `message`): the kubelet copies it into statuses and events,
// where users expect containerd's wording, as upstream shows it.
import { status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';
import { RuntimeError } from '../runtime/runtime-service.ts';

const CODES: Partial<Record<number, RuntimeError['code']>> = {
  [GrpcStatus.NOT_FOUND]: 'NotFound',
  [GrpcStatus.UNAVAILABLE]: 'Unavailable',
  [GrpcStatus.DEADLINE_EXCEEDED]: 'DeadlineExceeded',
};

// Go's codes.Code.String(), as upstream prints them.
const GO_CODE_NAMES = [
  'OK', 'Canceled', 'Unknown', 'InvalidArgument', 'DeadlineExceeded', 'NotFound', 'AlreadyExists', 'PermissionDenied',
  'ResourceExhausted', 'FailedPrecondition', 'Aborted', 'OutOfRange', 'Unimplemented', 'Internal', 'Unavailable', 'DataLoss', 'Unauthenticated',
];

/** A RuntimeError from a CRI call, with the gRPC code it came with. */
export class CriError extends RuntimeError {
  constructor(message: string, code: RuntimeError['code'], readonly grpcCode: string) {
    super(message, code);
  }

  /**
   * The error as Go's grpc prints it, which upstream's kubelet puts verbatim into some messages, e.g.
   * the FailedToPullImage event: `Failed to pull image "x": rpc error: code = NotFound desc = failed to pull…`.
   */
  get rpcError(): string {
    return `rpc error: code = ${this.grpcCode} desc = ${this.message}`;
  }
}

export function isServiceError(err: unknown): err is ServiceError {
  return err instanceof Error && typeof (err as Partial<ServiceError>).code === 'number' && 'details' in err;
}

export function toRuntimeError(err: unknown, method: string): RuntimeError {
  if (err instanceof RuntimeError) return err;
  if (isServiceError(err)) {
    const text = err.details || err.message;
    const message = err.code === GrpcStatus.UNIMPLEMENTED ? `${method}: ${text}` : text;
    return new CriError(message, CODES[err.code] ?? 'Unknown', GO_CODE_NAMES[err.code] ?? `Code(${err.code})`);
  }
  return new RuntimeError(err instanceof Error ? err.message : String(err));
}
