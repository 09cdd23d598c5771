// A cluster CIDR cut into equal node subnets (upstream pkg/controller/nodeipam/ipam/cidrset), IPv4:
// the next free subnet after the last one handed out, so a released subnet is not reused at once.
export class CidrSet {
  private readonly base: number;
  private readonly count: number;
  private readonly subnetSize: number;
  private readonly used = new Set<number>();
  private next = 0;

  constructor(readonly clusterCIDR: string, readonly nodeMaskSize: number) {
    const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(clusterCIDR);
    if (!m) throw new Error(`invalid --cluster-cidr ${JSON.stringify(clusterCIDR)}: an IPv4 CIDR is required`);
    const prefix = Number(m[5]);
    if (nodeMaskSize < prefix || nodeMaskSize > 30) {
      throw new Error(`--node-cidr-mask-size ${nodeMaskSize} must be between the cluster CIDR's prefix (${prefix}) and 30`);
    }
    const ip = ((Number(m[1]) << 24) | (Number(m[2]) << 16) | (Number(m[3]) << 8) | Number(m[4])) >>> 0;
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    this.base = (ip & mask) >>> 0;
    this.count = 2 ** (nodeMaskSize - prefix);
    this.subnetSize = 2 ** (32 - nodeMaskSize);
  }

  /** Marks a subnet as used (a node that already has it); false when it is not one of this set's subnets. */
  occupy(cidr: string): boolean {
    const i = this.indexOf(cidr);
    if (i === undefined) return false;
    this.used.add(i);
    return true;
  }

  release(cidr: string): void {
    const i = this.indexOf(cidr);
    if (i !== undefined) this.used.delete(i);
  }

  /** The next free subnet, or undefined when the cluster CIDR is full. */
  allocateNext(): string | undefined {
    for (let k = 0; k < this.count; k++) {
      const i = (this.next + k) % this.count;
      if (this.used.has(i)) continue;
      this.used.add(i);
      this.next = (i + 1) % this.count;
      return this.cidrAt(i);
    }
    return undefined;
  }

  private cidrAt(i: number): string {
    const ip = (this.base + i * this.subnetSize) >>> 0;
    return `${ip >>> 24}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}/${this.nodeMaskSize}`;
  }

  private indexOf(cidr: string): number | undefined {
    const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
    if (!m || Number(m[5]) !== this.nodeMaskSize) return undefined;
    const ip = ((Number(m[1]) << 24) | (Number(m[2]) << 16) | (Number(m[3]) << 8) | Number(m[4])) >>> 0;
    const offset = ip - this.base;
    if (offset < 0 || offset % this.subnetSize !== 0) return undefined;
    const i = offset / this.subnetSize;
    return i < this.count ? i : undefined;
  }
}
