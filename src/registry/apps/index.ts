// apps/v1: the workload controllers' resources.
import type { ResourceDefinition } from '../types.ts';
import { controllerrevisions } from './controllerrevision.ts';
import { daemonsets } from './daemonset.ts';
import { deployments } from './deployment.ts';
import { replicasets } from './replicaset.ts';
import { statefulsets } from './statefulset.ts';

export const resources: ResourceDefinition[] = [deployments, replicasets, statefulsets, daemonsets, controllerrevisions];
