// apps/v1 defaults and validation messages as kubectl shows them in 422 errors.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorMessage, newInvalid } from '../../src/apimachinery/errors.ts';
import type { KObject } from '../../src/apimachinery/types.ts';
import type { RequestContext, ResourceDefinition } from '../../src/registry/types.ts';
import { resources as apps } from '../../src/registry/apps/index.ts';

const ctx: RequestContext = { namespace: 'default', dryRun: false, now: () => new Date('2024-01-01T00:00:00Z') };
const def = (resource: string): ResourceDefinition => apps.find((d) => d.resource === resource)!;

function workload(kind: string, spec: Record<string, unknown>): KObject {
  return {
    apiVersion: 'apps/v1', kind, metadata: { name: 'web', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } },
      ...spec,
    },
  };
}

/** defaults + validate, as the generic store runs them on create. */
function createErrors(resource: string, obj: KObject): string[] {
  const d = def(resource);
  d.strategy.defaults?.(obj);
  return (d.strategy.validate?.(obj, ctx) ?? []).map(fieldErrorMessage);
}

describe('apps/v1 defaults', () => {
  const cases: { resource: string; kind: string; path: string[]; want: unknown }[] = [
    { resource: 'deployments', kind: 'Deployment', path: ['spec', 'replicas'], want: 1 },
    { resource: 'deployments', kind: 'Deployment', path: ['spec', 'strategy'], want: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } } },
    { resource: 'deployments', kind: 'Deployment', path: ['spec', 'revisionHistoryLimit'], want: 10 },
    { resource: 'deployments', kind: 'Deployment', path: ['spec', 'progressDeadlineSeconds'], want: 600 },
    { resource: 'deployments', kind: 'Deployment', path: ['spec', 'template', 'spec', 'restartPolicy'], want: 'Always' },
    { resource: 'replicasets', kind: 'ReplicaSet', path: ['spec', 'replicas'], want: 1 },
    { resource: 'statefulsets', kind: 'StatefulSet', path: ['spec', 'podManagementPolicy'], want: 'OrderedReady' },
    { resource: 'statefulsets', kind: 'StatefulSet', path: ['spec', 'updateStrategy'], want: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } } },
    { resource: 'statefulsets', kind: 'StatefulSet', path: ['spec', 'persistentVolumeClaimRetentionPolicy'], want: { whenDeleted: 'Retain', whenScaled: 'Retain' } },
    { resource: 'statefulsets', kind: 'StatefulSet', path: ['spec', 'revisionHistoryLimit'], want: 10 },
    { resource: 'daemonsets', kind: 'DaemonSet', path: ['spec', 'updateStrategy'], want: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } } },
    { resource: 'daemonsets', kind: 'DaemonSet', path: ['spec', 'revisionHistoryLimit'], want: 10 },
  ];
  for (const c of cases) {
    test(`${c.kind} ${c.path.join('.')}`, () => {
      const obj = workload(c.kind, {});
      def(c.resource).strategy.defaults!(obj);
      let v: any = obj;
      for (const p of c.path) v = v?.[p];
      assert.deepEqual(v, c.want);
    });
  }

  test('a Recreate Deployment gets no rollingUpdate', () => {
    const obj = workload('Deployment', { strategy: { type: 'Recreate' } });
    def('deployments').strategy.defaults!(obj);
    assert.deepEqual((obj.spec as any).strategy, { type: 'Recreate' });
  });
});

