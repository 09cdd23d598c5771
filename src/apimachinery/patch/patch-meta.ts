// Strategic-merge-patch metadata of the built-in types: upstream's `patchStrategy` and
// `patchMergeKey` struct tags (k8s.io/api/*/types.go), keyed "<ModelName>.<jsonField>" with the
// model names of src/openapi/models.generated.json. Kept as data: the strategic merge patch reads
// it, and the OpenAPI generator emits it as x-kubernetes-patch-strategy / x-kubernetes-patch-merge-key.
// A field missing here has no strategy: maps merge key by key, lists are replaced whole.

export interface PatchMeta {
  /** The tag as written upstream: "merge", "retainKeys", "merge,retainKeys" or "replace". */
  strategy: string;
  /** The element field lists of objects are merged on. Lists of scalars have none. */
  mergeKey?: string;
}

const byName = (strategy = 'merge'): PatchMeta => ({ strategy, mergeKey: 'name' });
const byType: PatchMeta = { strategy: 'merge', mergeKey: 'type' };
const byIP: PatchMeta = { strategy: 'merge', mergeKey: 'ip' };

// Container and EphemeralContainer carry the same list fields (EphemeralContainerCommon).
const containerLists: Record<string, PatchMeta> = {
  ports: { strategy: 'merge', mergeKey: 'containerPort' },
  env: byName(),
  volumeMounts: { strategy: 'merge', mergeKey: 'mountPath' },
  volumeDevices: { strategy: 'merge', mergeKey: 'devicePath' },
};

function forModel(model: string, fields: Record<string, PatchMeta>): Record<string, PatchMeta> {
  return Object.fromEntries(Object.entries(fields).map(([f, m]) => [`${model}.${f}`, m]));
}

export const patchMeta: Record<string, PatchMeta> = {
  // meta/v1
  ...forModel('V1ObjectMeta', {
    finalizers: { strategy: 'merge' },
    ownerReferences: { strategy: 'merge', mergeKey: 'uid' },
  }),

  // core/v1
  ...forModel('V1PodSpec', {
    volumes: byName('merge,retainKeys'),
    initContainers: byName(),
    containers: byName(),
    ephemeralContainers: byName(),
    imagePullSecrets: byName(),
    hostAliases: byIP,
    topologySpreadConstraints: { strategy: 'merge', mergeKey: 'topologyKey' },
    schedulingGates: byName(),
    resourceClaims: byName('merge,retainKeys'),
  }),
  ...forModel('V1Container', containerLists),
  ...forModel('V1EphemeralContainer', containerLists),
  ...forModel('V1PodStatus', {
    conditions: byType,
    podIPs: byIP,
    hostIPs: byIP,
    resourceClaimStatuses: byName('merge,retainKeys'),
  }),
  ...forModel('V1ContainerStatus', { allocatedResourcesStatus: byName() }),
  ...forModel('V1NodeSpec', { podCIDRs: { strategy: 'merge' } }),
  ...forModel('V1NodeStatus', {
    addresses: byType,
    conditions: byType,
  }),
  ...forModel('V1ServiceSpec', { ports: { strategy: 'merge', mergeKey: 'port' } }),
  ...forModel('V1ServiceStatus', { conditions: byType }),
  ...forModel('V1ServiceAccount', { secrets: byName() }),
  ...forModel('V1NamespaceStatus', { conditions: byType }),
  ...forModel('V1PersistentVolumeClaimStatus', { conditions: byType }),
  ...forModel('V1ReplicationControllerStatus', { conditions: byType }),
  ...forModel('V1ComponentStatus', { conditions: byType }),

  // apps/v1
  ...forModel('V1DeploymentSpec', { strategy: { strategy: 'retainKeys' } }),
  ...forModel('V1DeploymentStatus', { conditions: byType }),
  ...forModel('V1ReplicaSetStatus', { conditions: byType }),
  ...forModel('V1StatefulSetStatus', { conditions: byType }),
  ...forModel('V1DaemonSetStatus', { conditions: byType }),

  // batch/v1
  ...forModel('V1JobStatus', { conditions: byType }),

  // autoscaling/v2
  ...forModel('V2HorizontalPodAutoscalerStatus', { conditions: byType }),

  // policy/v1
  ...forModel('V1PodDisruptionBudgetStatus', { conditions: byType }),

  // flowcontrol.apiserver.k8s.io/v1
  ...forModel('V1FlowSchemaStatus', { conditions: byType }),
  ...forModel('V1PriorityLevelConfigurationStatus', { conditions: byType }),

  // apiregistration.k8s.io/v1
  ...forModel('V1APIServiceStatus', { conditions: byType }),
};
