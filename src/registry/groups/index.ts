// Every non-core, non-apps API group: one folder per group.
import type { ResourceDefinition } from '../types.ts';
import { selfSubjectReviews } from './authentication/selfsubjectreview.ts';
import { resources as authorization } from './authorization/access-reviews.ts';
import { hpaV1, hpaV2 } from './autoscaling/hpa.ts';
import { resources as batch } from './batch/index.ts';
import { leases } from './coordination/lease.ts';
import { endpointslices } from './discovery/endpointslice.ts';
import { eventsV1 } from './events/event.ts';
import { ingressclasses } from './networking/ingressclass.ts';
import { ingresses } from './networking/ingress.ts';
import { networkpolicies } from './networking/networkpolicy.ts';
import { poddisruptionbudgets } from './policy/poddisruptionbudget.ts';
import { clusterrolebindings, rolebindings } from './rbac/bindings.ts';
import { clusterroles, roles } from './rbac/roles.ts';
import { priorityclasses } from './scheduling/priorityclass.ts';
import { csidrivers, csinodes, volumeattachments } from './storage/csi.ts';
import { storageclasses } from './storage/storageclass.ts';

export const resources: ResourceDefinition[] = [
  ...batch,
  leases,
  eventsV1,
  endpointslices,
  ingresses,
  ingressclasses,
  networkpolicies,
  roles,
  rolebindings,
  clusterroles,
  clusterrolebindings,
  poddisruptionbudgets,
  hpaV1,
  hpaV2,
  storageclasses,
  csidrivers,
  csinodes,
  volumeattachments,
  priorityclasses,
  selfSubjectReviews,
  ...authorization,
];
