// The Service ClusterIP allocator (pkg/registry/core/service/ipallocator): an in-memory bitmap over
// the service CIDR. It has no storage of its own: at start the server calls markUsed() for every
// stored Service's clusterIPs, and release() when a Service is deleted.
import { AllocationError, allocateDynamic } from './range-allocation.ts';

export { AllocationError };

function ipToInt(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    n = n * 256 + Number(p);
  }
  return n;
}

function intToIp(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

export function isIPv4(ip: string): boolean {
  return ipToInt(ip) !== undefined;
}

export class ServiceIPAllocator {
  private base = 0;
  private size = 0;
  private cidr = '';
  private used = new Set<number>();

  constructor(cidr = '10.96.0.0/12', private readonly random: () => number = Math.random) {
    this.configure(cidr);
  }

  /** Set the range (e.g. --service-cluster-ip-range); forgets all allocations. */
  configure(cidr: string): void {
    const [addr, bitsStr] = cidr.split('/');
    const bits = Number(bitsStr);
    const n = ipToInt(addr ?? '');
    if (n === undefined || !Number.isInteger(bits) || bits < 1 || bits > 30) throw new Error(`invalid service CIDR ${cidr}`);
    const size = 2 ** (32 - bits);
    this.base = n - (n % size);
    this.size = size;
    this.cidr = `${intToIp(this.base)}/${bits}`;
    this.used.clear();
  }

  get range(): string { return this.cidr; }

  /** The first usable address, given to the `kubernetes` Service. */
  firstIP(): string { return intToIp(this.base + 1); }

  /** Whether ip is a usable address of the range (network and broadcast addresses are not). */
  contains(ip: string): boolean {
    const n = ipToInt(ip);
    return n !== undefined && n > this.base && n < this.base + this.size - 1;
  }

  isAllocated(ip: string): boolean {
    const n = ipToInt(ip);
    return n !== undefined && this.used.has(n);
  }

  /**
   * Allocate ip, or a free one. Dynamic allocation prefers the upper part of the range, keeping the
   * lower "static band" for addresses users ask for (as upstream since 1.26).
   */
  allocate(ip?: string): string {
    if (ip !== undefined) {
      const n = ipToInt(ip);
      if (n === undefined || !this.contains(ip)) {
        throw new AllocationError(`the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${this.cidr}`);
      }
      if (this.used.has(n)) throw new AllocationError('provided IP is already allocated');
      this.used.add(n);
      return ip;
    }
    return intToIp(allocateDynamic(this.used, this.base + 1, this.size - 2, 256, this.random));
  }

  release(ip: string): void {
    const n = ipToInt(ip);
    if (n !== undefined) this.used.delete(n);
  }

  /** Record an address already held by a stored Service (rebuild at start). Out-of-range IPs are ignored. */
  markUsed(ip: string): void {
    const n = ipToInt(ip);
    if (n !== undefined && this.contains(ip)) this.used.add(n);
  }
}

export const serviceIPAllocator = new ServiceIPAllocator();

export function configureServiceCIDR(cidr: string): void {
  serviceIPAllocator.configure(cidr);
}
