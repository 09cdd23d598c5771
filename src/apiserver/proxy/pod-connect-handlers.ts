// pods/exec, pods/attach and pods/portforward (GET or POST): the pod and container are checked as
// upstream's streamLocation does, then the upgrade is proxied to the kubelet's /exec, /attach or
// /portForward with PodExecOptions re-encoded as the kubelet reads them (input/output/error/tty=1).
import { newBadRequest, newMethodNotAllowed } from '../../apimachinery/errors.ts';
import type { Handler } from '../handlers/scope.ts';
import type { KubeletClient } from './kubelet-client-config.ts';
import { getPod, podPath, requestQuery, requirePodKubelet, streamContainer } from './pod-location.ts';
import { proxyUpgrade } from './upgrade-proxy.ts';
import { isUpgradeRequest, upgradeOf } from './upgrade-request.ts';

type Connect = 'exec' | 'attach' | 'portforward';

const KUBELET_PATH: Record<Connect, string> = { exec: 'exec', attach: 'attach', portforward: 'portForward' };

export function podConnectHandler(kind: Connect, client: KubeletClient): Handler {
  return async (req, res, scope) => {
    if (scope.info.verb !== 'get' && scope.info.verb !== 'create') throw newMethodNotAllowed();
    const query = requestQuery(req);
    const pod = await getPod(scope);
    let path: string;
    if (kind === 'portforward') {
      path = `/portForward/${podPath(pod)}`;
      const ports = query.getAll('ports');
      if (ports.length > 0) path += `?${new URLSearchParams({ port: ports.join(',') })}`;
    } else {
      const container = streamContainer(pod, query.get('container') ?? undefined);
      path = `/${KUBELET_PATH[kind]}/${podPath(pod)}/${encodeURIComponent(container)}`;
      const params = streamParams(query, kind === 'exec');
      if (params) path += `?${params}`;
    }
    const target = await requirePodKubelet(scope, pod);
    const upgrade = upgradeOf(req);
    if (!upgrade || !isUpgradeRequest(req)) throw newBadRequest('Upgrade request required');
    await proxyUpgrade(req, res, upgrade, client, target, path);
  };
}

/** PodExecOptions/PodAttachOptions → the kubelet's query (upstream streamParams). */
function streamParams(query: URLSearchParams, withCommand: boolean): string {
  const out = new URLSearchParams();
  const flags: [string, string][] = [['stdin', 'input'], ['stdout', 'output'], ['stderr', 'error'], ['tty', 'tty']];
  for (const [option, param] of flags) if (isTrue(query.get(option))) out.append(param, '1');
  if (withCommand) for (const c of query.getAll('command')) out.append('command', c);
  return out.toString();
}

// Upstream's query conversion of a bool: absent is false; "0" and "false" (any case) are false.
function isTrue(v: string | null): boolean {
  return v !== null && !(v === '0' || v.toLowerCase() === 'false');
}
