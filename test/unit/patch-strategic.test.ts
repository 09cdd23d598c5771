import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { applyStrategicMergePatch } from '../../src/apimachinery/patch/strategic-merge-patch.ts';
import { StatusError } from '../../src/apimachinery/errors.ts';

type Obj = Record<string, unknown>;
const smp = (obj: Obj, patch: Obj, model = 'V1Pod') => applyStrategicMergePatch(obj, patch, model) as Obj;
const podWith = (spec: Obj, metadata: Obj = {}): Obj => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', ...metadata }, spec });
const names = (list: unknown) => (list as Array<{ name: string }>).map((c) => c.name);
const spec = (o: Obj) => o.spec as Obj;

describe('strategic merge patch: lists merged by patchMergeKey', () => {
  test('containers are merged by name: only the named container changes', () => {
    const out = smp(podWith({ containers: [{ name: 'a', image: 'nginx', ports: [{ containerPort: 80 }] }, { name: 'b', image: 'redis' }] }),
      { spec: { containers: [{ name: 'a', image: 'nginx:1.25' }] } });
    assert.deepEqual(spec(out).containers, [
      { name: 'a', image: 'nginx:1.25', ports: [{ containerPort: 80 }] },
      { name: 'b', image: 'redis' },
    ]);
  });

  test('a container not in the live list is added, ahead of the server-only ones (no $setElementOrder)', () => {
    const out = smp(podWith({ containers: [{ name: 'a', image: 'x' }] }), { spec: { containers: [{ name: 'new', image: 'y' }] } });
    assert.deepEqual(names(spec(out).containers), ['new', 'a']);
  });

  // Upstream "preserve the order from the patch in a merging list 2".
  test('patch items keep the patch order, server-only items keep their live position', () => {
    const out = smp(podWith({ containers: [{ name: '1' }, { name: '2', image: 'b' }, { name: '3' }] }),
      { spec: { containers: [{ name: '3', image: 'c' }, { name: '1', image: 'a' }] } });
    assert.deepEqual(spec(out).containers, [{ name: '2', image: 'b' }, { name: '3', image: 'c' }, { name: '1', image: 'a' }]);
  });

  const listCases: Array<{ name: string; model?: string; obj: Obj; patch: Obj; path: (o: Obj) => unknown; want: unknown }> = [
    {
      name: 'env merged by name',
      obj: podWith({ containers: [{ name: 'c', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] }] }),
      patch: { spec: { containers: [{ name: 'c', env: [{ name: 'B', value: '3' }] }] } },
      path: (o) => (spec(o).containers as Obj[])[0]!.env,
      want: [{ name: 'A', value: '1' }, { name: 'B', value: '3' }],
    },
    {
      name: 'container ports merged by containerPort',
      obj: podWith({ containers: [{ name: 'c', ports: [{ containerPort: 80, name: 'http' }] }] }),
      patch: { spec: { containers: [{ name: 'c', ports: [{ containerPort: 80, protocol: 'TCP' }] }] } },
      path: (o) => (spec(o).containers as Obj[])[0]!.ports,
      want: [{ containerPort: 80, name: 'http', protocol: 'TCP' }],
    },
    {
      name: 'volumeMounts merged by mountPath',
      obj: podWith({ containers: [{ name: 'c', volumeMounts: [{ name: 'v', mountPath: '/data' }] }] }),
      patch: { spec: { containers: [{ name: 'c', volumeMounts: [{ mountPath: '/data', readOnly: true }] }] } },
      path: (o) => (spec(o).containers as Obj[])[0]!.volumeMounts,
      want: [{ name: 'v', mountPath: '/data', readOnly: true }],
    },
    {
      name: 'volumes merged by name',
      obj: podWith({ volumes: [{ name: 'a', emptyDir: {} }, { name: 'b', emptyDir: {} }] }),
      patch: { spec: { volumes: [{ name: 'b', emptyDir: { medium: 'Memory' } }] } },
      path: (o) => spec(o).volumes,
      want: [{ name: 'a', emptyDir: {} }, { name: 'b', emptyDir: { medium: 'Memory' } }],
    },
    {
      name: 'imagePullSecrets merged by name',
      obj: podWith({ imagePullSecrets: [{ name: 'a' }] }),
      patch: { spec: { imagePullSecrets: [{ name: 'b' }] } },
      path: (o) => spec(o).imagePullSecrets,
      want: [{ name: 'b' }, { name: 'a' }],
    },
    {
      name: 'hostAliases merged by ip',
      obj: podWith({ hostAliases: [{ ip: '10.0.0.1', hostnames: ['a'] }] }),
      patch: { spec: { hostAliases: [{ ip: '10.0.0.1', hostnames: ['b'] }] } },
      path: (o) => spec(o).hostAliases,
      want: [{ ip: '10.0.0.1', hostnames: ['b'] }],
    },
    {
      name: 'status conditions merged by type',
      obj: { metadata: { name: 'p' }, status: { conditions: [{ type: 'Ready', status: 'False' }, { type: 'PodScheduled', status: 'True' }] } },
      patch: { status: { conditions: [{ type: 'Ready', status: 'True' }] } },
      path: (o) => (o.status as Obj).conditions,
      want: [{ type: 'Ready', status: 'True' }, { type: 'PodScheduled', status: 'True' }],
    },
    {
      name: 'ownerReferences merged by uid',
      obj: { metadata: { name: 'p', ownerReferences: [{ uid: 'u1', name: 'rs', kind: 'ReplicaSet', apiVersion: 'apps/v1' }] } },
      patch: { metadata: { ownerReferences: [{ uid: 'u1', controller: true }] } },
      path: (o) => (o.metadata as Obj).ownerReferences,
      want: [{ uid: 'u1', name: 'rs', kind: 'ReplicaSet', apiVersion: 'apps/v1', controller: true }],
    },
    {
      name: 'finalizers merge as a set of primitives',
      obj: { metadata: { name: 'p', finalizers: ['a', 'b'] } },
      patch: { metadata: { finalizers: ['b', 'c'] } },
      path: (o) => (o.metadata as Obj).finalizers,
      want: ['a', 'b', 'c'],
    },
    {
      name: 'service ports merged by port',
      model: 'V1Service',
      obj: { metadata: { name: 's' }, spec: { ports: [{ port: 80, targetPort: 8080 }, { port: 443 }] } },
      patch: { spec: { ports: [{ port: 80, targetPort: 9090 }] } },
      path: (o) => spec(o).ports,
      want: [{ port: 80, targetPort: 9090 }, { port: 443 }],
    },
    {
      name: 'deployment pod template containers merged by name',
      model: 'V1Deployment',
      obj: { metadata: { name: 'd' }, spec: { template: { spec: { containers: [{ name: 'a', image: '1' }, { name: 'b', image: '2' }] } } } },
      patch: { spec: { template: { spec: { containers: [{ name: 'b', image: '3' }] } } } },
      path: (o) => ((spec(o).template as Obj).spec as Obj).containers,
      want: [{ name: 'a', image: '1' }, { name: 'b', image: '3' }],
    },
    {
      name: 'deployment conditions merged by type',
      model: 'V1Deployment',
      obj: { metadata: { name: 'd' }, status: { conditions: [{ type: 'Available', status: 'False' }] } },
      patch: { status: { conditions: [{ type: 'Progressing', status: 'True' }] } },
      path: (o) => (o.status as Obj).conditions,
      want: [{ type: 'Progressing', status: 'True' }, { type: 'Available', status: 'False' }],
    },
    {
      name: 'tolerations have no strategy and are replaced',
      obj: podWith({ tolerations: [{ key: 'a', operator: 'Exists' }] }),
      patch: { spec: { tolerations: [{ key: 'b', operator: 'Exists' }] } },
      path: (o) => spec(o).tolerations,
      want: [{ key: 'b', operator: 'Exists' }],
    },
    {
      name: 'container args (a list without strategy) are replaced',
      obj: podWith({ containers: [{ name: 'c', args: ['a', 'b'] }] }),
      patch: { spec: { containers: [{ name: 'c', args: ['c'] }] } },
      path: (o) => (spec(o).containers as Obj[])[0]!.args,
      want: ['c'],
    },
  ];
  for (const c of listCases) {
    test(c.name, () => assert.deepEqual(c.path(smp(c.obj, c.patch, c.model)), c.want));
  }
});

