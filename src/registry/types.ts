// A resource is described, not coded: group/version/kind/plural/scope, names for discovery, the
// subresources it has, the fields it can be selected by, its table columns and a small strategy.
// The generic store (registry/generic/) and the HTTP installer serve every resource from this.

import type { FieldError } from '../apimachinery/errors.ts';
import type { KObject } from '../apimachinery/types.ts';

export interface RequestContext {
  /** Namespace from the URL ('' for cluster-scoped). */
  namespace: string;
  user?: { name: string; uid?: string; groups: string[] };
  dryRun: boolean;
  now: () => Date;
}

/** Upstream's rest.RESTCreateStrategy/RESTUpdateStrategy, reduced to what we need. */
export interface ResourceStrategy {
  /** Set defaults (SetDefaults_* of upstream). Runs on create and on every update, before prepare*. */
  defaults?(obj: KObject): void;
  /** Clear fields the client may not set (status on the main resource), initialise others. Mutates obj. */
  prepareForCreate?(obj: KObject, ctx: RequestContext): void | Promise<void>;
  /** Carry over fields this endpoint does not own (status on main resource, spec on /status). Mutates obj. */
  prepareForUpdate?(obj: KObject, old: KObject, ctx: RequestContext): void | Promise<void>;
  /** Never throws, never mutates. */
  validate?(obj: KObject, ctx: RequestContext): FieldError[];
  /** Never throws, never mutates; the create validation is applied too by the generic store. */
  validateUpdate?(obj: KObject, old: KObject, ctx: RequestContext): FieldError[];
  /** Normalise stored form (e.g. sort, drop empty). */
  canonicalize?(obj: KObject): void;
  /** Whether metadata.generation is bumped: true when the spec changed. Default: any change outside metadata/status. */
  specChanged?(obj: KObject, old: KObject): boolean;
  /** After-create hook with the stored object (e.g. allocate, record). Not called on dry-run. */
  afterCreate?(obj: KObject, ctx: RequestContext): void | Promise<void>;
  /** Undo side effects of prepareForCreate when the create does not happen (e.g. release an allocated IP). */
  abortCreate?(obj: KObject): void;
  /** After the object is gone from storage (e.g. release allocations). */
  afterDelete?(obj: KObject): void;
  /** At start-up, once per stored object (e.g. rebuild in-memory allocators). */
  restore?(obj: KObject): void;
  /** Whether PUT may create a missing object (upstream AllowCreateOnUpdate). */
  allowCreateOnUpdate?: boolean;
  /** Whether PUT without resourceVersion is allowed (AllowUnconditionalUpdate). Default true. */
  allowUnconditionalUpdate?: boolean;
  /** Delete answers with the deleted object instead of a Success Status (upstream ReturnDeletedObject: pods, …). */
  returnDeletedObject?: boolean;
  /** Default grace period for graceful delete (pods: spec.terminationGracePeriodSeconds). Undefined = immediate. */
  defaultGracePeriodSeconds?(obj: KObject): number | undefined;
  /** Default propagation policy for delete when the client gives none (upstream: orphan for some v1beta kinds). */
  defaultDeletePropagation?: 'Orphan' | 'Background' | 'Foreground';
  /** Finalizers held outside metadata.finalizers that also keep a deleted object (namespaces' spec.finalizers). */
  pendingFinalizers?(obj: KObject): boolean;
  /** When a delete marks the object as being deleted rather than removing it (namespaces: phase Terminating). */
  prepareForDelete?(obj: KObject): void;
  /** Warnings sent back on delete and deletecollection with these options (upstream: Job's REST.Delete). */
  warningsOnDelete?(opts: { propagationPolicy?: string; orphanDependents?: boolean }): string[];
  /** Virtual resources only: the answer to a create, computed from the validated request. */
  evaluate?(obj: KObject, ctx: RequestContext): KObject | Promise<KObject>;
}

export interface TableColumnDefinition {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format?: string; // 'name' for the NAME column
  description: string;
  /** Columns with priority > 0 appear only with -o wide. */
  priority: number;
}

export interface TableConvertor {
  columns: TableColumnDefinition[];
  /** One cell per column, in order. `now` is for ages. */
  cells(obj: KObject, now: Date): unknown[];
}

export interface ScaleSubresource {
  /** JSON path (dotted) of the desired replicas, e.g. "spec.replicas". */
  specReplicasPath: string;
  /** JSON path of the observed replicas, e.g. "status.replicas". */
  statusReplicasPath: string;
  /** Path of the label selector as a string (status.selector) or derived from spec.selector. */
  labelSelectorPath?: string;
}

export interface SubresourceSpec {
  /** /status: same storage, status strategy (keep spec, take status). */
  status?: boolean;
  /** /scale: autoscaling/v1 Scale view onto spec/status replicas. */
  scale?: ScaleSubresource;
  /** Other subresources served by dedicated handlers (binding, eviction, log, exec, …). */
  custom?: string[];
  /**
   * Subresources that are the object itself written with another strategy, through the generic store
   * (upstream: a second registry.Store with its own UpdateStrategy, as namespaces/finalize). Their verbs
   * are the ones discovery lists for them.
   */
  views?: Record<string, ResourceStrategy>;
}

export interface ResourceDefinition {
  group: string;
  version: string;
  kind: string;
  /** Lowercase plural, the URL segment. */
  resource: string;
  singularName: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  /** Verbs served (default: all eight standard verbs). */
  verbs?: string[];
  subresources?: SubresourceSpec;
  strategy: ResourceStrategy;
  /**
   * Nothing is stored (upstream: a REST that only implements rest.Creater, e.g. SubjectAccessReview):
   * create validates the request and answers with strategy.evaluate's result. Such a resource has no
   * table convertor, so a Table view of it is not acceptable (406), as in kube-apiserver.
   */
  virtual?: boolean;
  /** Strategy for the /status subresource (default: generic status strategy). */
  statusStrategy?: ResourceStrategy;
  table?: TableConvertor;
  /**
   * Field values for fieldSelector (metadata.name and metadata.namespace are always selectable).
   * Upstream's GetAttrs/SelectableFields.
   */
  selectableFields?(obj: KObject): Record<string, string>;
  /** The @kubernetes/client-node model name describing the kind in OpenAPI (e.g. "V1Pod"). */
  openapiModel?: string;
  /**
   * When several versions serve one stored resource (autoscaling v1/v2 HPAs), the version whose
   * shape is stored, and converters to/from it.
   */
  storageVersion?: string;
  /** When another group's resource holds the objects (events.k8s.io Events are core Events): its group. */
  storageGroup?: string;
  convertToStorage?(obj: KObject): KObject;
  convertFromStorage?(obj: KObject): KObject;
  /** Storage key segment (default: resource; e.g. "services/specs" upstream). */
  storagePrefix?: string;
}

export function apiVersionOfDef(def: ResourceDefinition): string {
  return def.group ? `${def.group}/${def.version}` : def.version;
}
