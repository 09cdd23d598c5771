// Validation messages of the smaller groups (rbac, storage, policy, scheduling, networking).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorMessage } from '../../src/apimachinery/errors.ts';
import type { KObject } from '../../src/apimachinery/types.ts';
import type { RequestContext, ResourceDefinition } from '../../src/registry/types.ts';
import { resources as groups } from '../../src/registry/groups/index.ts';

const ctx: RequestContext = { namespace: '', dryRun: false, now: () => new Date() };
const def = (resource: string): ResourceDefinition => groups.find((d) => d.resource === resource)!;

function errorsOnCreate(resource: string, obj: KObject): string[] {
  const d = def(resource);
  d.strategy.defaults?.(obj);
  return (d.strategy.validate?.(obj, ctx) ?? []).map(fieldErrorMessage);
}

function errorsOnUpdate(resource: string, obj: KObject, old: KObject): string[] {
  const d = def(resource);
  d.strategy.defaults?.(obj);
  d.strategy.defaults?.(old);
  return (d.strategy.validateUpdate?.(obj, old, ctx) ?? []).map(fieldErrorMessage);
}

const meta = { name: 'x', namespace: 'default' };

describe('create validation', () => {
  const cases: { name: string; resource: string; obj: KObject; want: string[] }[] = [
    {
      name: 'role rule without verbs', resource: 'roles',
      obj: { metadata: meta, rules: [{ apiGroups: [''], resources: ['pods'] }] },
      want: ['rules[0].verbs: Required value: verbs must contain at least one value'],
    },
    {
      name: 'rolebinding to an unknown kind', resource: 'rolebindings',
      obj: { metadata: meta, roleRef: { kind: 'Policy', name: 'p' }, subjects: [{ kind: 'Robot', name: 'r2' }] },
      want: ['roleRef.kind: Unsupported value: "Policy": supported values: "Role", "ClusterRole"', 'subjects[0].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"'],
    },
    {
      name: 'clusterrolebinding service account without namespace', resource: 'clusterrolebindings',
      obj: { metadata: { name: 'x' }, roleRef: { kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'ServiceAccount', name: 'default' }] },
      want: ['subjects[0].namespace: Required value'],
    },
    {
      name: 'storageclass without provisioner', resource: 'storageclasses',
      obj: { metadata: { name: 'x' } },
      want: ['provisioner: Required value'],
    },
    {
      name: 'pdb with both minAvailable and maxUnavailable', resource: 'poddisruptionbudgets',
      obj: { metadata: meta, spec: { minAvailable: 1, maxUnavailable: '150%' } },
      want: [
        'spec: Invalid value: {"minAvailable":1,"maxUnavailable":"150%"}: minAvailable and maxUnavailable cannot be both set',
        'spec.maxUnavailable: Invalid value: "150%": must not be greater than 100%',
      ],
    },
    {
      name: 'user priorityclass above one billion', resource: 'priorityclasses',
      obj: { metadata: { name: 'huge' }, value: 2000000000 },
      want: ['value: Forbidden: maximum allowed value of a user defined priority is 1000000000'],
    },
    {
      name: 'ingress path without pathType', resource: 'ingresses',
      obj: { metadata: meta, spec: { rules: [{ host: 'a.example.com', http: { paths: [{ path: '/', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] } },
      want: ['spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified'],
    },
    {
      name: 'lease with zero duration', resource: 'leases',
      obj: { metadata: meta, spec: { leaseDurationSeconds: 0 } },
      want: ['spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0'],
    },
    {
      name: 'hpa with maxReplicas below minReplicas', resource: 'horizontalpodautoscalers',
      obj: { metadata: meta, spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, minReplicas: 3, maxReplicas: 2 } },
      want: ['spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`'],
    },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(errorsOnCreate(c.resource, c.obj), c.want));
});

describe('defaults', () => {
  test('storageclass reclaimPolicy and volumeBindingMode', () => {
    const o: KObject = { metadata: { name: 'x' }, provisioner: 'p' };
    def('storageclasses').strategy.defaults!(o);
    assert.deepEqual([o.reclaimPolicy, o.volumeBindingMode], ['Delete', 'Immediate']);
  });

  test('rolebinding roleRef and subject apiGroups', () => {
    const o: KObject = { metadata: meta, roleRef: { kind: 'Role', name: 'r' }, subjects: [{ kind: 'User', name: 'u' }, { kind: 'ServiceAccount', name: 's', namespace: 'n' }] };
    def('rolebindings').strategy.defaults!(o);
    assert.equal((o.roleRef as any).apiGroup, 'rbac.authorization.k8s.io');
    assert.deepEqual((o.subjects as any[]).map((s) => s.apiGroup), ['rbac.authorization.k8s.io', '']);
  });

  test('networkpolicy policyTypes follow the rules given', () => {
    const o: KObject = { metadata: meta, spec: { podSelector: {}, egress: [{ ports: [{ port: 53 }] }] } };
    def('networkpolicies').strategy.defaults!(o);
    assert.deepEqual((o.spec as any).policyTypes, ['Ingress', 'Egress']);
    assert.equal((o.spec as any).egress[0].ports[0].protocol, 'TCP');
  });

  test('priorityclass preemptionPolicy', () => {
    const o: KObject = { metadata: { name: 'x' }, value: 1 };
    def('priorityclasses').strategy.defaults!(o);
    assert.equal(o.preemptionPolicy, 'PreemptLowerPriority');
  });
});

describe('update validation', () => {
  test('a binding cannot change its roleRef', () => {
    const old: KObject = { metadata: meta, roleRef: { kind: 'ClusterRole', name: 'view' } };
    const obj: KObject = { metadata: meta, roleRef: { kind: 'ClusterRole', name: 'edit' } };
    assert.deepEqual(errorsOnUpdate('rolebindings', obj, old), [
      'roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"ClusterRole", Name:"edit"}: cannot change roleRef',
    ]);
  });

  test('storageclass parameters are frozen', () => {
    const old: KObject = { metadata: { name: 'x' }, provisioner: 'p', parameters: { a: '1' } };
    const obj: KObject = { metadata: { name: 'x' }, provisioner: 'p', parameters: { a: '2' } };
    assert.deepEqual(errorsOnUpdate('storageclasses', obj, old), ['parameters: Forbidden: updates to parameters are forbidden.']);
  });

  test('priorityclass value is frozen', () => {
    const old: KObject = { metadata: { name: 'x' }, value: 1 };
    const obj: KObject = { metadata: { name: 'x' }, value: 2 };
    assert.deepEqual(errorsOnUpdate('priorityclasses', obj, old), ['value: Forbidden: may not be changed in an update.']);
  });
});