describe('apps/v1 validation messages', () => {
  const cases: { name: string; resource: string; kind: string; spec: Record<string, unknown>; want: string[] }[] = [
    { name: 'valid deployment', resource: 'deployments', kind: 'Deployment', spec: {}, want: [] },
    {
      name: 'deployment selector does not match the template',
      resource: 'deployments', kind: 'Deployment', spec: { selector: { matchLabels: { app: 'other' } } },
      want: ['spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`'],
    },
    {
      name: 'deployment without selector',
      resource: 'deployments', kind: 'Deployment', spec: { selector: undefined },
      want: ['spec.selector: Required value', 'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`'],
    },
    {
      name: 'deployment with negative replicas',
      resource: 'deployments', kind: 'Deployment', spec: { replicas: -1 },
      want: ['spec.replicas: Invalid value: -1: must be greater than or equal to 0'],
    },
    {
      name: 'deployment with empty selector',
      resource: 'deployments', kind: 'Deployment', spec: { selector: {} },
      want: ['spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment'],
    },
    {
      name: 'deployment with maxSurge and maxUnavailable 0',
      resource: 'deployments', kind: 'Deployment', spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } } },
      want: ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:""}: may not be 0 when `maxSurge` is 0'],
    },
    {
      name: 'deployment with restartPolicy Never',
      resource: 'deployments', kind: 'Deployment',
      spec: { template: { metadata: { labels: { app: 'web' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'i' }] } } },
      want: ['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"'],
    },
    {
      name: 'replicaset with negative replicas',
      resource: 'replicasets', kind: 'ReplicaSet', spec: { replicas: -2 },
      want: ['spec.replicas: Invalid value: -2: must be greater than or equal to 0'],
    },
    {
      name: 'statefulset selector mismatch',
      resource: 'statefulsets', kind: 'StatefulSet', spec: { selector: { matchLabels: { app: 'db' } } },
      want: ['spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`'],
    },
    {
      name: 'daemonset with both maxSurge and maxUnavailable',
      resource: 'daemonsets', kind: 'DaemonSet', spec: { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } } },
      want: ['spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 1: may not be set when maxUnavailable is non-zero'],
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      assert.deepEqual(createErrors(c.resource, workload(c.kind, c.spec)), c.want);
    });
  }

  test('the 422 message of a mismatching Deployment reads as kubectl prints it', () => {
    const obj = workload('Deployment', { selector: { matchLabels: { app: 'x' } }, template: { metadata: { labels: { app: 'y' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } });
    def('deployments').strategy.defaults!(obj);
    const err = newInvalid({ group: 'apps', kind: 'Deployment' }, 'web', def('deployments').strategy.validate!(obj, ctx));
    assert.equal(err.message, 'Deployment.apps "web" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"y"}: `selector` does not match template `labels`');
  });
});

describe('apps/v1 updates', () => {
  test('the selector of a Deployment is immutable', () => {
    const old = workload('Deployment', {});
    const obj = workload('Deployment', { selector: { matchLabels: { app: 'web', tier: 'x' } } });
    const errs = def('deployments').strategy.validateUpdate!(obj, old, ctx).map(fieldErrorMessage);
    assert.deepEqual(errs, ['spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web", "tier":"x"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable']);
  });

  test('a StatefulSet may scale but not change serviceName', () => {
    const old = workload('StatefulSet', { serviceName: 'a', replicas: 1 });
    const scaled = workload('StatefulSet', { serviceName: 'a', replicas: 3 });
    const renamed = workload('StatefulSet', { serviceName: 'b', replicas: 1 });
    const s = def('statefulsets').strategy;
    assert.deepEqual(s.validateUpdate!(scaled, old, ctx), []);
    assert.deepEqual(s.validateUpdate!(renamed, old, ctx).map(fieldErrorMessage), [
      "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    ]);
  });

  test('status is reset on create and kept on update of the main resource', () => {
    const s = def('replicasets').strategy;
    const obj = workload('ReplicaSet', {});
    obj.status = { replicas: 5 };
    s.prepareForCreate!(obj, ctx);
    assert.deepEqual(obj.status, { replicas: 0 });
    const next = workload('ReplicaSet', {});
    next.status = { replicas: 9 };
    s.prepareForUpdate!(next, { ...workload('ReplicaSet', {}), status: { replicas: 2, readyReplicas: 2 } }, ctx);
    assert.deepEqual(next.status, { replicas: 2, readyReplicas: 2 });
  });

  test('a Deployment annotation change bumps the generation, a label change does not', () => {
    const s = def('deployments').strategy;
    const old = workload('Deployment', {});
    const annotated = { ...workload('Deployment', {}), metadata: { ...old.metadata, annotations: { a: 'b' } } };
    const labelled = { ...workload('Deployment', {}), metadata: { ...old.metadata, labels: { a: 'b' } } };
    assert.equal(s.specChanged!(annotated, old), true);
    assert.equal(s.specChanged!(labelled, old), false);
  });
});
