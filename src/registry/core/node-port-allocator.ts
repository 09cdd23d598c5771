// The NodePort allocator (pkg/registry/core/service/portallocator) over --service-node-port-range
// (default 30000-32767). In memory like the IP allocator: markUsed() at start, release() on delete.
import { AllocationError, allocateDynamic } from './range-allocation.ts';

export class NodePortAllocator {
  private min = 30000;
  private max = 32767;
  private used = new Set<number>();

  constructor(range = '30000-32767', private readonly random: () => number = Math.random) {
    this.configure(range);
  }

  configure(range: string): void {
    const m = /^(\d+)-(\d+)$/.exec(range);
    if (!m || Number(m[1]) > Number(m[2])) throw new Error(`invalid node port range ${range}`);
    this.min = Number(m[1]);
    this.max = Number(m[2]);
    this.used.clear();
  }

  get range(): string { return `${this.min}-${this.max}`; }

  contains(port: number): boolean { return port >= this.min && port <= this.max; }

  isAllocated(port: number): boolean { return this.used.has(port); }

  allocate(port?: number): number {
    if (port !== undefined) {
      if (!this.contains(port)) {
        throw new AllocationError(`provided port is not in the valid range. The range of valid ports is ${this.range}`);
      }
      if (this.used.has(port)) throw new AllocationError('provided port is already allocated');
      this.used.add(port);
      return port;
    }
    return allocateDynamic(this.used, this.min, this.max - this.min + 1, 128, this.random);
  }

  release(port: number): void { this.used.delete(port); }

  markUsed(port: number): void { if (this.contains(port)) this.used.add(port); }
}

export const nodePortAllocator = new NodePortAllocator();

export function configureNodePortRange(range: string): void {
  nodePortAllocator.configure(range);
}
