// GET pods/{name}/log: validated as upstream (PodLogOptions, then the container), then streamed from
// the pod's kubelet /containerLogs. A kubelet's refusal becomes a Status (400 keeps its text, so
// kubectl prints "container "c" in pod "x" is waiting to start: ContainerCreating").
import { pipeline } from 'node:stream/promises';
import { newBadRequest, newInvalid, newMethodNotAllowed } from '../../apimachinery/errors.ts';
import { encodePodLogQuery, parsePodLogOptions, validatePodLogOptions } from '../../kubelet/logs/pod-log-options.ts';
import type { Handler } from '../handlers/scope.ts';
import { checkBackendResponse, unknownStatusError } from './backend-errors.ts';
import type { KubeletClient } from './kubelet-client-config.ts';
import { kubeletRequest, readBody } from './kubelet-request.ts';
import { joinHostPort } from './node-connection.ts';
import { getPod, logContainer, podKubelet, podPath, requestQuery } from './pod-location.ts';

export function podLogHandler(client: KubeletClient): Handler {
  return async (req, res, scope) => {
    if (scope.info.verb !== 'get') throw newMethodNotAllowed();
    const name = scope.info.name;
    let opts;
    try {
      opts = parsePodLogOptions(requestQuery(req));
    } catch (err) {
      throw newBadRequest((err as Error).message);
    }
    const errs = validatePodLogOptions(opts);
    if (errs.length > 0) throw newInvalid({ group: '', kind: 'PodLogOptions' }, name, errs);
    const pod = await getPod(scope);
    const container = logContainer(pod, opts.container);
    const target = await podKubelet(scope, pod);
    // Not scheduled: nothing to stream (upstream's nil location).
    if (!target) {
      res.status(204).end();
      return;
    }
    const query = encodePodLogQuery(opts);
    const path = `/containerLogs/${podPath(pod)}/${encodeURIComponent(container)}${query ? `?${query}` : ''}`;
    let exchange;
    try {
      exchange = await kubeletRequest(client, target, { method: 'GET', path });
    } catch (err) {
      throw unknownStatusError(`Get "https://${joinHostPort(target.host, target.port)}${path}": ${(err as Error).message}`);
    }
    const { req: kreq, res: kres } = exchange;
    const code = kres.statusCode ?? 500;
    if (code < 200 || code > 206) throw checkBackendResponse(code, await readBody(kres), 'pods/log', name);
    res.status(200);
    res.setHeader('Content-Type', 'text/plain');
    res.on('close', () => { if (!kres.complete) kreq.destroy(); });
    // A stream cut on either side just ends the other.
    await pipeline(kres, res).catch(() => {});
  };
}
