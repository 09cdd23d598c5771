// The containerd runtime over CRI v1 gRPC: connectCri(endpoint) → ContainerRuntime.
export { connectCri, socketPath, type ConnectCriOptions } from './connect-cri.ts';
export { CriError } from './cri-errors.ts';
