import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorMessage } from '../../src/apimachinery/errors.ts';
import type { KObject } from '../../src/apimachinery/types.ts';
import { podStrategy } from '../../src/registry/core/pod-strategy.ts';
import { validatePodTemplateSpec } from '../../src/registry/core/pod-spec.ts';
import type { RequestContext } from '../../src/registry/types.ts';

const ctx: RequestContext = { namespace: 'default', dryRun: false, now: () => new Date('2024-01-01T00:00:00Z') };

function pod(spec: Record<string, unknown>): KObject {
  const p: KObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec };
  podStrategy.defaults!(p);
  podStrategy.prepareForCreate!(p, ctx);
  return p;
}

const messages = (p: KObject) => podStrategy.validate!(p, ctx).map(fieldErrorMessage);

test('pod create validation reports upstream paths and messages', () => {
  const cases: [Record<string, unknown>, string[]][] = [
    [{ containers: [{ name: 'a', image: 'nginx' }] }, []],
    [{ containers: [] }, ['spec.containers: Required value']],
    [{ containers: [{ name: 'a' }] }, ['spec.containers[0].image: Required value']],
    [{ containers: [{ image: 'nginx' }] }, ['spec.containers[0].name: Required value']],
    [{ containers: [{ name: 'a', image: 'x' }, { name: 'a', image: 'y' }] }, ['spec.containers[1].name: Duplicate value: "a"']],
    [{ containers: [{ name: 'Web_1', image: 'x' }] }, [
      `spec.containers[0].name: Invalid value: "Web_1": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
    ]],
    [{ containers: [{ name: 'a', image: 'x' }], restartPolicy: 'Sometimes' }, [
      'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    ]],
    [{ containers: [{ name: 'a', image: 'x', ports: [{ containerPort: 70000 }] }] }, [
      'spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
    ]],
    [{ containers: [{ name: 'a', image: 'x', ports: [{ containerPort: 80, protocol: 'HTTP' }] }] }, [
      'spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
    ]],
    [{ containers: [{ name: 'a', image: 'x', volumeMounts: [{ name: 'data', mountPath: '/d' }] }] }, [
      'spec.containers[0].volumeMounts[0].name: Not found: "data"',
    ]],
    [{ containers: [{ name: 'a', image: 'x', resources: { requests: { cpu: '2' }, limits: { cpu: '1' } } }] }, [
      'spec.containers[0].resources.requests[cpu]: Invalid value: "2": must be less than or equal to cpu limit of 1',
    ]],
  ];
  for (const [spec, want] of cases) assert.deepEqual(messages(pod(spec)), want, JSON.stringify(spec));
});

test('pod spec is immutable except images, activeDeadlineSeconds and added tolerations', () => {
  const old = pod({ containers: [{ name: 'a', image: 'nginx:1' }] });
  const withImage = structuredClone(old);
  (withImage.spec as any).containers[0].image = 'nginx:2';
  assert.deepEqual(podStrategy.validateUpdate!(withImage, old, ctx), []);

  const withToleration = structuredClone(old);
  (withToleration.spec as any).tolerations.push({ key: 'k', operator: 'Exists', effect: 'NoSchedule' });
  assert.deepEqual(podStrategy.validateUpdate!(withToleration, old, ctx), []);

  const withPort = structuredClone(old);
  (withPort.spec as any).containers[0].ports = [{ containerPort: 80, protocol: 'TCP' }];
  const errs = podStrategy.validateUpdate!(withPort, old, ctx);
  assert.equal(errs.length, 1);
  assert.equal(errs[0]!.field, 'spec');
  assert.equal(errs[0]!.type, 'FieldValueForbidden');
  assert.match(fieldErrorMessage(errs[0]!), /^spec: Forbidden: pod updates may not change fields other than `spec.containers\[\*\].image`,`spec.initContainers\[\*\].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` \(only additions to existing tolerations\),`spec.terminationGracePeriodSeconds` \(allow it to be set to 1 if it was previously negative\)/);

  const removedToleration = structuredClone(old);
  (removedToleration.spec as any).tolerations = [];
  assert.deepEqual(podStrategy.validateUpdate!(removedToleration, old, ctx).map(fieldErrorMessage), [
    'spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds',
  ]);
});

test('pod templates: labels, spec and no ephemeral containers', () => {
  const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'a', image: 'x', imagePullPolicy: 'Always' }], restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', ephemeralContainers: [] } };
  assert.deepEqual(validatePodTemplateSpec(template, 'spec.template').map(fieldErrorMessage), [
    'spec.template.spec.ephemeralContainers: Forbidden: ephemeral containers not allowed in pod template',
  ]);
  assert.deepEqual(validatePodTemplateSpec(undefined, 'spec.template').map(fieldErrorMessage), ['spec.template: Required value']);
});
