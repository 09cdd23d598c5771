// serveRemoteCommand: answers the HTTP upgrade of an exec or attach (WebSocket or SPDY), hands the
// session's streams to `run`, and reports its outcome on the error stream as the kubelet does
// (cri/streaming/remotecommand exec.go / attach.go).
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ExecResult, StreamIO } from '../runtime/runtime-service.ts';
import type { RemoteCommandOptions, RemoteCommandSession } from './remote-command-session.ts';
import { acceptSpdyRemoteCommand } from './remote-command-spdy.ts';
import {
  RemoteCommandStatusError,
  internalErrorStatus,
  nonZeroExitStatus,
  successStatus,
  type RemoteCommandStatus,
} from './remote-command-status.ts';
import { acceptWebSocketRemoteCommand } from './remote-command-websocket.ts';
import { isWebSocketRequest, writeUpgradeError } from './upgrade-response.ts';

/**
 * An exec request carries its command in `command` query parameters; an attach has none. A
 * non-zero exit code is reported for exec only: upstream's attach always ends in Success.
 * `run` may reject with RemoteCommandStatusError to report a runtime's own status verbatim.
 */
export function serveRemoteCommand(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  opts: RemoteCommandOptions,
  run: (io: StreamIO) => Promise<ExecResult>,
): void {
  socket.on('error', () => {});
  if (!opts.stdin && !opts.stdout && !opts.stderr) {
    writeUpgradeError(socket, 400, 'you must specify at least 1 of stdin, stdout, stderr');
    return;
  }
  const command = new URL(req.url ?? '/', 'http://localhost').searchParams.getAll('command');
  const attach = command.length === 0;
  const accept = isWebSocketRequest(req) ? acceptWebSocketRemoteCommand : acceptSpdyRemoteCommand;
  void accept(req, socket, head, opts)
    .then(async (session) => {
      if (session) await session.finish(await outcome(session, run, command, attach));
    })
    .catch(() => socket.destroy());
}

async function outcome(
  session: RemoteCommandSession,
  run: (io: StreamIO) => Promise<ExecResult>,
  command: string[],
  attach: boolean,
): Promise<RemoteCommandStatus> {
  try {
    const { exitCode } = await run(session.io);
    return attach || exitCode === 0 ? successStatus() : nonZeroExitStatus(command, exitCode);
  } catch (err) {
    if (err instanceof RemoteCommandStatusError) return err.status;
    const message = err instanceof Error ? err.message : String(err);
    return internalErrorStatus(`${attach ? 'error attaching to container' : 'error executing command in container'}: ${message}`);
  }
}
