// The names and addresses the serving certificate must cover: every way a client (kubectl on this
// host, a pod through the kubernetes service) may address the API server.
import { hostname } from 'node:os';
import { isIP } from 'node:net';

export interface SubjectAltNames {
  dnsNames: string[];
  ipAddresses: string[];
}

export function servingCertificateSANs(bindAddress: string, serviceClusterIPRange: string): SubjectAltNames {
  const dnsNames = unique([
    'localhost', hostname().toLowerCase(),
    'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local',
  ].filter((n) => n !== '' && isIP(n) === 0));
  const ipAddresses = unique(['127.0.0.1', '::1', firstServiceIP(serviceClusterIPRange), bindAddress]
    .filter((ip) => isIP(ip) !== 0 && !isUnspecified(ip)));
  return { dnsNames, ipAddresses };
}

/** The first usable address of the service CIDR (10.96.0.0/12 → 10.96.0.1): the kubernetes service's ClusterIP. */
export function firstServiceIP(cidr: string): string {
  const [ip, bitsText] = cidr.split('/');
  const family = isIP(ip ?? '');
  if (family === 0 || bitsText === undefined) throw new Error(`invalid CIDR address: ${cidr}`);
  const width = family === 4 ? 32 : 128;
  const bits = BigInt(bitsText);
  const mask = ((1n << BigInt(width)) - 1n) ^ ((1n << (BigInt(width) - bits)) - 1n);
  const network = ipToBigInt(ip!, family) & mask;
  return bigIntToIP(network + 1n, family);
}

function isUnspecified(ip: string): boolean {
  return ip === '0.0.0.0' || ip === '::';
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function ipToBigInt(ip: string, family: number): bigint {
  if (family === 4) return ip.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
  const [head, tail] = ip.includes('::') ? ip.split('::') : [ip, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

function bigIntToIP(n: bigint, family: number): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 255n)).join('.');
  const groups: string[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) groups.push(((n >> s) & 0xffffn).toString(16));
  return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::').replace(/^:::/, '::').replace(/:::$/, '::');
}