describe('strategic merge patch: maps and null', () => {
  test('null deletes a key; maps merge key by key', () => {
    const out = smp(podWith({ nodeSelector: { disk: 'ssd', zone: 'a' } }, { labels: { app: 'web', tier: 'x' } }),
      { metadata: { labels: { tier: null, new: 'y' } }, spec: { nodeSelector: null } });
    assert.deepEqual((out.metadata as Obj).labels, { app: 'web', new: 'y' });
    assert.equal('nodeSelector' in spec(out), false);
  });

  test('null for a key that does not exist is ignored', () => {
    const out = smp(podWith({}), { spec: { nodeName: null } });
    assert.equal('nodeName' in spec(out), false);
  });

  test('a value of another type replaces the old one', () => {
    const out = smp(podWith({ containers: [{ name: 'c' }] }), { spec: { containers: { bogus: true } } });
    assert.deepEqual(spec(out).containers, { bogus: true });
  });

  test('input objects are not modified', () => {
    const obj = podWith({ containers: [{ name: 'c', image: 'a' }] });
    const patch = { spec: { containers: [{ name: 'c', image: 'b' }] } };
    const before = structuredClone(obj);
    smp(obj, patch);
    assert.deepEqual(obj, before);
    assert.deepEqual(patch, { spec: { containers: [{ name: 'c', image: 'b' }] } });
  });
});

