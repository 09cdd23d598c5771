// The API server's proxying to kubelets: pods/log, pods/exec, pods/attach, pods/portforward and
// nodes/proxy, keyed as dispatch looks them up ("group/resource/subresource").
import type { Handler } from '../handlers/scope.ts';
import type { KubeletClient } from './kubelet-client-config.ts';
import { nodeProxyHandler } from './node-proxy-handler.ts';
import { podConnectHandler } from './pod-connect-handlers.ts';
import { podLogHandler } from './pod-log-handler.ts';

export { createKubeletClient, type KubeletClient, type KubeletClientConfig } from './kubelet-client-config.ts';
export { serveUpgrade, upgradeOf } from './upgrade-request.ts';
export { kubeletRequest, readBody } from './kubelet-request.ts';
export { connectionInfoOf, nodeConnectionInfo, type NodeConnectionInfo } from './node-connection.ts';

export function kubeletProxyHandlers(client: KubeletClient): Map<string, Handler> {
  return new Map<string, Handler>([
    ['/pods/log', podLogHandler(client)],
    ['/pods/exec', podConnectHandler('exec', client)],
    ['/pods/attach', podConnectHandler('attach', client)],
    ['/pods/portforward', podConnectHandler('portforward', client)],
    ['/nodes/proxy', nodeProxyHandler(client)],
  ]);
}
