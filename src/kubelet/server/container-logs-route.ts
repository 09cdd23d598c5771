// GET /containerLogs/{namespace}/{pod}/{container}: the kubelet's log endpoint that pods/log proxies
// to. Problems found before any log byte is written are answered in plain text with upstream's codes
// and messages (404 unknown pod or container, 400 nothing to read yet); then the log streams.
import type { ServerResponse } from 'node:http';
import { containerLogTarget, logReadOptions, parsePodLogOptions, readLogs, validatePodLogOptions } from '../logs/index.ts';
import type { KubeletServerHandlers } from './kubelet-server-handlers.ts';
import { findPod, hasContainerSpec } from './pod-lookup.ts';
import { writePlain } from './plain-response.ts';

export async function serveContainerLogs(
  res: ServerResponse, url: URL, params: string[], handlers: KubeletServerHandlers, now: () => number,
): Promise<void> {
  const [namespace = '', podName = '', containerName = ''] = params;
  if (!podName) return writePlain(res, 400, '{"message": "Missing podID."}');
  if (!containerName) return writePlain(res, 400, '{"message": "Missing container name."}');
  if (!namespace) return writePlain(res, 400, '{"message": "Missing podNamespace."}');
  const query = new URLSearchParams(url.search);
  // The old "tail" parameter: a number, or "all" for everything.
  const tail = query.get('tail');
  if (tail) {
    query.delete('tail');
    if (tail !== 'all') query.set('tailLines', tail);
  }
  let opts;
  try {
    opts = parsePodLogOptions(query);
  } catch {
    return writePlain(res, 400, '{"message": "Unable to decode query."}');
  }
  if (validatePodLogOptions(opts).length > 0) return writePlain(res, 422, '{"message": "Invalid request."}');

  const pod = findPod(handlers.pods(), namespace, podName);
  if (!pod) return writePlain(res, 404, `pod ${JSON.stringify(podName)} does not exist`);
  if (!hasContainerSpec(pod, containerName)) return writePlain(res, 404, `container ${JSON.stringify(containerName)} not found in pod ${JSON.stringify(podName)}`);
  const target = containerLogTarget(pod, containerName, opts.previous);
  if ('error' in target) return writePlain(res, 400, target.error);

  let logPath: string;
  try {
    logPath = (await handlers.runtime.containerStatus(target.containerId)).logPath;
  } catch (err) {
    return writePlain(res, 400, `failed to get container status ${JSON.stringify(target.containerId)}: ${(err as Error).message}`);
  }

  const aborted = new AbortController();
  res.on('close', () => aborted.abort());
  // The status line goes out with the first log byte, so an error before it can still be a 400.
  res.setHeader('Content-Type', 'text/plain');
  res.setHeader('Cache-Control', 'no-cache, private');
  try {
    await readLogs(logPath, logReadOptions(opts, now()), res, {
      signal: aborted.signal,
      isRunning: async () => (await handlers.runtime.containerStatus(target.containerId)).state === 'CONTAINER_RUNNING',
    });
  } catch (err) {
    return writePlain(res, 400, (err as Error).message);
  }
  res.end();
}
