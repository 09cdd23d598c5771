// nodes/{name}/proxy/{path}: any request (and upgrade) passed to the node's kubelet at /{path}, with
// the query as it came (upstream's node ProxyREST): `kubectl get --raw /api/v1/nodes/n/proxy/healthz`.
import type { Request } from 'express';
import { pipeline } from 'node:stream/promises';
import type { Handler } from '../handlers/scope.ts';
import { unknownStatusError } from './backend-errors.ts';
import type { KubeletClient } from './kubelet-client-config.ts';
import { kubeletRequest } from './kubelet-request.ts';
import { nodeConnectionInfo } from './node-connection.ts';
import { forwardedRequestHeaders, relayedResponseHeaders } from './proxy-headers.ts';
import { proxyUpgrade } from './upgrade-proxy.ts';
import { isUpgradeRequest, upgradeOf } from './upgrade-request.ts';

export function nodeProxyHandler(client: KubeletClient): Handler {
  return async (req, res, scope) => {
    const target = await nodeConnectionInfo(scope.registry, scope.ctx, scope.info.name);
    const path = kubeletPathOf(req);
    const upgrade = upgradeOf(req);
    if (upgrade && isUpgradeRequest(req)) return proxyUpgrade(req, res, upgrade, client, target, path);
    const body = Buffer.isBuffer(req.body) ? req.body : undefined;
    const headers = forwardedRequestHeaders(req.headers, false);
    if (body) headers['content-length'] = String(body.length);
    let exchange;
    try {
      exchange = await kubeletRequest(client, target, { method: req.method, path, headers, body });
    } catch (err) {
      throw unknownStatusError((err as Error).message);
    }
    const { req: kreq, res: kres } = exchange;
    res.status(kres.statusCode ?? 502);
    for (const [name, value] of Object.entries(relayedResponseHeaders(kres.headers))) if (value !== undefined) res.setHeader(name, value);
    res.on('close', () => { if (!kres.complete) kreq.destroy(); });
    await pipeline(kres, res).catch(() => {});
  };
}

/** Everything after /nodes/{name}/proxy, still encoded, with the query; "/" when empty. */
function kubeletPathOf(req: Request): string {
  const url = new URL(req.originalUrl, 'http://request');
  const segments = url.pathname.split('/');
  const at = segments.indexOf('nodes');
  const rest = segments.slice(at + 3).join('/');
  return `/${rest}${url.search}`;
}
