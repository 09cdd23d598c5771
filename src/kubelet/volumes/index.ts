// Pod volumes on this node: set-up, container mounts, atomic refresh of projected contents, teardown.
export { VolumeManager, PLUGIN_DIRS, type VolumeManagerOptions } from './volume-manager.ts';
export { VolumeSetUpError, type VolumeFailure } from './volume-errors.ts';
export { containerMounts, volumeReadOnly } from './container-mounts.ts';
export { clientObjectSource, placeholderToken, type VolumeObjectSource } from './object-source.ts';
export { writeAtomically, type FileProjection, type Payload } from './atomic-writer.ts';
