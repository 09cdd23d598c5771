// Ordering of groups and versions in discovery. Versions: upstream's kube-aware order (GA > beta >
// alpha, higher numbers first), which also makes autoscaling prefer v2. Groups: kube-aggregator's
// group priorities, so /apis lists groups in the same order as a real cluster.

const VERSION_RE = /^v(\d+)(?:(alpha|beta)(\d+))?$/;

/** Negative when a sorts before (is preferred over) b. */
export function compareKubeAwareVersions(a: string, b: string): number {
  const ma = VERSION_RE.exec(a);
  const mb = VERSION_RE.exec(b);
  if (!ma || !mb) {
    if (ma) return -1;
    if (mb) return 1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  const stability = (m: RegExpExecArray) => (m[2] === undefined ? 3 : m[2] === 'beta' ? 2 : 1);
  if (stability(ma) !== stability(mb)) return stability(mb) - stability(ma);
  if (Number(ma[1]) !== Number(mb[1])) return Number(mb[1]) - Number(ma[1]);
  return Number(mb[3] ?? 0) - Number(ma[3] ?? 0);
}

const GROUP_PRIORITY: Record<string, number> = {
  '': 18000,
  'apiregistration.k8s.io': 18000,
  apps: 17800,
  'events.k8s.io': 17750,
  'authentication.k8s.io': 17700,
  'authorization.k8s.io': 17600,
  autoscaling: 17500,
  batch: 17400,
  'certificates.k8s.io': 17300,
  'networking.k8s.io': 17200,
  policy: 17100,
  'rbac.authorization.k8s.io': 17000,
  'storage.k8s.io': 16800,
  'admissionregistration.k8s.io': 16700,
  'apiextensions.k8s.io': 16700,
  'scheduling.k8s.io': 16600,
  'coordination.k8s.io': 16500,
  'node.k8s.io': 16300,
  'discovery.k8s.io': 16200,
  'flowcontrol.apiserver.k8s.io': 16100,
  'resource.k8s.io': 15900,
  'internal.apiserver.k8s.io': 15000,
  'storagemigration.k8s.io': 14800,
};

/** Groups by descending priority, ties (and unknown groups, priority 1000) by name. */
export function compareGroups(a: string, b: string): number {
  const pa = GROUP_PRIORITY[a] ?? 1000;
  const pb = GROUP_PRIORITY[b] ?? 1000;
  if (pa !== pb) return pb - pa;
  return a < b ? -1 : a > b ? 1 : 0;
}
