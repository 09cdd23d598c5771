// The /scale subresource of the replicated workloads: spec.replicas, status.replicas, spec.selector.
import type { ScaleSubresource } from '../types.ts';

export const REPLICAS_SCALE: ScaleSubresource = { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas', labelSelectorPath: 'spec.selector' };
