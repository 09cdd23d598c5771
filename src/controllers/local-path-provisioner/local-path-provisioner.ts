// The built-in local-path provisioner (in the spirit of k3s's local-path-provisioner): it keeps a
// default StorageClass "standard", gives every pending claim of a class with provisioner
// k8ts.io/local-path (or of no class, when that class is the default — this API server has no
// DefaultStorageClass admission to fill the name in) a hostPath volume under <root>, and binds the
// two, as upstream's PV controller would. When the claim goes, a volume with reclaim policy Delete
// is deleted with its directory — the directory only when it is on this machine, since the
// controller manager may run on another host than the kubelet that used it. Claims it binds carry
// upstream's pvc-protection finalizer (this API server adds none), released once no running pod
// uses the claim, so deleting a claim under a running pod does not wipe the pod's data.
import { chmod, mkdir, rm } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import type { KObject } from '../../apimachinery/types.ts';
import { isAlreadyExists, isConflict, isNotFound } from '../../client/api-error.ts';
import { objectOf, splitMetaNamespaceKey } from '../../client/cache/keys.ts';
import type { Lister } from '../../client/cache/lister.ts';
import { GVR } from '../../client/resources.ts';
import type { ControllerContext, ControllerDescriptor, RunningController } from '../../components/controller-manager/controller-context.ts';
import { describeError } from '../framework/describe-error.ts';
import { Controller } from '../framework/controller.ts';
import {
  BETA_STORAGE_PROVISIONER_ANNOTATION, BIND_COMPLETED_ANNOTATION, BOUND_BY_CONTROLLER_ANNOTATION, DEFAULT_CLASS_NAME, PROVISIONED_BY_ANNOTATION,
  PROVISIONER, PVC_PROTECTION_FINALIZER, SELECTED_NODE_ANNOTATION, STORAGE_PROVISIONER_ANNOTATION, buildVolume, defaultStorageClass, isDefaultStorageClass, volumeNameFor, volumePathFor,
} from './local-path-volume.ts';

type Obj = Record<string, any>;

export interface LocalPathProvisionerOptions {
  /** Where volume directories live; default <dataDir>/local-path (flags.localPathRoot, else ./data/local-path). */
  root?: string;
}

const ENSURE_CLASS_RETRY_MS = 5_000;

class LocalPathProvisioner {
  readonly claimsController: Controller;
  readonly volumesController: Controller;
  private readonly claims: Lister;
  private readonly volumes: Lister;
  private readonly classes: Lister;
  private readonly pods: Lister;
  private stopped = false;

  constructor(private readonly ctx: ControllerContext, private readonly root: string) {
    const claims = ctx.informers.forResource(GVR.persistentvolumeclaims);
    const volumes = ctx.informers.forResource(GVR.persistentvolumes);
    const classes = ctx.informers.forResource(GVR.storageclasses);
    const pods = ctx.informers.forResource(GVR.pods);
    this.claims = claims.lister();
    this.volumes = volumes.lister();
    this.classes = classes.lister();
    this.pods = pods.lister();
    const caches = [claims, volumes, classes, pods];
    this.claimsController = new Controller({ name: 'local-path-claims', caches, clock: ctx.clock, log: ctx.log, reconcile: (k) => this.syncClaim(k) });
    this.volumesController = new Controller({ name: 'local-path-volumes', caches, clock: ctx.clock, log: ctx.log, reconcile: (k) => this.syncVolume(k) });

    const enqueueClaim = (obj: KObject) => this.claimsController.enqueue(obj);
    claims.addEventHandler({
      onAdd: enqueueClaim,
      onUpdate: (_old, c) => enqueueClaim(c),
      onDelete: (obj) => {
        const c = objectOf(obj);
        this.volumesController.enqueue((c.spec as Obj | undefined)?.volumeName || volumeNameFor(c));
      },
    });
    const onVolume = (pv: KObject) => {
      this.volumesController.enqueue(pv.metadata.name!);
      const ref = (pv.spec as Obj | undefined)?.claimRef;
      if (ref?.namespace && ref?.name) this.claimsController.enqueue(`${ref.namespace}/${ref.name}`);
    };
    volumes.addEventHandler({ onAdd: onVolume, onUpdate: (_o, pv) => onVolume(pv), onDelete: (obj) => onVolume(objectOf(obj)) });
    // A class that appears (or becomes default) may be what pending claims waited for.
    const pendingClaims = () => {
      for (const c of this.claims.list()) if (!(c.spec as Obj | undefined)?.volumeName) enqueueClaim(c);
    };
    classes.addEventHandler({ onAdd: pendingClaims, onUpdate: pendingClaims });
    // A pod that stops or goes may release a terminating claim.
    const onPod = (obj: KObject) => {
      const pod = objectOf(obj);
      for (const claim of claimNamesOf(pod)) this.claimsController.enqueue(`${pod.metadata.namespace}/${claim}`);
    };
    pods.addEventHandler({ onUpdate: (_o, p) => onPod(p), onDelete: onPod });
  }

