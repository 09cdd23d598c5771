// storage.k8s.io CSIDriver objects and Pods carrying inline CSI volumes, through the API only (no CSI
// driver mounts anything).
import { CoreV1Api, PatchStrategy, setHeaderOptions, StorageV1Api, type V1CSIDriver, type V1Pod } from '@kubernetes/client-node';
import { apiError, assert, expectReason } from '../framework/expect.ts';
import { scenario } from '../framework/scenario.ts';
import { IMAGES } from './images.ts';

const FILE = 'test/e2e/storage/csi_inline.go';

/** Deleted objects are gone (404) or on their way out (deletionTimestamp set). */
async function expectDeleted(read: () => Promise<{ metadata?: { deletionTimestamp?: Date } }>, what: string): Promise<void> {
  try {
    const obj = await read();
    assert.ok(obj.metadata?.deletionTimestamp, `${what} should have been deleted or have DeletionTimestamp`);
  } catch (err) {
    if ((err as { code?: number }).code !== 404) throw err;
  }
}

export const storageScenarios = [
  scenario(
    { codename: '[sig-storage] CSIInlineVolumes should support ephemeral VolumeLifecycleMode in CSIDriver API [Conformance]', testname: 'CSIInlineVolumes should support ephemeral CSIDrivers', release: 'v1.26', file: FILE },
    async (ctx) => {
      const api = ctx.api(StorageV1Api);
      const unique = ctx.uniqueName('e2e');
      const labels = { 'e2e-test': unique };
      const driver = (modes: string[]): V1CSIDriver => ({
        metadata: { name: ctx.uniqueName('inline-driver'), labels },
        spec: { volumeLifecycleModes: modes, fsGroupPolicy: 'ReadWriteOnceWithFSType' },
      });
      ctx.defer(() => api.deleteCollectionCSIDriver({ labelSelector: `e2e-test=${unique}` }));

      const driver1 = driver(['Ephemeral']);
      const driver2 = driver(['Persistent', 'Ephemeral']);
      const created1 = await api.createCSIDriver({ body: driver1 });
      const created2 = await api.createCSIDriver({ body: driver2 });
      expectReason(await apiError(() => api.createCSIDriver({ body: driver1 }), 'creating the first CSIDriver again'), 'AlreadyExists', 'creating the first CSIDriver again');

      assert.equal((await api.readCSIDriver({ name: created1.metadata!.name! })).metadata?.uid, created1.metadata?.uid, 'UID of the first CSIDriver');
      assert.equal((await api.readCSIDriver({ name: created2.metadata!.name! })).metadata?.uid, created2.metadata?.uid, 'UID of the second CSIDriver');

      const list = await api.listCSIDriver({ labelSelector: `e2e-test=${unique}` });
      assert.equal(list.items.length, 2, 'filtered list should have 2 items');

      for (const d of list.items) {
        await api.deleteCSIDriver({ name: d.metadata!.name! });
        await expectDeleted(() => api.readCSIDriver({ name: d.metadata!.name! }), `CSIDriver ${d.metadata!.name}`);
      }
    },
  ),

  scenario(
    { codename: '[sig-storage] CSIInlineVolumes should support CSIVolumeSource in Pod API [Conformance]', testname: 'CSIInlineVolumes should support Pods with inline volumes', release: 'v1.26', file: FILE },
    async (ctx) => {
      const core = ctx.api(CoreV1Api);
      const namespace = ctx.namespace;
      const name = 'pod-csi-inline-volumes';
      const driver = 'e2e.example.com';
      const pod: V1Pod = {
        metadata: { name },
        spec: {
          volumes: [
            { name: 'csi-inline-vol1', csi: { driver } },
            { name: 'csi-inline-vol2', csi: { driver, fsType: 'ext4', readOnly: true } },
          ],
          containers: [
            {
              name,
              image: IMAGES.busybox,
              command: ['sh', '-c', 'ls /mnt/*'],
              volumeMounts: [
                { name: 'csi-inline-vol1', mountPath: '/mnt/vol1' },
                { name: 'csi-inline-vol2', mountPath: '/mnt/vol2' },
              ],
            },
          ],
        },
      };
      const created = await core.createNamespacedPod({ namespace, body: pod });
      expectReason(await apiError(() => core.createNamespacedPod({ namespace, body: pod }), 'creating the Pod again'), 'AlreadyExists', 'creating the Pod again');

      const got = await core.readNamespacedPod({ name, namespace });
      assert.equal(got.metadata?.uid, created.metadata?.uid, 'UID of the fetched Pod');

      const list = await core.listNamespacedPod({ namespace });
      assert.equal(list.items.length, 1, 'list should have 1 items');

      const patched = await core.patchNamespacedPod({ name, namespace, body: { metadata: { annotations: { patched: 'true' } } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
      assert.equal(patched.metadata?.annotations?.patched, 'true', 'patched object should have the applied annotation');

      await core.deleteNamespacedPod({ name, namespace });
      await expectDeleted(() => core.readNamespacedPod({ name, namespace }), `Pod ${name}`);
    },
  ),
];
