// The pod's API status from the runtime's view of it (kubelet_pods.go's generateAPIPodStatus): pod
// IPs, QoS class, container statuses, the phase (never leaving a terminal one), the kubelet's
// conditions, host IPs and start time. Fields other components own (nominatedNodeName, their
// conditions) are carried over from the API's status.
import { isIPv4, isIPv6 } from 'node:net';
import { rfc3339 } from '../nodes/node-status.ts';
import { getPodQOS } from '../registry/core/pod-qos.ts';
import { convertToAPIContainerStatuses, type StartFailure } from './container-status.ts';
import { isHostNetworkPod, podSandboxChanged, type ProbeResultLookup } from './pod-actions.ts';
import { podConditions } from './pod-conditions.ts';
import { getPhase } from './pod-phase.ts';
import type { PodRuntimeStatus } from './runtime-pod-status.ts';

type Obj = Record<string, any>;

export interface PodStatusInput {
  pod: Obj;
  runtime: PodRuntimeStatus;
  /** The status the kubelet computed last (the status manager's), else the API's. */
  cached: Obj | undefined;
  podIsTerminal: boolean;
  hostIPs: string[];
  now: number;
  startFailure(containerName: string): StartFailure | undefined;
  probe: ProbeResultLookup;
}

const TERMINAL = new Set(['Succeeded', 'Failed']);

/** Primary IP of the node's family first, then the first of the other family (sortPodIPs). */
export function sortPodIPs(ips: string[], nodeIP: string | undefined): string[] {
  const v6First = nodeIP !== undefined && isIPv6(nodeIP);
  const primary = ips.find((ip) => (v6First ? isIPv6(ip) : isIPv4(ip)));
  const secondary = ips.find((ip) => (v6First ? isIPv4(ip) : isIPv6(ip)));
  return [primary, secondary].filter((ip): ip is string => !!ip);
}

export function generateAPIPodStatus(i: PodStatusInput): Obj {
  const { pod, runtime } = i;
  const spec: Obj = pod.spec ?? {};
  const api: Obj = pod.status ?? {};
  const old: Obj = i.cached ?? api;
  const hasInit = Array.isArray(spec.initContainers) && spec.initContainers.length > 0;

  const s: Obj = {};
  for (const k of ['nominatedNodeName', 'resize', 'resourceClaimStatuses', 'ephemeralContainerStatuses']) if (api[k] !== undefined) s[k] = api[k];

  const ips = sortPodIPs(runtime.ips, i.hostIPs[0]);
  if (ips.length > 0) {
    s.podIP = ips[0];
    s.podIPs = ips.map((ip) => ({ ip }));
  }
  s.qosClass = api.qosClass ?? getPodQOS(spec);

  const common = { pod, runtime, hasInitContainers: hasInit, startFailure: i.startFailure, probe: i.probe };
  s.containerStatuses = convertToAPIContainerStatuses({ ...common, previous: old.containerStatuses, containers: spec.containers ?? [], isInitContainer: false });
  if (hasInit) s.initContainerStatuses = convertToAPIContainerStatuses({ ...common, previous: old.initContainerStatuses, containers: spec.initContainers, isInitContainer: true });

  const all = [...s.containerStatuses, ...(s.initContainerStatuses ?? [])];
  let phase: string = getPhase(pod, all, i.podIsTerminal);
  if (!TERMINAL.has(phase)) {
    if (TERMINAL.has(old.phase)) phase = old.phase;
    else if (TERMINAL.has(api.phase)) phase = api.phase;
  }
  // A terminal phase on the API is final.
  if (TERMINAL.has(api.phase) && phase !== api.phase) phase = api.phase;
  s.phase = phase;
  if (phase === old.phase) {
    const reason = old.reason || api.reason;
    const message = old.message || api.message;
    if (reason) s.reason = reason;
    if (message) s.message = message;
  }

  s.conditions = podConditions({
    spec, apiConditions: Array.isArray(api.conditions) ? api.conditions : [], oldConditions: Array.isArray(old.conditions) ? old.conditions : [],
    statuses: all, phase, sandboxReady: !podSandboxChanged(pod, runtime).changed, now: i.now,
  });

  if (i.hostIPs.length > 0) {
    s.hostIP = i.hostIPs[0];
    s.hostIPs = i.hostIPs.slice(0, 2).map((ip) => ({ ip }));
    if (isHostNetworkPod(pod)) {
      s.podIP = old.podIP || i.hostIPs[0];
      s.podIPs = Array.isArray(old.podIPs) && old.podIPs.length > 0 ? old.podIPs : [{ ip: s.podIP }];
    }
  }
  // A pod's addresses stay as they were once its sandbox is gone (kubectl still shows them).
  if (!s.podIP && old.podIP && TERMINAL.has(phase)) {
    s.podIP = old.podIP;
    s.podIPs = old.podIPs;
  }
  s.startTime = old.startTime ?? api.startTime ?? rfc3339(i.now);
  return s;
}

/** A rejected pod's final status (admission failure): phase Failed with the reason and message. */
export function rejectedPodStatus(pod: Obj, reason: string, message: string): Obj {
  const api: Obj = pod.status ?? {};
  return { ...structuredClone(api), phase: 'Failed', reason, message: `Pod was rejected: ${message}` };
}
