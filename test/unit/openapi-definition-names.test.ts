import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ResourceDefinition } from '../../src/registry/types.ts';
import { modelOfDef, nameResolver } from '../../src/openapi/index.ts';

describe('client-node model → upstream OpenAPI definition name', () => {
  const resolve = nameResolver([]);
  const cases: Array<[string, string]> = [
    ['V1Pod', 'io.k8s.api.core.v1.Pod'],
    ['V1PodTemplateSpec', 'io.k8s.api.core.v1.PodTemplateSpec'],
    ['V1DeploymentSpec', 'io.k8s.api.apps.v1.DeploymentSpec'],
    ['V1Scale', 'io.k8s.api.autoscaling.v1.Scale'],
    ['V2HorizontalPodAutoscaler', 'io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler'],
    ['V1Eviction', 'io.k8s.api.policy.v1.Eviction'],
    ['V1ObjectMeta', 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'],
    ['V1LabelSelector', 'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector'],
    ['V1DeleteOptions', 'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions'],
    ['CoreV1Event', 'io.k8s.api.core.v1.Event'],
    ['EventsV1Event', 'io.k8s.api.events.v1.Event'],
    ['RbacV1Subject', 'io.k8s.api.rbac.v1.Subject'],
    ['AuthenticationV1TokenRequest', 'io.k8s.api.authentication.v1.TokenRequest'],
    ['V1JobTemplateSpec', 'io.k8s.api.batch.v1.JobTemplateSpec'],
    ['V1TopologySelectorTerm', 'io.k8s.api.core.v1.TopologySelectorTerm'],
    ['V1CustomResourceDefinition', 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition'],
    ['V1APIService', 'io.k8s.kube-aggregator.pkg.apis.apiregistration.v1.APIService'],
    ['VersionInfo', 'io.k8s.apimachinery.pkg.version.Info'],
  ];
  for (const [model, want] of cases) test(`${model} → ${want}`, () => assert.equal(resolve(model), want));

  test('a served kind outside the built-in groups claims the types it reaches', () => {
    const defs: ResourceDefinition[] = [{
      group: 'resource.k8s.io', version: 'v1beta1', kind: 'DeviceClass', resource: 'deviceclasses', singularName: 'deviceclass',
      namespaced: false, strategy: {},
    }];
    assert.equal(modelOfDef(defs[0]!), 'V1beta1DeviceClass');
    assert.equal(nameResolver(defs)('V1beta1DeviceClassSpec'), 'io.k8s.api.resource.v1beta1.DeviceClassSpec');
  });

  test('the model of a kind whose name collides across groups carries the group prefix', () => {
    const event = (group: string): ResourceDefinition => ({ group, version: 'v1', kind: 'Event', resource: 'events', singularName: 'event', namespaced: true, strategy: {} });
    assert.equal(modelOfDef(event('')), 'CoreV1Event');
    assert.equal(modelOfDef(event('events.k8s.io')), 'EventsV1Event');
  });
});
