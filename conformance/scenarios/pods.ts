// Pod behaviour the API server owns on its own: the QoS class computed at creation. Everything that
// needs the pod to run (a scheduler, a kubelet) is left for later.
import { CoreV1Api } from '@kubernetes/client-node';
import { assert } from '../framework/expect.ts';
import { scenario } from '../framework/scenario.ts';
import { IMAGES } from './images.ts';

export const podScenarios = [
  scenario(
    {
      codename: '[sig-node] Pods Extended Pods Set QOS Class should be set on Pods with matching resource requests and limits for memory and cpu [Conformance]',
      testname: 'Pods, QOS',
      release: 'v1.9',
      file: 'test/e2e/node/pods.go',
    },
    async (ctx) => {
      const core = ctx.api(CoreV1Api);
      const namespace = ctx.namespace;
      const name = ctx.uniqueName('pod-qos-class');
      const resources = { cpu: '100m', memory: '100Mi' };
      await core.createNamespacedPod({
        namespace,
        body: { metadata: { name, labels: { name } }, spec: { containers: [{ name: 'agnhost', image: IMAGES.agnhost, args: ['pause'], resources: { limits: resources, requests: resources } }] } },
      });
      const pod = await core.readNamespacedPod({ name, namespace });
      assert.equal(pod.status?.qosClass, 'Guaranteed', 'QOS class of a pod with requests equal to limits');
    },
  ),
];
