// The pod's sandbox as CRI's PodSandboxConfig (kuberuntime's generatePodSandboxConfig): metadata
// with the attempt, the hostname (spec.hostname or the pod name, cut to 63 characters; the host's for
// hostNetwork pods), the log directory /…/pods/<ns>_<name>_<uid>, DNS, hostPort mappings,
// the io.kubernetes.pod.* labels and the namespaces the pod shares with the host.
import { join } from 'node:path';
import type { KObject } from '../apimachinery/types.ts';
import { podHostnameAndDomain } from './etc-hosts.ts';
import { newPodAnnotations, newPodLabels } from './runtime-labels.ts';
import type { DNSConfig, PodSandboxConfig, PortMapping } from './runtime/runtime-service.ts';
import { namespaceOptionsForPod } from './security-context.ts';

type Obj = Record<string, any>;

/** BuildPodLogsDirectory: <podLogsRoot>/<namespace>_<name>_<uid>. */
export function podLogsDirectory(podLogsRoot: string, pod: Obj): string {
  return join(podLogsRoot, `${pod.metadata.namespace}_${pod.metadata.name}_${pod.metadata.uid}`);
}

/** hostPort mappings of the pod's containers (ports without a hostPort are not published). */
export function podPortMappings(pod: Obj): PortMapping[] {
  const out: PortMapping[] = [];
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort || p.hostPort <= 0) continue;
      out.push({ protocol: p.protocol ?? 'TCP', containerPort: p.containerPort, hostPort: p.hostPort, hostIp: p.hostIP ?? '' });
    }
  }
  return out;
}

export function generatePodSandboxConfig(pod: Obj, attempt: number, opts: { podLogsRoot: string; dns: DNSConfig }): PodSandboxConfig {
  const hostNetwork = pod.spec?.hostNetwork === true;
  const privileged = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].some((c: Obj) => c?.securityContext?.privileged === true);
  return {
    metadata: { name: pod.metadata.name, uid: pod.metadata.uid, namespace: pod.metadata.namespace, attempt },
    hostname: hostNetwork ? '' : podHostnameAndDomain(pod as KObject).hostname,
    logDirectory: podLogsDirectory(opts.podLogsRoot, pod),
    dnsConfig: opts.dns,
    portMappings: podPortMappings(pod),
    labels: newPodLabels(pod),
    annotations: newPodAnnotations(pod),
    linux: { securityContext: { namespaceOptions: namespaceOptionsForPod(pod), ...(privileged ? { privileged } : {}) } },
  };
}
