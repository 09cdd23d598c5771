// containerd as the kubelet's child process: startContainerd(opts) → { endpoint, stop }.
export { startContainerd, type RunningContainerd, type StartContainerdOptions } from './start-containerd.ts';
export { MIRRORED_REGISTRIES } from './containerd-config.ts';
