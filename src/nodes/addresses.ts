// Addresses of simulated nodes: node i gets pod CIDR 10.(244+i/256).(i%256).0/24 (flannel's
// 10.244.0.0/16 layout, extended past 256 nodes) and InternalIP 172.18.x.y, and its pods get
// addresses .2–.254 of its CIDR (.1 is the bridge, as with the host-local IPAM plugin).

/** Up to 12 × 256 nodes fit the 10.244–10.255 pod ranges. */
export const MAX_SIMULATED_NODES = 12 * 256;

export function podCIDRForIndex(i: number): string {
  return `10.${244 + (i >> 8)}.${i & 255}.0/24`;
}

/** The node index a pod CIDR of this layout stands for, or undefined. */
export function indexOfPodCIDR(cidr: string | undefined): number | undefined {
  const m = /^10\.(\d+)\.(\d+)\.0\/24$/.exec(cidr ?? '');
  if (!m) return undefined;
  const hi = Number(m[1]) - 244;
  const lo = Number(m[2]);
  if (hi < 0 || hi >= 12 || lo > 255) return undefined;
  return hi * 256 + lo;
}

export function internalIPForIndex(i: number): string {
  const n = i + 2;
  return `172.18.${n >> 8}.${n & 255}`;
}

/** Pod IPs of one node's /24: the lowest free host address, released when the pod goes. */
export class PodIPPool {
  private readonly prefix: string;
  private readonly used = new Set<number>();

  constructor(readonly cidr: string) {
    const m = /^(\d+\.\d+\.\d+)\.0\/24$/.exec(cidr);
    if (!m) throw new Error(`simulated nodes need a /24 IPv4 pod CIDR, got ${cidr}`);
    this.prefix = m[1]!;
  }

  /** Marks an address found on an existing pod as taken; false if it is not in this CIDR. */
  claim(ip: string): boolean {
    const host = this.hostOf(ip);
    if (host === undefined) return false;
    this.used.add(host);
    return true;
  }

  allocate(): string | undefined {
    for (let h = 2; h <= 254; h++) {
      if (!this.used.has(h)) {
        this.used.add(h);
        return `${this.prefix}.${h}`;
      }
    }
    return undefined;
  }

  release(ip: string): void {
    const host = this.hostOf(ip);
    if (host !== undefined) this.used.delete(host);
  }

  contains(ip: string): boolean { return this.hostOf(ip) !== undefined; }

  private hostOf(ip: string): number | undefined {
    if (!ip.startsWith(`${this.prefix}.`)) return undefined;
    const h = Number(ip.slice(this.prefix.length + 1));
    return Number.isInteger(h) && h >= 1 && h <= 254 ? h : undefined;
  }
}
