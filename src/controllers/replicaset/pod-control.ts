// Creating and deleting a controller's pods with upstream's events (RealPodControl): a pod is made
// from the template with generateName "<owner>-", the template's labels, annotations and
// finalizers, and the owner's controller reference; SuccessfulCreate/FailedCreate and
// SuccessfulDelete/FailedDelete are recorded on the owner.
import type { GroupVersionKind, KObject, OwnerReference } from '../../apimachinery/types.ts';
import { apiVersionOf, deepCopy } from '../../apimachinery/types.ts';
import { isAlreadyExists, isNotFound } from '../../client/api-error.ts';
import type { KubeClient } from '../../client/kube-client.ts';
import { GVR } from '../../client/resources.ts';
import type { EventRecorder } from '../framework/events/event-recorder.ts';
import type { ObjectReference } from '../framework/events/types.ts';
import type { Pod, PodTemplateSpec } from './types.ts';

/** The event's involvedObject for a cached object (list items carry no kind). */
export function objectRef(obj: KObject, gvk: GroupVersionKind): ObjectReference {
  return {
    kind: gvk.kind, apiVersion: apiVersionOf(gvk.group, gvk.version), namespace: obj.metadata.namespace,
    name: obj.metadata.name, uid: obj.metadata.uid, resourceVersion: obj.metadata.resourceVersion,
  };
}

/** GetPodFromTemplate. */
export function podFromTemplate(template: PodTemplateSpec, parent: KObject, controllerRef: OwnerReference): Pod {
  const meta = template.metadata ?? {};
  const pod: Pod = {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      generateName: `${parent.metadata.name}-`,
      namespace: parent.metadata.namespace,
      labels: { ...(meta.labels ?? {}) },
      ownerReferences: [controllerRef],
    },
    spec: deepCopy(template.spec ?? {}),
  };
  if (meta.annotations && Object.keys(meta.annotations).length) pod.metadata.annotations = { ...meta.annotations };
  if (meta.finalizers?.length) pod.metadata.finalizers = [...meta.finalizers];
  return pod;
}

export class PodControl {
  constructor(private readonly client: KubeClient, private readonly recorder: EventRecorder) {}

  async createPod(namespace: string, template: PodTemplateSpec, parent: KObject, parentKind: GroupVersionKind, controllerRef: OwnerReference): Promise<Pod> {
    const pod = podFromTemplate(template, parent, controllerRef);
    if (Object.keys(pod.metadata.labels ?? {}).length === 0) throw new Error('unable to create pods, no labels');
    try {
      const created = await this.client.resource<Pod>(GVR.pods).namespace(namespace).create(pod);
      this.recorder.eventf(objectRef(parent, parentKind), 'Normal', 'SuccessfulCreate', 'Created pod: %s', created.metadata.name);
      return created;
    } catch (err) {
      if (!isAlreadyExists(err)) this.recorder.eventf(objectRef(parent, parentKind), 'Warning', 'FailedCreate', 'Error creating: %s', (err as Error).message);
      throw err;
    }
  }

  async deletePod(namespace: string, name: string, parent: KObject, parentKind: GroupVersionKind): Promise<void> {
    try {
      await this.client.resource(GVR.pods).namespace(namespace).delete(name);
    } catch (err) {
      if (isNotFound(err)) throw err;
      this.recorder.eventf(objectRef(parent, parentKind), 'Warning', 'FailedDelete', 'Error deleting: %s', (err as Error).message);
      throw new Error(`unable to delete pods: ${(err as Error).message}`);
    }
    this.recorder.eventf(objectRef(parent, parentKind), 'Normal', 'SuccessfulDelete', 'Deleted pod: %s', name);
  }
}
