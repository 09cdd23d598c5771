// One container instance as CRI's ContainerConfig (kuberuntime's generateContainerConfig): metadata
// with the attempt (= restart count), the image, command and args with $(VAR) expanded, env, mounts,
// labels and annotations, the log path <name>/<restartCount>.log under the sandbox's log
// directory, and the linux resources and security context.
import type { V1Container } from '@kubernetes/client-node';
import { makeCommand } from './env/environment.ts';
import { linuxContainerResources } from './linux-resources.ts';
import { newContainerAnnotations, newContainerLabels } from './runtime-labels.ts';
import type { ContainerConfig, KeyValue, Mount } from './runtime/runtime-service.ts';
import { effectiveSecurityContext } from './security-context.ts';

type Obj = Record<string, any>;

/** buildContainerLogsPath: relative to the sandbox's log directory. */
export function containerLogPath(containerName: string, restartCount: number): string {
  return `${containerName}/${restartCount}.log`;
}

export interface ContainerConfigInput {
  pod: Obj;
  container: Obj;
  restartCount: number;
  /** The image reference the puller resolved. */
  image: string;
  envs: KeyValue[];
  mounts: Mount[];
  /** The node's memory, for the Burstable OOM score. */
  memoryCapacity: number;
}

export function generateContainerConfig(i: ContainerConfigInput): ContainerConfig {
  const c = i.container;
  const { command, args } = makeCommand(c as V1Container, i.envs);
  return {
    metadata: { name: c.name, attempt: i.restartCount },
    image: i.image,
    command,
    args,
    workingDir: c.workingDir ?? '',
    envs: i.envs,
    mounts: i.mounts,
    labels: newContainerLabels(c, i.pod),
    annotations: newContainerAnnotations(c, i.pod, i.restartCount),
    logPath: containerLogPath(c.name, i.restartCount),
    stdin: c.stdin === true,
    stdinOnce: c.stdinOnce === true,
    tty: c.tty === true,
    linux: {
      resources: linuxContainerResources(i.pod, c, i.memoryCapacity),
      securityContext: effectiveSecurityContext(i.pod, c),
    },
  };
}
