// The kubelet's /stats/summary body (k8s.io/kubelet/pkg/apis/stats/v1alpha1), the part we fill:
// node and per-pod/per-container CPU and memory. Byte and nanosecond counters are JSON numbers, as
// Go's uint64 fields are.

export interface CPUStats {
  time: string;
  /** Average usage over the last sampling window, in billionths of a core. */
  usageNanoCores?: number;
  /** Cumulative CPU time. */
  usageCoreNanoSeconds?: number;
}

export interface MemoryStats {
  time: string;
  availableBytes?: number;
  usageBytes?: number;
  workingSetBytes?: number;
  rssBytes?: number;
}

export interface ContainerStatsSummary {
  name: string;
  startTime: string;
  cpu?: CPUStats;
  memory?: MemoryStats;
}

export interface PodReference { name: string; namespace: string; uid: string }

export interface PodStatsSummary {
  podRef: PodReference;
  startTime: string;
  containers: ContainerStatsSummary[];
  cpu?: CPUStats;
  memory?: MemoryStats;
}

export interface NodeStatsSummary {
  nodeName: string;
  startTime: string;
  cpu?: CPUStats;
  memory?: MemoryStats;
}

export interface Summary {
  node: NodeStatsSummary;
  pods: PodStatsSummary[];
}
