// A pod bridge left by an earlier cluster keeps its old gateway address, and the bridge plugin then
// refuses every pod ("already has an IP address different from …"). Before the network is configured
// for a new pod CIDR, such a bridge is removed when no pod is attached to it any more.
import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

function ipv4InCIDR(ip: string, cidr: string): boolean {
  const [net, bits] = cidr.split('/');
  const toInt = (a: string) => a.split('.').reduce((n, o) => (n << 8) + Number(o), 0) >>> 0;
  const mask = Number(bits) === 0 ? 0 : (0xffffffff << (32 - Number(bits))) >>> 0;
  return ((toInt(ip) & mask) >>> 0) === ((toInt(net!) & mask) >>> 0);
}

/** Returns what was done, for the log: nothing (undefined), removed, or why it was kept. */
export async function removeStaleBridge(bridge: string, podCIDR: string): Promise<string | undefined> {
  if (podCIDR.includes(':')) return undefined;
  let addrs: { addr_info?: { family: string; local: string }[] }[];
  try {
    addrs = JSON.parse((await run('ip', ['-j', 'addr', 'show', 'dev', bridge])).stdout);
  } catch {
    return undefined; // no such bridge yet (or no iproute2): the bridge plugin creates it
  }
  const stale = (addrs[0]?.addr_info ?? []).filter((a) => a.family === 'inet' && !ipv4InCIDR(a.local, podCIDR)).map((a) => a.local);
  if (stale.length === 0) return undefined;
  const ports = await readdir(`/sys/class/net/${bridge}/brif`).catch(() => []);
  if (ports.length > 0) return `bridge ${bridge} has address ${stale.join(', ')} outside the pod CIDR ${podCIDR} but ${ports.length} interface(s) attached; pods will fail until it is removed`;
  await run('ip', ['link', 'delete', bridge]);
  return `removed bridge ${bridge} with address ${stale.join(', ')} from an earlier pod CIDR (now ${podCIDR})`;
}

/**
 * Bridges that hold an address inside `cidr` with nothing attached, e.g. left in the kernel by a
 * dockerd that stopped (Docker does not delete its bridges at shutdown). A second route to the same
 * subnet would send pod traffic into the dead bridge, so they are removed before the pod network is
 * created; returns what was removed.
 */
export async function removeIdleBridgesInSubnet(cidr: string): Promise<string[]> {
  if (cidr.includes(':')) return [];
  let links: { ifname: string; addr_info?: { family: string; local: string }[] }[];
  try {
    links = JSON.parse((await run('ip', ['-j', 'addr', 'show', 'type', 'bridge'])).stdout);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const link of links) {
    if (!(link.addr_info ?? []).some((a) => a.family === 'inet' && ipv4InCIDR(a.local, cidr))) continue;
    const ports = await readdir(`/sys/class/net/${link.ifname}/brif`).catch(() => ['?']);
    if (ports.length > 0) continue;
    await run('ip', ['link', 'delete', link.ifname]).then(() => removed.push(link.ifname), () => {});
  }
  return removed;
}
