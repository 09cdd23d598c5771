import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../src/apimachinery/types.ts';
import { podStrategy } from '../../src/registry/core/pod-strategy.ts';
import { defaultImagePullPolicy, defaultPodSpec } from '../../src/registry/core/pod-spec.ts';
import type { RequestContext } from '../../src/registry/types.ts';

const ctx: RequestContext = { namespace: 'default', dryRun: false, now: () => new Date('2024-01-01T00:00:00Z') };

function createPod(spec: Record<string, unknown>): KObject {
  const pod: KObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec };
  podStrategy.defaults!(pod);
  podStrategy.prepareForCreate!(pod, ctx);
  return pod;
}

test('imagePullPolicy defaults by tag', () => {
  const cases: [string, string][] = [
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['nginx:1.25', 'IfNotPresent'],
    ['localhost:5000/app', 'Always'],
    ['localhost:5000/app:v2', 'IfNotPresent'],
    ['nginx@sha256:abcd', 'IfNotPresent'],
  ];
  for (const [image, want] of cases) assert.equal(defaultImagePullPolicy(image), want, image);
});

test('a new pod gets the defaults and admission fields a real cluster shows', () => {
  const pod = createPod({ containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }] }] });
  const spec = pod.spec as any;
  assert.equal(spec.restartPolicy, 'Always');
  assert.equal(spec.dnsPolicy, 'ClusterFirst');
  assert.equal(spec.schedulerName, 'default-scheduler');
  assert.equal(spec.terminationGracePeriodSeconds, 30);
  assert.deepEqual(spec.securityContext, {});
  assert.equal(spec.enableServiceLinks, true);
  assert.equal(spec.priority, 0);
  assert.equal(spec.preemptionPolicy, 'PreemptLowerPriority');
  assert.equal(spec.serviceAccountName, 'default');
  assert.equal(spec.serviceAccount, 'default');
  const c = spec.containers[0];
  assert.equal(c.imagePullPolicy, 'Always');
  assert.equal(c.terminationMessagePath, '/dev/termination-log');
  assert.equal(c.terminationMessagePolicy, 'File');
  assert.deepEqual(c.resources, {});
  assert.equal(c.ports[0].protocol, 'TCP');
  assert.deepEqual(spec.tolerations, [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  ]);
  assert.deepEqual(pod.status, { phase: 'Pending', qosClass: 'BestEffort' });
});

test('an existing NoExecute toleration for all keys suppresses the default tolerations', () => {
  const pod = createPod({ containers: [{ name: 'a', image: 'x:1' }], tolerations: [{ operator: 'Exists' }] });
  assert.deepEqual((pod.spec as any).tolerations, [{ operator: 'Exists' }]);
});

test('qosClass follows requests and limits', () => {
  const cases: [Record<string, unknown>, string][] = [
    [{}, 'BestEffort'],
    [{ limits: { cpu: '1', memory: '1Gi' } }, 'Guaranteed'],
    [{ requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '0.5', memory: '1Gi' } }, 'Guaranteed'],
    [{ requests: { cpu: '100m' } }, 'Burstable'],
    [{ requests: { cpu: '100m', memory: '1Gi' }, limits: { cpu: '200m', memory: '1Gi' } }, 'Burstable'],
  ];
  for (const [resources, want] of cases) {
    const pod = createPod({ containers: [{ name: 'a', image: 'x:1', resources }] });
    assert.equal((pod.status as any).qosClass, want, JSON.stringify(resources));
  }
});

test('limits without requests become requests on pods', () => {
  const pod = createPod({ containers: [{ name: 'a', image: 'x:1', resources: { limits: { cpu: '1' } } }] });
  assert.deepEqual((pod.spec as any).containers[0].resources.requests, { cpu: '1' });
});

test('volume and probe defaults', () => {
  const spec: any = {
    containers: [{ name: 'a', image: 'x:1', livenessProbe: { httpGet: { port: 80 } } }],
    volumes: [{ name: 'cfg', configMap: { name: 'c' } }, { name: 's', secret: { secretName: 's' } }, { name: 'tmp' }],
  };
  defaultPodSpec(spec);
  assert.equal(spec.volumes[0].configMap.defaultMode, 420);
  assert.equal(spec.volumes[1].secret.defaultMode, 420);
  assert.deepEqual(spec.volumes[2].emptyDir, {});
  assert.deepEqual(spec.containers[0].livenessProbe, {
    httpGet: { port: 80, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3,
  });
  // Pod templates do not get the pod-only fields.
  assert.equal(spec.enableServiceLinks, undefined);
  assert.equal(spec.priority, undefined);
});

test('scheduling gates add the SchedulingGated condition', () => {
  const pod = createPod({ containers: [{ name: 'a', image: 'x:1' }], schedulingGates: [{ name: 'g' }] });
  assert.equal((pod.status as any).conditions[0].reason, 'SchedulingGated');
});

test('updates keep the stored status; graceful delete period follows scheduling', () => {
  const old = createPod({ containers: [{ name: 'a', image: 'x:1' }], nodeName: 'n1' });
  (old.status as any).phase = 'Running';
  const next: KObject = structuredClone(old);
  next.status = { phase: 'Failed' };
  podStrategy.prepareForUpdate!(next, old, ctx);
  assert.equal((next.status as any).phase, 'Running');
  assert.equal(podStrategy.defaultGracePeriodSeconds!(old), 30);
  const unscheduled = createPod({ containers: [{ name: 'a', image: 'x:1' }] });
  assert.equal(podStrategy.defaultGracePeriodSeconds!(unscheduled), 0);
});
