// The local-path provisioner against the real API server, driven with kubectl: the default class
// "standard", a claim that becomes Bound to a pvc-<uid> hostPath volume (upstream's columns in
// `kubectl get pv/pvc/sc`), the kubelet's volume manager resolving the claim to that directory, the
// pvc-protection finalizer while a pod uses the claim, and clean-up (volume and directory) after.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KObject } from '../../src/apimachinery/types.ts';
import { GVR, KubeClient } from '../../src/client/index.ts';
import { localPathProvisionerController } from '../../src/controllers/local-path-provisioner/local-path-provisioner.ts';
import { VolumeManager } from '../../src/kubelet/volumes/index.ts';
import { createNamespace, kubectl, kubectlOk, waitFor, type TestServer } from '../helpers/index.ts';
import { startControllerCluster, type ControllerCluster } from '../helpers/controller-cluster.ts';

type Obj = Record<string, any>;

const root = mkdtempSync(join(tmpdir(), 'k8ts-local-path-'));
let server: TestServer;
let client: KubeClient;
let cluster: ControllerCluster | undefined;
before(async () => {
  cluster = await startControllerCluster([localPathProvisionerController({ root: join(root, 'volumes') })]);
  ({ server, client } = cluster);
});
after(async () => {
  await cluster?.close();
  rmSync(root, { recursive: true, force: true });
});

const kc = () => ({ kubeconfig: server.kubeconfigPath });
const claimYaml = (name: string, extra = '') => `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: ${name}
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: 1Gi
${extra}`;

const getClaim = (ns: string, name: string) => client.resource(GVR.persistentvolumeclaims).namespace(ns).get(name);

