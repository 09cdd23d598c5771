// kube-controller-manager flags that individual controllers read, with upstream's defaults. main
// parses them (options.ts) and the controller manager hands them to every controller's context.
export interface ControllerManagerFlags {
  /** --node-monitor-grace-period: how long a silent node stays Ready before it is marked Unknown. */
  nodeMonitorGracePeriodMs: number;
  /** --terminated-pod-gc-threshold: terminated pods kept before PodGC deletes the oldest; 0 disables. */
  terminatedPodGCThreshold: number;
  /** --allocate-node-cidrs: node-ipam-controller gives each Node a spec.podCIDR (on by default here, as k3s). */
  allocateNodeCIDRs?: boolean;
  /** --cluster-cidr: the pod network the node subnets are cut from. */
  clusterCIDR?: string;
  /** --node-cidr-mask-size: the prefix length of each node's subnet. */
  nodeCIDRMaskSize?: number;
  /** Where the local-path provisioner makes volume directories (<data-dir>/local-path). */
  localPathRoot?: string;
}

export const DEFAULT_CONTROLLER_MANAGER_FLAGS: ControllerManagerFlags = {
  nodeMonitorGracePeriodMs: 40_000,
  terminatedPodGCThreshold: 12_500,
};
