// generateName clashes: the generic store retries with a new name, and everything a strategy derived
// from the name (a Job's job-name labels) follows the name that was finally stored.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { KObject } from '../../src/apimachinery/types.ts';
import { GenericStore } from '../../src/registry/generic/store.ts';
import { configMapResource as configmaps } from '../../src/registry/core/configmap.ts';
import { jobs } from '../../src/registry/groups/batch/job.ts';
import type { RequestContext } from '../../src/registry/types.ts';
import { openLevelStorage } from '../../src/storage/level/index.ts';
import type { Storage } from '../../src/storage/interface.ts';

const dirs: string[] = [];
const stores: Storage[] = [];
after(async () => {
  for (const s of stores) await s.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

async function storage(): Promise<Storage> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'k8ts-generate-name-'));
  dirs.push(dir);
  const s = await openLevelStorage(dir);
  stores.push(s);
  return s;
}

/** Suffixes handed out in order: the first two calls clash on purpose. */
function suffixes(...list: string[]): () => string {
  let i = 0;
  return () => list[Math.min(i++, list.length - 1)]!;
}

const ctx: RequestContext = { namespace: 'default', dryRun: false, now: () => new Date() };

function job(): KObject {
  return {
    apiVersion: 'batch/v1', kind: 'Job', metadata: { generateName: 'pi-' },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl' }] } } },
  };
}

describe('generateName', () => {
  test('a clashing generated Job name is retried, and the job-name labels follow the new name', async () => {
    const store = new GenericStore(jobs, await storage(), () => new Date(), suffixes('aaaaa', 'aaaaa', 'bbbbb'));
    const first = await store.create(ctx, job());
    assert.equal(first.metadata.name, 'pi-aaaaa');
    const second = await store.create(ctx, job());
    assert.equal(second.metadata.name, 'pi-bbbbb');
    const s = second.spec as any;
    const labels = s.template.metadata.labels;
    assert.equal(labels['job-name'], 'pi-bbbbb');
    assert.equal(labels['batch.kubernetes.io/job-name'], 'pi-bbbbb');
    // The Job takes its template's labels, so they follow too.
    assert.equal(second.metadata.labels?.['batch.kubernetes.io/job-name'], 'pi-bbbbb');
    // The selector picks this Job's uid, which its pods carry.
    assert.equal(labels['batch.kubernetes.io/controller-uid'], second.metadata.uid);
    assert.equal(s.selector.matchLabels['batch.kubernetes.io/controller-uid'], second.metadata.uid);
    assert.notEqual(second.metadata.uid, first.metadata.uid);
    // What was stored is what was answered.
    const read = await store.get(ctx, 'pi-bbbbb');
    assert.deepEqual(read.spec, second.spec);
  });

  test('a name that keeps clashing ends with AlreadyExists after the retries', async () => {
    const store = new GenericStore(configmaps, await storage(), () => new Date(), suffixes('zzzzz'));
    await store.create(ctx, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'cm-' } });
    await assert.rejects(store.create(ctx, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'cm-' } }), (err: any) => {
      assert.equal(err.status.reason, 'AlreadyExists');
      assert.equal(err.status.message, 'configmaps "cm-zzzzz" already exists');
      return true;
    });
  });

  test('a dry-run create with a clashing generated name is retried too', async () => {
    const store = new GenericStore(configmaps, await storage(), () => new Date(), suffixes('aaaaa', 'aaaaa', 'ccccc'));
    await store.create(ctx, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'cm-' } });
    const dry = await store.create({ ...ctx, dryRun: true }, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'cm-' } });
    assert.equal(dry.metadata.name, 'cm-ccccc');
  });
});
