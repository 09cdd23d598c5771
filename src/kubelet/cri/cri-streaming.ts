// Exec and Attach: CRI answers with a URL on containerd's streaming server (plain HTTP on 127.0.0.1),
// spoken to in SPDY/3.1 with the remotecommand sub-protocols, as the kubelet's streaming proxy does.
import type { ExecResult, StreamIO } from '../runtime/runtime-service.ts';
import { spdyRemoteCommandClient } from '../streaming/spdy-client.ts';

export function runStreamingSession(url: string, io: StreamIO, streams: { stdin: boolean; stdout: boolean; stderr: boolean; tty: boolean }): Promise<ExecResult> {
  return spdyRemoteCommandClient(url, io, streams);
}
