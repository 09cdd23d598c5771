import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { patchMeta } from '../../src/apimachinery/patch/patch-meta.ts';
import { lookupField, modelNameFor, parseTypeString } from '../../src/apimachinery/patch/schema-lookup.ts';

describe('patch-meta table matches the models', () => {
  for (const [key, meta] of Object.entries(patchMeta)) {
    test(key, () => {
      const [model, field] = key.split('.') as [string, string];
      const info = lookupField(model, field);
      assert.ok(info.type, `${model} has no field ${field}`);
      assert.match(meta.strategy, /^(merge|retainKeys|merge,retainKeys|replace)$/);
      if (meta.strategy.includes('merge')) assert.ok(info.elementType, `${key} is not a list`);
      if (meta.mergeKey) {
        const elem = parseTypeString(info.elementType!);
        assert.equal(elem.kind, 'model');
        assert.ok(lookupField((elem as { name: string }).name, meta.mergeKey).type, `${info.elementType} has no ${meta.mergeKey}`);
      }
    });
  }
});

describe('lookupField', () => {
  const cases: Array<[string, string, ReturnType<typeof lookupField>]> = [
    ['V1PodSpec', 'containers', { type: 'Array<V1Container>', elementType: 'V1Container', strategy: 'merge', mergeKey: 'name' }],
    ['V1PodSpec', 'volumes', { type: 'Array<V1Volume>', elementType: 'V1Volume', strategy: 'merge,retainKeys', mergeKey: 'name' }],
    ['V1PodSpec', 'tolerations', { type: 'Array<V1Toleration>', elementType: 'V1Toleration' }],
    ['V1Container', 'ports', { type: 'Array<V1ContainerPort>', elementType: 'V1ContainerPort', strategy: 'merge', mergeKey: 'containerPort' }],
    ['V1ObjectMeta', 'finalizers', { type: 'Array<string>', elementType: 'string', strategy: 'merge' }],
    ['V1DeploymentSpec', 'strategy', { type: 'V1DeploymentStrategy', strategy: 'retainKeys' }],
    ['V1PodSpec', 'nope', {}],
    ['NoSuchModel', 'x', {}],
  ];
  for (const [model, field, want] of cases) {
    test(`${model}.${field}`, () => assert.deepEqual(lookupField(model, field), want));
  }
});

describe('modelNameFor', () => {
  const cases: Array<[string, string, string | undefined]> = [
    ['v1', 'Pod', 'V1Pod'],
    ['apps/v1', 'Deployment', 'V1Deployment'],
    ['batch/v1', 'CronJob', 'V1CronJob'],
    ['autoscaling/v2', 'HorizontalPodAutoscaler', 'V2HorizontalPodAutoscaler'],
    ['v1', 'Event', 'CoreV1Event'],
    ['events.k8s.io/v1', 'Event', 'EventsV1Event'],
    ['example.com/v1', 'Widget', undefined],
  ];
  for (const [apiVersion, kind, want] of cases) {
    test(`${apiVersion} ${kind} → ${want}`, () => assert.equal(modelNameFor(apiVersion, kind), want));
  }
});
