// What the kubelet reads about its machine (cAdvisor's MachineInfo and the node status setters'
// sources): cores, memory (/proc/meminfo), the ids in nodeInfo, kernel and OS image, the
// filesystem under the kubelet's data dir (statfs), and the node's address — the IPv4 address of
// the interface holding the default route, as upstream's node IP detection picks it.
import { readFile, statfs } from 'node:fs/promises';
import { arch, availableParallelism, hostname, networkInterfaces, release } from 'node:os';

export interface MachineInfo {
  numCores: number;
  /** Bytes (MemTotal). */
  memoryCapacity: number;
  machineID: string;
  systemUUID: string;
  bootID: string;
  kernelVersion: string;
  osImage: string;
  /** GOARCH naming: amd64, arm64. */
  architecture: string;
  hostname: string;
}

const GOARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x' };

async function readTrimmed(path: string): Promise<string> {
  try { return (await readFile(path, 'utf8')).trim(); } catch { return ''; }
}

/** /proc/meminfo's fields in bytes. */
export async function readMeminfo(): Promise<{ total: number; available: number }> {
  const text = await readTrimmed('/proc/meminfo');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0) * 1024;
  return { total: kb('MemTotal'), available: kb('MemAvailable') };
}

function formatUUID(hex: string): string {
  return hex.length === 32 ? `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}` : hex;
}

export async function readMachineInfo(): Promise<MachineInfo> {
  const machineID = await readTrimmed('/etc/machine-id') || await readTrimmed('/var/lib/dbus/machine-id');
  const osRelease = await readTrimmed('/etc/os-release');
  const pretty = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(osRelease)?.[1] ?? 'Linux';
  return {
    numCores: availableParallelism(),
    memoryCapacity: (await readMeminfo()).total,
    machineID,
    // Without DMI (many VMs) cAdvisor falls back to the machine id too.
    systemUUID: (await readTrimmed('/sys/class/dmi/id/product_uuid')).toLowerCase() || formatUUID(machineID),
    bootID: await readTrimmed('/proc/sys/kernel/random/boot_id'),
    kernelVersion: release(),
    osImage: pretty,
    architecture: GOARCH[arch()] ?? arch(),
    hostname: hostname().toLowerCase(),
  };
}

export interface FsStats {
  capacityBytes: number;
  availableBytes: number;
  inodes: number;
  inodesFree: number;
}

export async function filesystemStats(path: string): Promise<FsStats> {
  const s = await statfs(path);
  return { capacityBytes: s.blocks * s.bsize, availableBytes: s.bavail * s.bsize, inodes: s.files, inodesFree: s.ffree };
}

/** The interface of the default route (/proc/net/route), or undefined. */
async function defaultRouteInterface(): Promise<string | undefined> {
  const text = await readTrimmed('/proc/net/route');
  for (const line of text.split('\n').slice(1)) {
    const [iface, dest, , flags] = line.trim().split(/\s+/);
    // Destination 0.0.0.0 with the route up (RTF_UP).
    if (dest === '00000000' && (Number.parseInt(flags ?? '0', 16) & 1) === 1) return iface;
  }
  return undefined;
}

/** The node's InternalIP when none is given: the default route's interface address, else the first non-loopback IPv4. */
export async function detectNodeIP(): Promise<string> {
  const ifaces = networkInterfaces();
  const v4 = (name: string) => (ifaces[name] ?? []).find((a) => a.family === 'IPv4' && !a.internal)?.address;
  const iface = await defaultRouteInterface();
  const fromRoute = iface ? v4(iface) : undefined;
  if (fromRoute) return fromRoute;
  for (const name of Object.keys(ifaces)) {
    const a = v4(name);
    if (a) return a;
  }
  return '127.0.0.1';
}
