// The namespace status conditions the deleter maintains while a namespace terminates, with
// upstream's types, reasons and messages (pkg/controller/namespace/deletion/status_condition_utils.go):
// each type is True with what went wrong, or False with its "ok" reason once it is fine.

export interface NamespaceCondition {
  type: string;
  status: 'True' | 'False';
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

const CONDITION_TYPES = [
  'NamespaceDeletionDiscoveryFailure',
  'NamespaceDeletionGroupVersionParsingFailure',
  'NamespaceDeletionContentFailure',
  'NamespaceContentRemaining',
  'NamespaceFinalizersRemaining',
] as const;

const OK: Record<(typeof CONDITION_TYPES)[number], { reason: string; message: string }> = {
  NamespaceDeletionDiscoveryFailure: { reason: 'ResourcesDiscovered', message: 'All resources successfully discovered' },
  NamespaceDeletionGroupVersionParsingFailure: { reason: 'ParsedGroupVersions', message: 'All legacy kube types successfully parsed' },
  NamespaceDeletionContentFailure: { reason: 'ContentDeleted', message: 'All content successfully deleted, may be waiting on finalization' },
  NamespaceContentRemaining: { reason: 'ContentRemoved', message: 'All content successfully removed' },
  NamespaceFinalizersRemaining: { reason: 'ContentRemoved', message: 'All content successfully removed' },
};

/** What one pass of deleting a namespace's content found. */
export interface DeletionReport {
  discoveryError?: string;
  /** One message per resource whose content could not be deleted. */
  contentErrors: string[];
  /** "configmaps." → number of objects left (upstream prints resource.group). */
  remainingByResource: Map<string, number>;
  remainingByFinalizer: Map<string, number>;
}

export function conditionsFor(report: DeletionReport, now: string): NamespaceCondition[] {
  const failing: NamespaceCondition[] = [];
  const add = (type: string, reason: string, message: string) => failing.push({ type, status: 'True', lastTransitionTime: now, reason, message });
  if (report.discoveryError !== undefined) add('NamespaceDeletionDiscoveryFailure', 'DiscoveryFailed', report.discoveryError);
  if (report.contentErrors.length > 0) {
    const msgs = [...report.contentErrors].sort();
    add('NamespaceDeletionContentFailure', 'ContentDeletionFailed', `Failed to delete all resource types, ${msgs.length} remaining: ${msgs.join(', ')}`);
  }
  const remaining = [...report.remainingByResource].filter(([, n]) => n > 0).map(([r, n]) => `${r} has ${n} resource instances`).sort();
  if (report.remainingByResource.size > 0) add('NamespaceContentRemaining', 'SomeResourcesRemain', `Some resources are remaining: ${remaining.join(', ')}`);
  const byFinalizer = [...report.remainingByFinalizer].filter(([, n]) => n > 0).map(([f, n]) => `${f} in ${n} resource instances`).sort();
  if (report.remainingByFinalizer.size > 0) add('NamespaceFinalizersRemaining', 'SomeFinalizerRemain', `Some content in the namespace has finalizers remaining: ${byFinalizer.join(', ')}`);
  return failing;
}

/**
 * Merges the new conditions into the current ones (upstream updateConditions): every type present,
 * lastTransitionTime moved only when the status flips. Returns the list and whether it changed.
 */
export function mergeConditions(current: readonly NamespaceCondition[], failing: NamespaceCondition[], now: string): { conditions: NamespaceCondition[]; changed: boolean } {
  const conditions = current.map((c) => ({ ...c }));
  let changed = false;
  for (const type of CONDITION_TYPES) {
    const next = failing.find((c) => c.type === type) ?? { type, status: 'False' as const, lastTransitionTime: now, ...OK[type] };
    const old = conditions.find((c) => c.type === type);
    if (!old) {
      conditions.push(next);
      changed = true;
    } else if (old.status !== next.status || old.message !== next.message || old.reason !== next.reason) {
      if (old.status !== next.status) old.lastTransitionTime = now;
      Object.assign(old, { status: next.status, reason: next.reason, message: next.message });
      changed = true;
    }
  }
  return { conditions, changed };
}
