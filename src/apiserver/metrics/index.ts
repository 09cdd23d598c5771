// metrics.k8s.io served by the API server itself from the kubelets' /stats/summary (in place of
// metrics-server behind the aggregator), keyed as dispatch looks handlers up ("group/resource").
import type { Handler } from '../handlers/scope.ts';
import type { KubeletClient } from '../proxy/kubelet-client-config.ts';
import { nodeMetricsHandler, podMetricsHandler } from './metrics-handlers.ts';

export { formatBytes, formatNanoCores } from '../../registry/metrics/metrics-quantity.ts';

export function metricsHandlers(client: KubeletClient, log?: (m: string) => void): Map<string, Handler> {
  return new Map<string, Handler>([
    ['metrics.k8s.io/nodes', nodeMetricsHandler(client, log)],
    ['metrics.k8s.io/pods', podMetricsHandler(client, log)],
  ]);
}
