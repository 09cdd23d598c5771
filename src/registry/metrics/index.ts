// metrics.k8s.io/v1beta1: served, never stored.
export { metricsResources, nodeMetricsResource, podMetricsResource, METRICS_GROUP } from './metrics-resources.ts';
export { formatBytes, formatNanoCores } from './metrics-quantity.ts';