describe('local-path provisioner', { timeout: 60_000 }, () => {
  test('the default StorageClass "standard" exists', async () => {
    const out = await waitFor(async () => {
      const r = await kubectl(['get', 'storageclass'], kc());
      return r.code === 0 && r.stdout.includes('standard') ? r.stdout : undefined;
    }, { message: 'StorageClass standard' });
    const [header, row] = out.trim().split('\n');
    assert.deepEqual(header!.split(/\s{2,}/), ['NAME', 'PROVISIONER', 'RECLAIMPOLICY', 'VOLUMEBINDINGMODE', 'ALLOWVOLUMEEXPANSION', 'AGE']);
    assert.deepEqual(row!.split(/\s{2,}/).slice(0, 5), ['standard (default)', 'k8ts.io/local-path', 'Delete', 'Immediate', 'false']);
  });

  test('kubectl apply of a claim: Bound to pvc-<uid>, shown with upstream columns; a pod\'s volume resolves to its directory', async () => {
    const ns = await createNamespace(server);
    await kubectlOk(['apply', '-n', ns, '-f', '-'], { ...kc(), input: claimYaml('data') });
    const claim = await waitFor(async () => {
      const c = await getClaim(ns, 'data');
      return (c.status as Obj | undefined)?.phase === 'Bound' ? c : undefined;
    }, { message: 'claim Bound', timeoutMs: 20_000 });
    const pvName = `pvc-${claim.metadata.uid}`;
    assert.equal((claim.spec as Obj).volumeName, pvName);
    assert.deepEqual((claim.status as Obj).capacity, { storage: '1Gi' });
    assert.ok(claim.metadata.finalizers?.includes('kubernetes.io/pvc-protection'));

    const pv = await client.resource(GVR.persistentvolumes).get(pvName);
    const dir = join(root, 'volumes', `pvc-${claim.metadata.uid}_${ns}_data`);
    assert.deepEqual((pv.spec as Obj).hostPath, { path: dir, type: 'DirectoryOrCreate' });
    assert.equal(pv.metadata.annotations?.['pv.kubernetes.io/provisioned-by'], 'k8ts.io/local-path');
    assert.equal((pv.status as Obj).phase, 'Bound');

    const pvOut = await kubectlOk(['get', 'pv', pvName], kc());
    const [pvHeader, pvRow] = pvOut.trim().split('\n');
    assert.deepEqual(pvHeader!.split(/\s{2,}/), ['NAME', 'CAPACITY', 'ACCESS MODES', 'RECLAIM POLICY', 'STATUS', 'CLAIM', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'REASON', 'AGE']);
    assert.deepEqual(pvRow!.split(/\s+/).slice(0, 8), [pvName, '1Gi', 'RWO', 'Delete', 'Bound', `${ns}/data`, 'standard', '<unset>']);
    const pvcOut = await kubectlOk(['get', 'pvc', 'data', '-n', ns], kc());
    assert.deepEqual(pvcOut.trim().split('\n')[1]!.split(/\s+/).slice(0, 5), ['data', 'Bound', pvName, '1Gi', 'RWO']);

    // The kubelet's side: the claim resolves to the volume's directory, through the real API.
    const volumes = new VolumeManager({ podsDir: join(root, 'pods'), client, nodeName: 'node-a', log: () => {}, tmpfs: false });
    const pod: KObject = { metadata: { name: 'user', namespace: ns, uid: 'pod-uid-1' }, spec: { containers: [{ name: 'c' }], volumes: [{ name: 'v', persistentVolumeClaim: { claimName: 'data' } }] } };
    const paths = await volumes.setUpPodVolumes(pod);
    assert.equal(paths.get('v'), dir);
    assert.ok(statSync(dir).isDirectory());
    writeFileSync(join(dir, 'kept.txt'), 'survives pod re-creation');
    await volumes.tearDownPodVolumes('pod-uid-1');
    assert.equal(readFileSync(join(dir, 'kept.txt'), 'utf8'), 'survives pod re-creation', 'pod teardown leaves claim data alone');
  });

  test('claims of no class ("") or of another provisioner stay Pending', async () => {
    const ns = await createNamespace(server);
    await kubectlOk(['apply', '-n', ns, '-f', '-'], { ...kc(), input: `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: ${ns}-other
provisioner: example.com/other
` });
    await kubectlOk(['apply', '-n', ns, '-f', '-'], { ...kc(), input: `${claimYaml('none', '  storageClassName: ""\n')}---\n${claimYaml('other', `  storageClassName: ${ns}-other\n`)}---\n${claimYaml('mine')}` });
    await waitFor(async () => (((await getClaim(ns, 'mine')).status as Obj)?.phase === 'Bound'), { message: 'the control claim Bound', timeoutMs: 20_000 });
    for (const name of ['none', 'other']) {
      const c = await getClaim(ns, name);
      assert.equal((c.status as Obj).phase, 'Pending', name);
      assert.equal((c.spec as Obj).volumeName, undefined, name);
    }
  });

  test('deleting a claim in use waits for its pod; then the volume and its directory go', async () => {
    const ns = await createNamespace(server);
    await kubectlOk(['apply', '-n', ns, '-f', '-'], { ...kc(), input: claimYaml('scratch') });
    const claim = await waitFor(async () => {
      const c = await getClaim(ns, 'scratch');
      return (c.status as Obj | undefined)?.phase === 'Bound' ? c : undefined;
    }, { message: 'claim Bound', timeoutMs: 20_000 });
    const pvName = `pvc-${claim.metadata.uid}`;
    const dir = join(root, 'volumes', `pvc-${claim.metadata.uid}_${ns}_scratch`);
    writeFileSync(join(dir, 'data.bin'), 'x');
    await client.resource(GVR.pods).namespace(ns).create({
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'user' },
      spec: { containers: [{ name: 'c', image: 'busybox' }], volumes: [{ name: 'v', persistentVolumeClaim: { claimName: 'scratch' } }] },
    });
    await kubectlOk(['delete', 'pvc', 'scratch', '-n', ns, '--wait=false'], kc());
    const terminating = await kubectlOk(['get', 'pvc', 'scratch', '-n', ns], kc());
    assert.match(terminating, /scratch\s+Terminating/);
    // A barrier instead of a sleep: the claims queue is FIFO with one worker, so once a claim made
    // after the delete is Bound, the terminating claim has been looked at (and must still be there).
    await kubectlOk(['apply', '-n', ns, '-f', '-'], { ...kc(), input: claimYaml('sentinel') });
    await waitFor(async () => (((await getClaim(ns, 'sentinel')).status as Obj)?.phase === 'Bound'), { message: 'sentinel Bound', timeoutMs: 20_000 });
    assert.match(await kubectlOk(['get', 'pvc', 'scratch', '-n', ns], kc()), /scratch\s+Terminating/);
    assert.ok(existsSync(join(dir, 'data.bin')), 'data kept while the pod uses the claim');
    await client.resource(GVR.pods).namespace(ns).delete('user', { gracePeriodSeconds: 0 });
    await waitFor(async () => {
      const r = await kubectl(['get', 'pv', pvName], kc());
      return r.code !== 0 && r.stderr.includes('NotFound') ? true : undefined;
    }, { message: 'volume deleted', timeoutMs: 20_000 });
    assert.equal(existsSync(dir), false, 'the directory is removed with the volume');
    const gone = await kubectl(['get', 'pvc', 'scratch', '-n', ns], kc());
    assert.match(gone.stderr, /persistentvolumeclaims "scratch" not found/);
  });
});
