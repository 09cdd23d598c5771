// Every scenario, one file per area, in the order they run (quick API checks first, kubectl last).
import type { Scenario } from '../framework/scenario.ts';
import { apiMachineryScenarios } from './api-machinery.ts';
import { daemonSetScenarios } from './apps-daemonsets.ts';
import { deploymentScenarios } from './apps-deployments.ts';
import { replicaSetScenarios } from './apps-replicasets.ts';
import { statefulSetScenarios } from './apps-statefulsets.ts';
import { jobScenarios } from './batch-jobs.ts';
import { configMapScenarios } from './configmaps.ts';
import { cronJobScenarios } from './cronjobs.ts';
import { discoveryScenarios } from './discovery.ts';
import { eventScenarios } from './events.ts';
import { gcScenarios } from './gc.ts';
import { kubectlScenarios } from './kubectl.ts';
import { leaseScenarios } from './leases.ts';
import { limitRangeScenarios } from './limitranges.ts';
import { namespaceDeletionScenarios } from './namespaces-deletion.ts';
import { namespaceScenarios } from './namespaces.ts';
import { networkingScenarios } from './networking.ts';
import { podScenarios } from './pods.ts';
import { podTemplateScenarios } from './podtemplates.ts';
import { resourceQuotaScenarios } from './resourcequotas.ts';
import { schedulingScenarios } from './scheduling.ts';
import { secretScenarios } from './secrets.ts';
import { serviceAccountScenarios } from './serviceaccounts.ts';
import { serviceScenarios } from './services.ts';
import { storageScenarios } from './storage.ts';
import { watchScenarios } from './watch.ts';

export function allScenarios(): Scenario[] {
  const all = [
    ...discoveryScenarios,
    ...namespaceScenarios,
    ...configMapScenarios,
    ...secretScenarios,
    ...podTemplateScenarios,
    ...podScenarios,
    ...serviceAccountScenarios,
    ...serviceScenarios,
    ...eventScenarios,
    ...leaseScenarios,
    ...resourceQuotaScenarios,
    ...limitRangeScenarios,
    ...networkingScenarios,
    ...cronJobScenarios,
    ...schedulingScenarios,
    ...storageScenarios,
    ...apiMachineryScenarios,
    ...watchScenarios,
    // Controllers and nodes at work: slower, so after the API checks.
    ...deploymentScenarios,
    ...replicaSetScenarios,
    ...daemonSetScenarios,
    ...statefulSetScenarios,
    ...jobScenarios,
    ...gcScenarios,
    ...namespaceDeletionScenarios,
    ...kubectlScenarios,
  ];
  const seen = new Set<string>();
  for (const s of all) {
    if (seen.has(s.name)) throw new Error(`two scenarios are named ${JSON.stringify(s.name)}`);
    seen.add(s.name);
  }
  return all;
}
