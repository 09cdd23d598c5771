// Creating and deleting a Job's pods (controller.RealPodControl for the Job controller): pods are
// made from the template with the controller reference and the tracking finalizer, Indexed Jobs'
// pods carry their index, and every create and delete is recorded as an event on the Job.
import { isNotFound } from '../../client/api-error.ts';
import type { KubeClient } from '../../client/kube-client.ts';
import { GVR } from '../../client/resources.ts';
import { newControllerRef } from '../framework/controller-ref.ts';
import type { EventRecorder } from '../framework/events/event-recorder.ts';
import { JOB_COMPLETION_INDEX_ANNOTATION, JOB_TRACKING_FINALIZER, removeTrackingFinalizerPatch } from './job-util.ts';
import { JOB_KIND, type Job, type Pod, type PodTemplateSpec } from './types.ts';

/** names.MaxGeneratedNameLength: a generated name's base before the 5-character suffix. */
const MAX_GENERATED_NAME_LENGTH = 58;
const COMPLETION_INDEX_ENV = 'JOB_COMPLETION_INDEX';

export class JobPodControl {
  constructor(private readonly client: KubeClient, private readonly recorder: EventRecorder) {}

  private pods(namespace: string) { return this.client.resource<Pod>(GVR.pods).namespace(namespace); }

  /** Creates one pod (index ≥ 0 for Indexed Jobs); records SuccessfulCreate or FailedCreate. */
  async createPod(job: Job, index: number): Promise<Pod> {
    const pod = podFromTemplate(job, index);
    try {
      const created = await this.pods(job.metadata.namespace!).create(pod);
      this.recorder.eventf(job, 'Normal', 'SuccessfulCreate', 'Created pod: %s', created.metadata.name);
      return created;
    } catch (err) {
      this.recorder.eventf(job, 'Warning', 'FailedCreate', 'Error creating: %s', errorText(err));
      throw err;
    }
  }

  /** Deletes a pod (its finalizers stay: the controller counts it first); NotFound is success. */
  async deletePod(job: Job, name: string): Promise<void> {
    try {
      await this.pods(job.metadata.namespace!).delete(name);
      this.recorder.eventf(job, 'Normal', 'SuccessfulDelete', 'Deleted pod: %s', name);
    } catch (err) {
      if (isNotFound(err)) return;
      this.recorder.eventf(job, 'Warning', 'FailedDelete', 'Error deleting: %s', errorText(err));
      throw err;
    }
  }

  async removeTrackingFinalizer(namespace: string, name: string): Promise<void> {
    await this.pods(namespace).patch(name, removeTrackingFinalizerPatch(), 'strategic');
  }
}

/** The pod the Job controller creates: template + owner + finalizer (+ index, hostname, env). */
export function podFromTemplate(job: Job, index: number): Pod {
  const template = structuredClone(job.spec.template) as PodTemplateSpec;
  const meta = template.metadata ?? {};
  const spec = template.spec ?? {};
  const annotations = { ...(meta.annotations ?? {}) };
  const labels = { ...(meta.labels ?? {}) };
  const finalizers = [...(meta.finalizers ?? [])];
  if (!finalizers.includes(JOB_TRACKING_FINALIZER)) finalizers.push(JOB_TRACKING_FINALIZER);
  let generateName = `${job.metadata.name}-`;
  if (index >= 0) {
    annotations[JOB_COMPLETION_INDEX_ANNOTATION] = String(index);
    labels[JOB_COMPLETION_INDEX_ANNOTATION] = String(index);
    spec.hostname = `${job.metadata.name}-${index}`;
    generateName = generateNameWithIndex(job.metadata.name!, index);
    for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
      if (c.env?.some((e) => e.name === COMPLETION_INDEX_ENV)) continue;
      c.env = [...(c.env ?? []), {
        name: COMPLETION_INDEX_ENV,
        valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${JOB_COMPLETION_INDEX_ANNOTATION}']` } },
      }];
    }
  }
  const pod: Pod = {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      generateName, namespace: job.metadata.namespace, labels, finalizers,
      ownerReferences: [newControllerRef(job, JOB_KIND)],
      ...(Object.keys(annotations).length ? { annotations } : {}),
    },
    spec,
  };
  return pod;
}

/** podGenerateNameWithIndex: "<job>-<index>-", the job name cut so the whole fits. */
export function generateNameWithIndex(jobName: string, index: number): string {
  const suffix = `-${index}-`;
  const prefix = jobName + suffix;
  return prefix.length > MAX_GENERATED_NAME_LENGTH ? jobName.slice(0, MAX_GENERATED_NAME_LENGTH - suffix.length) + suffix : prefix;
}

/** What Go's %v prints for an API error: the Status message. */
export const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));
