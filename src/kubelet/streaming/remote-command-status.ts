// The outcome of an exec/attach as written on the error stream (kubelet's cri/streaming
// remotecommand): v4+ protocols carry a metav1.Status as JSON (exit codes ride in
// NonZeroExitCode/ExitCode), older ones only a failure's message text. kubectl turns the v4 form
// into "command terminated with exit code N" and its own exit code.
import { newInternalError } from '../../apimachinery/errors.ts';
import { goList } from './upgrade-response.ts';

export const NON_ZERO_EXIT_CODE_REASON = 'NonZeroExitCode';
export const EXIT_CODE_CAUSE_TYPE = 'ExitCode';

/** metav1.Status as Go's json.Marshal writes it here (no kind/apiVersion: TypeMeta is left empty). */
export interface RemoteCommandStatus {
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: { causes?: { reason?: string; message?: string; field?: string }[] };
  code?: number;
}

/** A failure status from a runtime's streaming server, passed through unchanged by serveRemoteCommand. */
export class RemoteCommandStatusError extends Error {
  constructor(readonly status: RemoteCommandStatus) {
    super(status.message ?? 'error stream protocol error: unknown error');
    this.name = 'RemoteCommandStatusError';
  }
}

export function successStatus(): RemoteCommandStatus {
  return { metadata: {}, status: 'Success' };
}

/** As containerd's exec error ("error executing command [sh -c exit 3], exit code 3") wrapped by the kubelet. */
export function nonZeroExitStatus(command: string[], exitCode: number): RemoteCommandStatus {
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command ${goList(command)}, exit code ${exitCode}`,
    reason: NON_ZERO_EXIT_CODE_REASON,
    details: { causes: [{ reason: EXIT_CODE_CAUSE_TYPE, message: String(exitCode) }] },
  };
}

/** apierrors.NewInternalError(message): "Internal error occurred: <message>". */
export function internalErrorStatus(message: string): RemoteCommandStatus {
  const s = newInternalError(new Error(message)).status;
  return { metadata: {}, status: 'Failure', message: s.message, reason: s.reason, details: s.details, code: s.code };
}

/** Field order as Go's encoding of metav1.Status. */
export function encodeStatusV4(s: RemoteCommandStatus): string {
  const ordered: Record<string, unknown> = { metadata: {}, status: s.status };
  if (s.message) ordered.message = s.message;
  if (s.reason) ordered.reason = s.reason;
  if (s.details) ordered.details = s.details;
  if (s.code) ordered.code = s.code;
  return JSON.stringify(ordered);
}

/** v1–v3: nothing on success, the message on failure. */
export function encodeStatusText(s: RemoteCommandStatus): string {
  return s.status === 'Success' ? '' : (s.message ?? '');
}

/** What a v4 error stream says, as client-go's errorDecoderV4 reads it. */
export function decodeStatusV4(text: string): { exitCode: number } {
  if (text.length === 0) return { exitCode: 0 };
  let status: RemoteCommandStatus;
  try {
    status = JSON.parse(text) as RemoteCommandStatus;
  } catch (err) {
    throw new Error(`error stream protocol error: ${(err as Error).message} in ${JSON.stringify(text)}`);
  }
  if (status.status === 'Success') return { exitCode: 0 };
  if (status.status !== 'Failure') throw new Error('error stream protocol error: unknown error');
  if (status.reason === NON_ZERO_EXIT_CODE_REASON) {
    const cause = status.details?.causes?.find((c) => c.reason === EXIT_CODE_CAUSE_TYPE);
    if (!cause) throw new Error(`error stream protocol error: no ${EXIT_CODE_CAUSE_TYPE} cause given`);
    const code = Number(cause.message);
    if (!Number.isInteger(code) || code < 0 || code > 255) throw new Error(`error stream protocol error: invalid exit code value ${JSON.stringify(cause.message)}`);
    return { exitCode: code };
  }
  throw new RemoteCommandStatusError(status);
}