describe('strategic merge patch: directives', () => {
  test('$patch: delete on an env entry removes it', () => {
    const out = smp(podWith({ containers: [{ name: 'c', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] }] }),
      { spec: { containers: [{ name: 'c', env: [{ name: 'A', $patch: 'delete' }] }] } });
    assert.deepEqual((spec(out).containers as Obj[])[0]!.env, [{ name: 'B', value: '2' }]);
  });

  // Upstream "delete all maps from merging list".
  test('$patch: delete on every item leaves an empty list', () => {
    const out = smp(podWith({ containers: [{ name: '1' }, { name: '2' }] }),
      { spec: { containers: [{ name: '1', $patch: 'delete' }, { name: '2', $patch: 'delete' }] } });
    assert.deepEqual(spec(out).containers, []);
  });

  test('$patch: replace in a list replaces the whole list', () => {
    const out = smp(podWith({ containers: [{ name: 'a', image: '1' }, { name: 'b' }] }),
      { spec: { containers: [{ $patch: 'replace' }, { name: 'c', image: '2' }] } });
    assert.deepEqual(spec(out).containers, [{ name: 'c', image: '2' }]);
  });

  test('$patch: replace in a map replaces the map', () => {
    const out = smp(podWith({}, { labels: { a: '1', b: '2' } }), { metadata: { labels: { $patch: 'replace', c: '3' } } });
    assert.deepEqual((out.metadata as Obj).labels, { c: '3' });
  });

  test('$patch: delete in a map empties it', () => {
    const out = smp(podWith({ securityContext: { runAsUser: 1 } }), { spec: { securityContext: { $patch: 'delete' } } });
    assert.deepEqual(spec(out).securityContext, {});
  });

  // Upstream "merge lists of maps" with $setElementOrder.
  test('$setElementOrder orders the merged list', () => {
    const out = smp(podWith({ containers: [{ name: '1', image: 'a' }, { name: '2', image: 'b' }] }), {
      spec: {
        '$setElementOrder/containers': [{ name: '4' }, { name: '1' }, { name: '2' }, { name: '3' }],
        containers: [{ name: '4', image: 'd' }, { name: '3', image: 'c' }],
      },
    });
    assert.deepEqual(spec(out).containers, [
      { name: '4', image: 'd' }, { name: '1', image: 'a' }, { name: '2', image: 'b' }, { name: '3', image: 'c' },
    ]);
  });

  test('$setElementOrder alone reorders the live list', () => {
    const out = smp(podWith({ containers: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] }),
      { spec: { '$setElementOrder/containers': [{ name: 'c' }, { name: 'b' }, { name: 'a' }] } });
    assert.deepEqual(names(spec(out).containers), ['c', 'b', 'a']);
  });

  // Upstream "$setElementOrder contains item that is not present in the int list to be merged".
  test('$setElementOrder on a primitive list ignores items absent from it', () => {
    const out = smp({ metadata: { name: 'p', finalizers: ['1', '3'] } }, { metadata: { '$setElementOrder/finalizers': ['3', '2', '1'] } });
    assert.deepEqual((out.metadata as Obj).finalizers, ['3', '1']);
  });

  // Upstream "delete items in lists of scalars".
  test('$deleteFromPrimitiveList removes finalizers and keeps the rest in order', () => {
    const out = smp({ metadata: { name: 'p', finalizers: ['1', '2', '3', '4'] } },
      { metadata: { '$setElementOrder/finalizers': ['1', '2'], '$deleteFromPrimitiveList/finalizers': ['3'] } });
    assert.deepEqual((out.metadata as Obj).finalizers, ['1', '2', '4']);
  });

  test('$retainKeys drops live keys not listed (Deployment strategy switched to Recreate)', () => {
    const obj = { metadata: { name: 'd' }, spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } } };
    const out = smp(obj, { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } }, 'V1Deployment');
    assert.deepEqual(spec(out).strategy, { type: 'Recreate' });
  });

  test('$retainKeys on volumes items clears the old volume source', () => {
    const out = smp(podWith({ volumes: [{ name: 'v', emptyDir: {} }] }),
      { spec: { volumes: [{ name: 'v', $retainKeys: ['name', 'hostPath'], hostPath: { path: '/x' } }] } });
    assert.deepEqual(spec(out).volumes, [{ name: 'v', hostPath: { path: '/x' } }]);
  });

  test('directives inside values new to the object do not leak into it', () => {
    const out = smp(podWith({}), { spec: { affinity: { $patch: 'replace', nodeAffinity: {} }, '$setElementOrder/volumes': [] } });
    assert.deepEqual(spec(out).affinity, { nodeAffinity: {} });
    assert.equal(Object.keys(spec(out)).some((k) => k.startsWith('$')), false);
  });
});

