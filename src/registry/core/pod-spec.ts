// The pod-spec helpers shared by pods, pod templates, replication controllers and the workload
// resources of other groups (Deployments, Jobs, …): defaulting, validation and change detection.
import { deepEqual } from './deep-equal.ts';

export { defaultPodSpec, defaultPodTemplateSpec, defaultContainer, defaultImagePullPolicy } from './pod-spec-defaults.ts';
export { validatePodSpec, validatePodTemplateSpec, validateTolerations, isValidPortName, isValidPortNum } from './pod-spec-validation.ts';

/** Whether two pod templates differ semantically (labels, annotations or spec). */
export function podTemplateSpecChanged(a: unknown, b: unknown): boolean {
  return !deepEqual(a, b);
}
