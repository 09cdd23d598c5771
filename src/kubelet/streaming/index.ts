// The streaming protocols of kubectl exec/attach/cp/port-forward, server side (the kubelet's
// upgrade handlers) and the SPDY client side (to a CRI runtime's streaming server).
export { serveRemoteCommand } from './remote-command-server.ts';
export type { RemoteCommandOptions } from './remote-command-session.ts';
export { RemoteCommandStatusError, type RemoteCommandStatus } from './remote-command-status.ts';
export { servePortForward, type PortForwardOptions } from './port-forward-server.ts';
export type { PortConnector, PortForwardErrorFormatter } from './port-forward-spdy.ts';
export { spdyRemoteCommandClient } from './spdy-client.ts';
export type { TerminalSize } from './resize-events.ts';
