// The kubelet's HTTPS server (port 10250).
export { startKubeletServer, type KubeletServerOptions, type RunningKubeletServer } from './kubelet-server.ts';
export type { KubeletServerHandlers } from './kubelet-server-handlers.ts';
