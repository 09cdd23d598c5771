// The pod's and container's securityContext as CRI's LinuxContainerSecurityContext (kuberuntime's
// determineEffectiveSecurityContext): container fields win over pod fields; namespaces follow
// hostNetwork/hostPID/hostIPC/shareProcessNamespace.
import type { LinuxContainerSecurityContext } from './runtime/runtime-service.ts';

type Obj = Record<string, any>;

export function namespaceOptionsForPod(pod: Obj): NonNullable<LinuxContainerSecurityContext['namespaceOptions']> {
  const spec = pod.spec ?? {};
  return {
    network: spec.hostNetwork === true ? 'NODE' : 'POD',
    pid: spec.hostPID === true ? 'NODE' : spec.shareProcessNamespace === true ? 'POD' : 'CONTAINER',
    ipc: spec.hostIPC === true ? 'NODE' : 'POD',
  };
}

export function effectiveSecurityContext(pod: Obj, container: Obj): LinuxContainerSecurityContext {
  const psc: Obj = pod.spec?.securityContext ?? {};
  const csc: Obj = container.securityContext ?? {};
  const sc: LinuxContainerSecurityContext = { namespaceOptions: namespaceOptionsForPod(pod) };
  const runAsUser = csc.runAsUser ?? psc.runAsUser;
  const runAsGroup = csc.runAsGroup ?? psc.runAsGroup;
  if (typeof runAsUser === 'number') sc.runAsUser = runAsUser;
  if (typeof runAsGroup === 'number') sc.runAsGroup = runAsGroup;
  if (csc.readOnlyRootFilesystem === true) sc.readonlyRootfs = true;
  if (csc.privileged === true) sc.privileged = true;
  if (csc.capabilities) {
    sc.capabilities = {
      addCapabilities: Array.isArray(csc.capabilities.add) ? [...csc.capabilities.add] : [],
      dropCapabilities: Array.isArray(csc.capabilities.drop) ? [...csc.capabilities.drop] : [],
    };
  }
  return sc;
}

/** runAsNonRoot with a known numeric user 0 cannot start (verifyRunAsNonRoot); the message is upstream's. */
export function verifyRunAsNonRoot(pod: Obj, container: Obj): string | undefined {
  const psc: Obj = pod.spec?.securityContext ?? {};
  const csc: Obj = container.securityContext ?? {};
  const nonRoot = csc.runAsNonRoot ?? psc.runAsNonRoot;
  if (nonRoot !== true) return undefined;
  const uid = csc.runAsUser ?? psc.runAsUser;
  if (uid === 0) return 'container\'s runAsUser breaks non-root policy (pod: "' + `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})` + '", container: ' + container.name + ')';
  return undefined;
}
