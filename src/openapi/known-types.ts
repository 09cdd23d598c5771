// Which API group each client-node model belongs to. client-node drops the Go package from type
// names (V1Pod, V1Scale, V1LabelSelector), so this is our "scheme": the top-level kinds each group
// version registers (as upstream's AddKnownTypes), plus the apimachinery meta types. Nested types take
// the group of the first kind that reaches them, core first (see definition-names.ts).

/** io.k8s.apimachinery.pkg.apis.meta.v1 types. */
export const META_V1_MODELS = new Set([
  'V1APIGroup', 'V1APIGroupList', 'V1APIResource', 'V1APIResourceList', 'V1APIVersions', 'V1Condition',
  'V1DeleteOptions', 'V1FieldSelectorRequirement', 'V1GroupVersionForDiscovery', 'V1LabelSelector',
  'V1LabelSelectorRequirement', 'V1ListMeta', 'V1ManagedFieldsEntry', 'V1ObjectMeta', 'V1OwnerReference',
  'V1Preconditions', 'V1ServerAddressByClientCIDR', 'V1Status', 'V1StatusCause', 'V1StatusDetails', 'V1WatchEvent',
]);

/** Roots per "group/version" ("" group is core), in the order groups claim shared nested types. */
export const GROUP_VERSION_ROOTS: Array<[group: string, version: string, models: string[]]> = [
  ['', 'v1', [
    'V1Binding', 'V1ComponentStatus', 'V1ConfigMap', 'V1Endpoints', 'CoreV1Event', 'V1LimitRange', 'V1Namespace',
    'V1Node', 'V1PersistentVolume', 'V1PersistentVolumeClaim', 'V1Pod', 'V1PodTemplate', 'V1ReplicationController',
    'V1ResourceQuota', 'V1Secret', 'V1Service', 'V1ServiceAccount', 'V1TopologySelectorTerm',
  ]],
  ['autoscaling', 'v1', ['V1Scale', 'V1HorizontalPodAutoscaler']],
  ['autoscaling', 'v2', ['V2HorizontalPodAutoscaler']],
  ['policy', 'v1', ['V1Eviction', 'V1PodDisruptionBudget']],
  ['authentication.k8s.io', 'v1', ['AuthenticationV1TokenRequest', 'V1TokenReview', 'V1SelfSubjectReview']],
  ['apps', 'v1', ['V1ControllerRevision', 'V1DaemonSet', 'V1Deployment', 'V1ReplicaSet', 'V1StatefulSet']],
  ['batch', 'v1', ['V1CronJob', 'V1Job']],
  ['authorization.k8s.io', 'v1', ['V1LocalSubjectAccessReview', 'V1SelfSubjectAccessReview', 'V1SelfSubjectRulesReview', 'V1SubjectAccessReview']],
  ['events.k8s.io', 'v1', ['EventsV1Event']],
  ['certificates.k8s.io', 'v1', ['V1CertificateSigningRequest']],
  ['networking.k8s.io', 'v1', ['V1IPAddress', 'V1Ingress', 'V1IngressClass', 'V1NetworkPolicy', 'V1ServiceCIDR']],
  ['rbac.authorization.k8s.io', 'v1', ['V1ClusterRole', 'V1ClusterRoleBinding', 'V1Role', 'V1RoleBinding']],
  ['storage.k8s.io', 'v1', ['V1CSIDriver', 'V1CSINode', 'V1CSIStorageCapacity', 'V1StorageClass', 'V1VolumeAttachment', 'V1VolumeAttributesClass']],
  ['admissionregistration.k8s.io', 'v1', ['V1MutatingWebhookConfiguration', 'V1ValidatingAdmissionPolicy', 'V1ValidatingAdmissionPolicyBinding', 'V1ValidatingWebhookConfiguration']],
  ['apiextensions.k8s.io', 'v1', ['V1CustomResourceDefinition']],
  ['apiregistration.k8s.io', 'v1', ['V1APIService']],
  ['scheduling.k8s.io', 'v1', ['V1PriorityClass']],
  ['coordination.k8s.io', 'v1', ['V1Lease']],
  ['node.k8s.io', 'v1', ['V1RuntimeClass']],
  ['discovery.k8s.io', 'v1', ['V1EndpointSlice']],
  ['flowcontrol.apiserver.k8s.io', 'v1', ['V1FlowSchema', 'V1PriorityLevelConfiguration']],
];

/** client-node's prefix for colliding names (CoreV1Event, EventsV1Event, RbacV1Subject…) → group. */
export const MODEL_PREFIX_GROUPS: Record<string, string> = {
  Admissionregistration: 'admissionregistration.k8s.io',
  Apiextensions: 'apiextensions.k8s.io',
  Apiregistration: 'apiregistration.k8s.io',
  Authentication: 'authentication.k8s.io',
  Core: '',
  Discovery: 'discovery.k8s.io',
  Events: 'events.k8s.io',
  Flowcontrol: 'flowcontrol.apiserver.k8s.io',
  Rbac: 'rbac.authorization.k8s.io',
  Resource: 'resource.k8s.io',
  Storage: 'storage.k8s.io',
};

/** Go package path of a group's types, as used in OpenAPI definition names. */
export function packageOfGroup(group: string): string {
  switch (group) {
    case '':
      return 'io.k8s.api.core';
    case 'apiextensions.k8s.io':
      return 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions';
    case 'apiregistration.k8s.io':
      return 'io.k8s.kube-aggregator.pkg.apis.apiregistration';
    case 'internal.apiserver.k8s.io':
      return 'io.k8s.api.apiserverinternal';
    default:
      return `io.k8s.api.${group.split('.')[0]}`;
  }
}

export const META_V1 = 'io.k8s.apimachinery.pkg.apis.meta.v1';
export const TIME = `${META_V1}.Time`;
export const MICRO_TIME = `${META_V1}.MicroTime`;
export const FIELDS_V1 = `${META_V1}.FieldsV1`;
export const PATCH = `${META_V1}.Patch`;
export const RAW_EXTENSION = 'io.k8s.apimachinery.pkg.runtime.RawExtension';
export const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
export const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
export const VERSION_INFO = 'io.k8s.apimachinery.pkg.version.Info';

/** client-node models of subresource kinds that live outside the parent's type. */
export const SUBRESOURCE_KIND_MODELS: Record<string, string> = {
  Scale: 'V1Scale',
  Eviction: 'V1Eviction',
  TokenRequest: 'AuthenticationV1TokenRequest',
  Binding: 'V1Binding',
};
