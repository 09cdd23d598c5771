// namespaces: cluster-scoped, with spec.finalizers ["kubernetes"] that the namespace controller
// removes (through /finalize) after emptying a Terminating namespace. Upstream pkg/registry/core/namespace.
import type { FieldError } from '../../apimachinery/errors.ts';
import { deepCopy, type KObject } from '../../apimachinery/types.ts';
import { invalid, isDNS1123Label, isDNS1123Subdomain, isQualifiedName, notSupported } from '../../apimachinery/validation.ts';
import { defineResource } from '../define-resource.ts';
import type { ResourceStrategy } from '../types.ts';
import { keepStatus } from './status-helpers.ts';
import { column, defineTable } from '../groups/common/printers.ts';

type Obj = Record<string, any>;

export const FINALIZER_KUBERNETES = 'kubernetes';
export const LABEL_METADATA_NAME = 'kubernetes.io/metadata.name';

function setNameLabel(ns: KObject): void {
  if (!ns.metadata.name) return;
  ns.metadata.labels = { ...(ns.metadata.labels ?? {}), [LABEL_METADATA_NAME]: ns.metadata.name };
}

function validateFinalizers(finalizers: unknown, field: string): FieldError[] {
  if (!Array.isArray(finalizers)) return [];
  const errs: FieldError[] = [];
  finalizers.forEach((f, i) => {
    const p = `${field}[${i}]`;
    if (typeof f !== 'string') return;
    const problems = isQualifiedName(f);
    if (problems.length > 0) errs.push(...invalid(p, f, problems));
    else if (f !== FINALIZER_KUBERNETES && !f.includes('/')) {
      errs.push(...invalid(p, f, ['name is neither a standard finalizer name nor is it fully qualified']));
    }
  });
  return errs;
}

function validateNamespace(ns: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const name = ns.metadata.name;
  // Namespace names are DNS-1123 labels; non-subdomain names are already reported by the generic store.
  if (typeof name === 'string' && name && isDNS1123Subdomain(name).length === 0) errs.push(...invalid('metadata.name', name, isDNS1123Label(name)));
  errs.push(...validateFinalizers((ns.spec as Obj)?.finalizers, 'spec.finalizers'));
  return errs;
}

const NAMESPACE_PHASES = ['Active', 'Terminating'];

export const namespaceStrategy: ResourceStrategy = {
  defaults(ns) {
    setNameLabel(ns);
    if (typeof ns.spec !== 'object' || ns.spec === null) ns.spec = {};
  },
  prepareForCreate(ns) {
    ns.status = { phase: 'Active' };
    const spec = ns.spec as Obj;
    const finalizers: string[] = Array.isArray(spec.finalizers) ? spec.finalizers : [];
    if (!finalizers.includes(FINALIZER_KUBERNETES)) spec.finalizers = [...finalizers, FINALIZER_KUBERNETES];
  },
  prepareForUpdate(ns, old) {
    // spec.finalizers change only through /finalize.
    (ns.spec as Obj).finalizers = deepCopy((old.spec as Obj)?.finalizers);
    if ((ns.spec as Obj).finalizers === undefined) delete (ns.spec as Obj).finalizers;
    keepStatus(ns, old);
  },
  // Labels set through generateName get the name label once the name exists.
  canonicalize: setNameLabel,
  // Upstream's namespace REST Delete and ShouldDeleteNamespaceDuringUpdate: a namespace with
  // spec.finalizers is only marked Terminating; it goes once the namespace controller finalized it.
  pendingFinalizers: (ns) => ((ns.spec as Obj)?.finalizers?.length ?? 0) > 0,
  prepareForDelete(ns) {
    ns.status = { ...((ns.status as Obj) ?? {}), phase: 'Terminating' };
  },
  validate: validateNamespace,
  allowCreateOnUpdate: false,
};

export const namespaceStatusStrategy: ResourceStrategy = {
  prepareForUpdate(ns, old) {
    ns.spec = deepCopy(old.spec);
  },
  validateUpdate(ns) {
    const phase = (ns.status as Obj)?.phase;
    if (phase !== undefined && !NAMESPACE_PHASES.includes(phase)) return [notSupported('status.phase', phase, NAMESPACE_PHASES)];
    return [];
  },
  specChanged: () => false,
};

/** The strategy for PUT /api/v1/namespaces/{name}/finalize: only spec.finalizers may change. */
export const namespaceFinalizeStrategy: ResourceStrategy = {
  defaults: namespaceStrategy.defaults,
  prepareForUpdate(ns, old) {
    const finalizers = (ns.spec as Obj)?.finalizers;
    const spec = deepCopy((old.spec as Obj) ?? {});
    if (finalizers === undefined) delete spec.finalizers;
    else spec.finalizers = finalizers;
    ns.spec = spec;
    keepStatus(ns, old);
  },
  validateUpdate: (ns) => validateFinalizers((ns.spec as Obj)?.finalizers, 'spec.finalizers'),
};

export const namespaceResource = defineResource({
  apiVersion: 'v1', kind: 'Namespace', namespaced: false, shortNames: ['ns'],
  subresources: { status: true, views: { finalize: namespaceFinalizeStrategy } },
  strategy: namespaceStrategy,
  statusStrategy: namespaceStatusStrategy,
  table: defineTable({
    columns: [column('Status', 'string', 'The status of the namespace')],
    cells: (ns) => [(ns.status as Obj)?.phase ?? ''],
  }),
  selectableFields: (ns) => ({ 'status.phase': (ns.status as Obj)?.phase ?? '', name: ns.metadata.name ?? '' }),
});
