// The CNI network containerd's CRI plugin gives each pod: a Linux bridge on the node's spec.podCIDR
// with host-local addresses, masquerade for traffic leaving the pod network, and portmap for
// hostPort. Loopback is not listed: containerd's CRI plugin always adds its own "cni-loopback"
// network (the loopback plugin from the same bin dir) for each sandbox.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensurePodMasquerade } from './pod-masquerade.ts';
import { removeStaleBridge } from './stale-bridge.ts';

export interface CniConfigOptions {
  confDir: string;
  /** The node's spec.podCIDR, e.g. 10.244.1.0/24 (IPv4 or IPv6). */
  podCIDR: string;
  /** Linux bridge name (≤ 15 characters), unique per node on one machine, e.g. "k8ts0". */
  bridge: string;
  /** The network's name; default `k8ts-<bridge>`. host-local keeps its leases under it. */
  name?: string;
  /** Where host-local records leases; default its own, /var/lib/cni/networks/<name>. */
  ipamDataDir?: string;
  /** Add the node's masquerade rule for the pod CIDR (default true; off in tests of the file alone). */
  masquerade?: boolean;
  /** Told when a bridge from an earlier pod CIDR is removed (or cannot be). */
  log?: (message: string) => void;
}

// The newest version Debian 12's plugins (1.1.1) and containerd 1.6's libcni both speak.
const CNI_VERSION = '1.0.0';
// Linux IFNAMSIZ minus the NUL.
const MAX_BRIDGE_NAME = 15;

export function cniConflist(o: CniConfigOptions): Record<string, unknown> {
  if (o.bridge.length === 0 || o.bridge.length > MAX_BRIDGE_NAME) throw new Error(`bridge name ${JSON.stringify(o.bridge)} must be 1 to ${MAX_BRIDGE_NAME} characters`);
  if (!/^[0-9a-fA-F.:]+\/\d{1,3}$/.test(o.podCIDR)) throw new Error(`invalid pod CIDR ${JSON.stringify(o.podCIDR)}`);
  const defaultRoute = o.podCIDR.includes(':') ? '::/0' : '0.0.0.0/0';
  return {
    cniVersion: CNI_VERSION,
    name: o.name ?? `k8ts-${o.bridge}`,
    plugins: [
      {
        type: 'bridge',
        bridge: o.bridge,
        isGateway: true,
        // Masquerade is one rule per node (ensurePodMasquerade), as flannel does: the plugin's own
        // ipMasq adds an iptables chain per pod under the xtables lock, which serialises pod start-up.
        ipMasq: false,
        // A pod reaching itself through a Service IP comes back over its own bridge port.
        hairpinMode: true,
        ipam: {
          type: 'host-local',
          ranges: [[{ subnet: o.podCIDR }]],
          routes: [{ dst: defaultRoute }],
          ...(o.ipamDataDir ? { dataDir: o.ipamDataDir } : {}),
        },
      },
      { type: 'portmap', capabilities: { portMappings: true } },
    ],
  };
}

/** Writes `<confDir>/10-<name>.conflist` atomically (containerd watches the directory); returns its path. */
export async function writeCniConfig(o: CniConfigOptions): Promise<string> {
  const conflist = cniConflist(o);
  const reset = await removeStaleBridge(o.bridge, o.podCIDR);
  if (reset) o.log?.(reset);
  const masq = o.masquerade === false ? undefined : await ensurePodMasquerade(o.podCIDR);
  if (masq) o.log?.(masq);
  await mkdir(o.confDir, { recursive: true });
  const path = join(o.confDir, `10-${conflist.name as string}.conflist`);
  // Not *.conflist while written: containerd would load a half-written file.
  const tmp = `${path}.tmp`;
  await writeFile(tmp, JSON.stringify(conflist, null, 2) + '\n');
  await rename(tmp, path);
  return path;
}
