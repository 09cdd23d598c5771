// The local images (built from busybox-static) and the local registry that serves them.
export { buildImages, formatSize, type BuildImagesOptions, type BuiltImage } from './build-images.ts';
export { BusyboxMissingError, DEFAULT_BUSYBOX_PATH } from './busybox-rootfs.ts';
export { LOCAL_IMAGES, NGINX_INDEX_TITLE } from './local-image-specs.ts';
export { startLocalRegistry, createRegistryHandler, type LocalRegistry, type LocalRegistryOptions } from './local-registry.ts';
export { parseImageReference, repositoryName, formatImageReference, familiarName, type ImageReference } from './image-reference.ts';

/** The pod sandbox image the local images provide (containerd's sandbox_image, the Docker runtime's pause). */
export const SANDBOX_IMAGE = 'k8ts.local/pause:3.10';
