// What a /status write keeps as stored, per kind, as upstream's status strategies: spec always; of the
// metadata, nothing for most kinds, labels for Deployments, ownerReferences for Pods, and everything
// ResetObjectMetaForStatus resets for VolumeAttachments.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../src/apimachinery/types.ts';
import { builtinResources } from '../../src/registry/builtin.ts';
import { statusStrategy } from '../../src/registry/generic/status-strategy.ts';
import type { RequestContext } from '../../src/registry/types.ts';

const META = ['labels', 'annotations', 'finalizers', 'ownerReferences'] as const;

const KEPT: Record<string, string[]> = {
  Deployment: ['labels'],
  Pod: ['ownerReferences'],
  VolumeAttachment: ['labels', 'annotations', 'finalizers', 'ownerReferences'],
};

function object(tag: string): KObject {
  return {
    apiVersion: 'v1', kind: 'X',
    metadata: {
      name: 'o', labels: { tag }, annotations: { tag }, finalizers: [`example.com/${tag}`],
      ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: tag, uid: `uid-${tag}` }],
    },
    spec: { tag },
    status: { tag },
  } as KObject;
}

const ctx: RequestContext = { namespace: 'default', dryRun: false, now: () => new Date('2024-01-01T00:00:00Z') };

describe('/status strategies', () => {
  const withStatus = builtinResources().filter((d) => d.subresources?.status);
  test('every kind with /status is covered', () => {
    assert.ok(withStatus.length >= 18, `${withStatus.length} kinds`);
    for (const kind of Object.keys(KEPT)) assert.ok(withStatus.some((d) => d.kind === kind), kind);
  });
  for (const def of withStatus) {
    const kept = KEPT[def.kind] ?? [];
    test(`${def.group || 'core'}/${def.version} ${def.kind}: spec${kept.length ? ` and ${kept.join(', ')}` : ''} kept as stored`, async () => {
      const s = def.statusStrategy ?? statusStrategy;
      const next = object('new');
      await s.prepareForUpdate?.(next, object('old'), ctx);
      assert.deepEqual(next.spec, { tag: 'old' }, 'spec');
      assert.equal((next.status as { tag: string }).tag, 'new', 'status');
      for (const k of META) {
        const want = object(kept.includes(k) ? 'old' : 'new').metadata[k];
        assert.deepEqual(next.metadata[k], want, `metadata.${k}`);
      }
    });
  }
});