  run(): void {
    void this.claimsController.run();
    void this.volumesController.run();
    void this.ensureStorageClass();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([this.claimsController.stop(), this.volumesController.stop()]);
  }

  /** Creates "standard" when missing — marked default unless another class already is. */
  private async ensureStorageClass(): Promise<void> {
    const client = this.ctx.client.resource(GVR.storageclasses);
    while (!this.stopped) {
      try {
        try {
          await client.get(DEFAULT_CLASS_NAME);
          return;
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
        const others = await client.list();
        const markDefault = !others.items.some(isDefaultStorageClass);
        await client.create(defaultStorageClass(markDefault));
        this.ctx.log(`created StorageClass "${DEFAULT_CLASS_NAME}"${markDefault ? ' (default)' : ''}`);
        return;
      } catch (err) {
        if (isAlreadyExists(err)) return;
        this.ctx.log(`ensuring StorageClass "${DEFAULT_CLASS_NAME}": ${describeError(err)}`);
        await new Promise((r) => setTimeout(r, ENSURE_CLASS_RETRY_MS).unref());
      }
    }
  }

  /** The claim's class: named, or the default one when the claim names none (not "": that means no class). */
  private classFor(claim: KObject): KObject | undefined {
    const name = (claim.spec as Obj | undefined)?.storageClassName;
    if (typeof name === 'string') return name ? this.classes.get(name) : undefined;
    const defaults = this.classes.list().filter(isDefaultStorageClass);
    // As upstream's admission: the newest default wins when there are several.
    return defaults.sort((a, b) => String(b.metadata.creationTimestamp).localeCompare(String(a.metadata.creationTimestamp)))[0];
  }

  private async syncClaim(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const claim = this.claims.namespace(namespace).get(name);
    if (!claim) return;
    if (claim.metadata.deletionTimestamp) {
      await this.releaseProtection(claim);
      return;
    }
    const spec = (claim.spec ?? {}) as Obj;
    if (spec.volumeName) {
      await this.completeBinding(claim);
      return;
    }
    const sc = this.classFor(claim);
    if (!sc || (sc as Obj).provisioner !== PROVISIONER) return;
    if (spec.volumeMode === 'Block') {
      this.ctx.recorder.eventf(claim, 'Warning', 'ProvisioningFailed', 'failed to provision volume with StorageClass "%s": %s does not support block volumes', sc.metadata.name, PROVISIONER);
      return;
    }
    if ((sc as Obj).volumeBindingMode === 'WaitForFirstConsumer' && !claim.metadata.annotations?.[SELECTED_NODE_ANNOTATION]) {
      this.ctx.recorder.event(claim, 'Normal', 'WaitForFirstConsumer', 'waiting for first consumer to be created before binding');
      return;
    }

    let pv = this.volumes.get(volumeNameFor(claim));
    if (!pv) {
      this.ctx.recorder.eventf(claim, 'Normal', 'Provisioning', 'External provisioner is provisioning volume for claim "%s/%s"', namespace, name);
      await this.makeDirectory(volumePathFor(this.root, claim));
      try {
        pv = await this.ctx.client.resource(GVR.persistentvolumes).create(buildVolume(claim, sc, this.root));
      } catch (err) {
        if (!isAlreadyExists(err)) {
          this.ctx.recorder.eventf(claim, 'Warning', 'ProvisioningFailed', 'failed to provision volume with StorageClass "%s": %s', sc.metadata.name, (err as Error).message);
          throw err;
        }
        pv = await this.ctx.client.resource(GVR.persistentvolumes).get(volumeNameFor(claim));
      }
      this.ctx.recorder.eventf(claim, 'Normal', 'ProvisioningSucceeded', 'Successfully provisioned volume %s', pv.metadata.name);
    }

    // Bind the claim to the volume (spec.volumeName may be set once), then both statuses.
    const next = structuredClone(claim) as KObject;
    (next.spec as Obj).volumeName = pv.metadata.name;
    next.metadata.annotations = {
      ...next.metadata.annotations,
      [BIND_COMPLETED_ANNOTATION]: 'yes', [BOUND_BY_CONTROLLER_ANNOTATION]: 'yes',
      [STORAGE_PROVISIONER_ANNOTATION]: PROVISIONER, [BETA_STORAGE_PROVISIONER_ANNOTATION]: PROVISIONER,
    };
    const finalizers = next.metadata.finalizers ?? [];
    if (!finalizers.includes(PVC_PROTECTION_FINALIZER)) next.metadata.finalizers = [...finalizers, PVC_PROTECTION_FINALIZER];
    const updated = await this.ctx.client.resource(GVR.persistentvolumeclaims).namespace(namespace).update(next);
    await this.completeBinding(updated, pv);
  }

  /** Marks a volume pre-bound to this claim Bound, then the claim Bound with the volume's size and modes. */
  private async completeBinding(claim: KObject, known?: KObject): Promise<void> {
    const volumeName = (claim.spec as Obj).volumeName as string;
    let pv = known ?? this.volumes.get(volumeName);
    if (!pv) return;
    const pvSpec = (pv.spec ?? {}) as Obj;
    if (pvSpec.claimRef?.uid !== claim.metadata.uid) return;
    if ((pv.status as Obj | undefined)?.phase !== 'Bound') {
      pv = await this.ctx.client.resource(GVR.persistentvolumes).updateStatus({ ...structuredClone(pv), status: { ...(pv.status as Obj), phase: 'Bound' } } as KObject);
    }
    const status = (claim.status ?? {}) as Obj;
    if (status.phase === 'Bound') return;
    await this.ctx.client.resource(GVR.persistentvolumeclaims).namespace(claim.metadata.namespace!).updateStatus({
      ...structuredClone(claim), status: { ...status, phase: 'Bound', accessModes: pvSpec.accessModes, capacity: pvSpec.capacity },
    } as KObject);
  }

  /** Drops the pvc-protection finalizer of a terminating claim once no running pod uses it. */
  private async releaseProtection(claim: KObject): Promise<void> {
    if (!claim.metadata.finalizers?.includes(PVC_PROTECTION_FINALIZER)) return;
    const ns = claim.metadata.namespace!;
    const inUse = this.pods.namespace(ns).list().some((p) => {
      const phase = (p.status as Obj | undefined)?.phase;
      return phase !== 'Succeeded' && phase !== 'Failed' && claimNamesOf(p).includes(claim.metadata.name!);
    });
    if (inUse) return;
    const next = structuredClone(claim) as KObject;
    next.metadata.finalizers = claim.metadata.finalizers.filter((f) => f !== PVC_PROTECTION_FINALIZER);
    try {
      await this.ctx.client.resource(GVR.persistentvolumeclaims).namespace(ns).update(next);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  private async syncVolume(name: string): Promise<void> {
    const pv = this.volumes.get(name);
    if (!pv || pv.metadata.deletionTimestamp) return;
    if (pv.metadata.annotations?.[PROVISIONED_BY_ANNOTATION] !== PROVISIONER) return;
    const spec = (pv.spec ?? {}) as Obj;
    const ref = spec.claimRef;
    if (!ref?.name) return;
    if (await this.claimExists(ref.namespace, ref.name, ref.uid)) return;

    const volumes = this.ctx.client.resource(GVR.persistentvolumes);
    const phase = (pv.status as Obj | undefined)?.phase;
    let current = pv;
    if (phase !== 'Released' && phase !== 'Failed') {
      current = await volumes.updateStatus({ ...structuredClone(pv), status: { ...(pv.status as Obj), phase: 'Released' } } as KObject);
    }
    if (spec.persistentVolumeReclaimPolicy !== 'Delete') return;
    await this.removeDirectory(spec.hostPath?.path);
    try {
      await volumes.delete(name, { preconditions: { uid: current.metadata.uid } });
    } catch (err) {
      if (!isNotFound(err) && !isConflict(err)) throw err;
    }
  }

  /** The cache first; a miss is confirmed with the API, so a slow cache never deletes a live volume. */
  private async claimExists(namespace: string, name: string, uid: string | undefined): Promise<boolean> {
    const cached = this.claims.namespace(namespace).get(name);
    if (cached) return !uid || cached.metadata.uid === uid;
    try {
      const live = await this.ctx.client.resource(GVR.persistentvolumeclaims).namespace(namespace).get(name);
      return !uid || live.metadata.uid === uid;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  /** Best effort: the kubelet creates it anyway (hostPath type DirectoryOrCreate) on the node that mounts it. */
  private async makeDirectory(path: string): Promise<void> {
    try {
      await mkdir(path, { recursive: true });
      // Any container user may write, as k3s's provisioner does.
      await chmod(path, 0o777);
    } catch (err) {
      this.ctx.log(`creating ${path}: ${describeError(err)} (the kubelet will create it)`);
    }
  }

  private async removeDirectory(path: string | undefined): Promise<void> {
    if (!path || !resolve(path).startsWith(resolve(this.root) + sep)) {
      if (path) this.ctx.log(`not removing ${path}: outside ${this.root}`);
      return;
    }
    await rm(path, { recursive: true, force: true });
  }
}

function claimNamesOf(pod: KObject): string[] {
  const volumes = ((pod.spec as Obj | undefined)?.volumes ?? []) as Obj[];
  return volumes.map((v) => v.persistentVolumeClaim?.claimName).filter((n): n is string => !!n);
}

/** The provisioner with its volume root; see LocalPathProvisionerOptions. */
export function localPathProvisionerController(opts: LocalPathProvisionerOptions = {}): ControllerDescriptor {
  return {
    name: 'local-path-provisioner',
    start(ctx): RunningController {
      const fromFlags = (ctx.flags as { localPathRoot?: string } | undefined)?.localPathRoot;
      const root = resolve(opts.root ?? fromFlags ?? 'data/local-path');
      const p = new LocalPathProvisioner(ctx, root);
      p.run();
      return p;
    },
  };
}

/** Registered in the controller manager; the root comes from its flags. */
export const localPathProvisioner: ControllerDescriptor = localPathProvisionerController();