describe('strategic merge patch: failures as kube-apiserver reports them', () => {
  const cases: Array<{ name: string; obj: Obj; patch: Obj; code: number; reason: string; message: string | RegExp }> = [
    {
      name: 'missing merge key',
      obj: podWith({ containers: [{ name: 'c', image: 'a' }] }),
      patch: { spec: { containers: [{ image: 'nginx' }] } },
      code: 500, reason: '', message: 'map: map[image:nginx] does not contain declared merge key: name',
    },
    {
      name: '$patch: merge in a list',
      obj: podWith({ containers: [{ name: 'c' }] }),
      patch: { spec: { containers: [{ name: 'c', $patch: 'merge' }] } },
      code: 500, reason: '', message: 'merging lists cannot yet be specified in the patch',
    },
    {
      name: 'unknown $patch directive in a map',
      obj: podWith({}, { labels: { a: '1' } }),
      patch: { metadata: { labels: { $patch: 'frob', b: '2' } } },
      code: 500, reason: '', message: 'unknown patch type: frob in map: map[$patch:frob b:2]',
    },
    {
      name: '$patch: merge in a map is not supported either',
      obj: podWith({}, { labels: { a: '1' } }),
      patch: { metadata: { labels: { $patch: 'merge' } } },
      code: 500, reason: '', message: 'unknown patch type: merge in map: map[$patch:merge]',
    },
    {
      name: '$setElementOrder that contradicts the patch list',
      obj: podWith({ containers: [{ name: '1' }, { name: '3' }, { name: '2' }] }),
      patch: { spec: { '$setElementOrder/containers': [{ name: '1' }, { name: '2' }, { name: '3' }], containers: [{ name: '3', image: 'x' }, { name: '1', image: 'y' }] } },
      code: 500, reason: '', message: /doesn't match \$setElementOrder list/,
    },
    {
      name: 'malformed $deleteFromPrimitiveList key',
      obj: { metadata: { name: 'p', finalizers: ['a'] } },
      patch: { metadata: { $deleteFromPrimitiveListfinalizers: ['a'] } },
      code: 400, reason: 'BadRequest', message: 'invalid patch format of primitive list',
    },
    {
      name: 'malformed $setElementOrder key',
      obj: { metadata: { name: 'p', finalizers: ['a'] } },
      patch: { metadata: { $setElementOrderfinalizers: ['a'] } },
      code: 400, reason: 'BadRequest', message: 'invalid patch format of setElementOrder list',
    },
    {
      name: 'key set by the patch but missing from $retainKeys',
      obj: { metadata: { name: 'd' }, spec: { strategy: { type: 'RollingUpdate' } } },
      patch: { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate', rollingUpdate: { maxSurge: 1 } } } },
      code: 400, reason: 'BadRequest', message: 'invalid patch format of retainKeys',
    },
    {
      name: 'lists of lists',
      obj: { metadata: { name: 'p', finalizers: [] } },
      patch: { metadata: { finalizers: [['a']] } },
      code: 422, reason: 'Invalid', message: 'the server rejected our request due to an error in our request',
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const model = (c.obj.spec as Obj | undefined)?.strategy ? 'V1Deployment' : 'V1Pod';
      assert.throws(() => smp(c.obj, c.patch, model), (e: unknown) => {
        assert.ok(e instanceof StatusError);
        assert.equal(e.code, c.code);
        assert.equal(e.reason, c.reason);
        if (typeof c.message === 'string') assert.equal(e.message, c.message);
        else assert.match(e.message, c.message);
        return true;
      });
    });
  }
});

describe('strategic merge patch without a known model', () => {
  test('behaves as a JSON merge patch (lists replaced), as for custom resources', () => {
    const cr = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { items: [{ name: 'a' }, { name: 'b' }], keep: 1 } };
    const out = applyStrategicMergePatch(cr, { spec: { items: [{ name: 'a', x: 1 }], keep: null } }, undefined) as Obj;
    assert.deepEqual(out.spec, { items: [{ name: 'a', x: 1 }] });
    const out2 = applyStrategicMergePatch(cr, { spec: { items: [{ name: 'c' }] } }, 'V1NoSuchModel') as Obj;
    assert.deepEqual(spec(out2).items, [{ name: 'c' }]);
  });
});
