// A RuntimeService that only answers ExecSync, from a script: for unit tests of probes and hooks
// (the real runtimes are exercised by the kubelet's integration tests).
import type { RuntimeService } from '../../src/kubelet/runtime/runtime-service.ts';

export type ExecScript = (containerId: string, cmd: string[], timeoutSeconds: number) => Promise<{ stdout?: string; stderr?: string; exitCode: number }>;

export function fakeExecRuntime(script: ExecScript): RuntimeService & { calls: { containerId: string; cmd: string[]; timeoutSeconds: number }[] } {
  const calls: { containerId: string; cmd: string[]; timeoutSeconds: number }[] = [];
  const unsupported = () => { throw new Error('not used by this test'); };
  return {
    calls,
    async execSync(containerId, cmd, timeoutSeconds) {
      calls.push({ containerId, cmd, timeoutSeconds });
      const r = await script(containerId, cmd, timeoutSeconds);
      return { stdout: Buffer.from(r.stdout ?? ''), stderr: Buffer.from(r.stderr ?? ''), exitCode: r.exitCode };
    },
    version: unsupported, runPodSandbox: unsupported, stopPodSandbox: unsupported, removePodSandbox: unsupported,
    podSandboxStatus: unsupported, listPodSandbox: unsupported, createContainer: unsupported, startContainer: unsupported,
    stopContainer: unsupported, removeContainer: unsupported, listContainers: unsupported, containerStatus: unsupported,
    exec: unsupported, attach: unsupported, portForward: unsupported, listContainerStats: unsupported,
  };
}
