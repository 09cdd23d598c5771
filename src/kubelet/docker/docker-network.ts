// The pod network: one user-defined Docker bridge network whose subnet is the node's podCIDR, so pod
// IPs come from the node's range as with a CNI bridge and host-local IPAM. Created once and reused by
// later kubelets; containers on it reach each other by IP, and the host reaches them through the
// bridge's gateway address.
import { removeIdleBridgesInSubnet } from '../network/stale-bridge.ts';
import { RuntimeError } from '../runtime/runtime-service.ts';
import { DockerError, type DockerClient } from './docker-client.ts';

export const DEFAULT_NETWORK_NAME = 'k8ts';
const NETWORK_LABEL = 'io.k8ts.network';

interface NetworkInspect {
  Id: string;
  Name: string;
  Driver: string;
  IPAM?: { Config?: { Subnet?: string; Gateway?: string }[] | null };
  Containers?: Record<string, unknown> | null;
}

export interface PodNetwork {
  id: string;
  name: string;
  subnet: string;
}

export async function ensurePodNetwork(docker: DockerClient, name: string, podCIDR: string | undefined, log: (m: string) => void): Promise<PodNetwork> {
  const existing = await inspectNetwork(docker, name);
  if (existing) {
    const subnet = existing.IPAM?.Config?.[0]?.Subnet ?? '';
    if (!podCIDR || subnet === podCIDR) return { id: existing.Id, name, subnet };
    const attached = Object.keys(existing.Containers ?? {}).length;
    if (attached > 0) {
      throw new RuntimeError(`docker network "${name}" has subnet ${subnet || '(none)'}, not the node's podCIDR ${podCIDR}, and ${attached} container(s) still use it`);
    }
    log(`docker network "${name}" has subnet ${subnet || '(none)'}; recreating it with the node's podCIDR ${podCIDR}`);
    await docker.json({ method: 'DELETE', path: `/networks/${encodeURIComponent(existing.Id)}` });
  }
  if (podCIDR) {
    const removed = await removeIdleBridgesInSubnet(podCIDR);
    if (removed.length > 0) log(`removed idle bridge(s) ${removed.join(', ')} left on ${podCIDR} by an earlier Docker network`);
  }
  const created = await docker.json<{ Id: string }>({
    method: 'POST',
    path: '/networks/create',
    body: {
      Name: name,
      Driver: 'bridge',
      CheckDuplicate: true,
      ...(podCIDR ? { IPAM: { Driver: 'default', Config: [{ Subnet: podCIDR }] } } : {}),
      Labels: { [NETWORK_LABEL]: 'pod-network' },
    },
  });
  const net = await inspectNetwork(docker, created.Id);
  const subnet = net?.IPAM?.Config?.[0]?.Subnet ?? podCIDR ?? '';
  log(`created docker network "${name}" (${subnet})`);
  return { id: created.Id, name, subnet };
}

async function inspectNetwork(docker: DockerClient, idOrName: string): Promise<NetworkInspect | undefined> {
  try {
    return await docker.json<NetworkInspect>({ path: `/networks/${encodeURIComponent(idOrName)}` });
  } catch (err) {
    if (err instanceof DockerError && err.statusCode === 404) return undefined;
    throw err;
  }
}
