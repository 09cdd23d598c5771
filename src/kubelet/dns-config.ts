// A pod's DNS settings for its sandbox (pkg/kubelet/network/dns): ClusterFirst uses the cluster DNS
// service when the kubelet knows one, else — as upstream with no --cluster-dns — falls back to the
// host's resolv.conf with a MissingClusterDNS warning; Default (and ClusterFirst on hostNetwork)
// uses the host's; None only spec.dnsConfig, which is always appended.
import { readFile } from 'node:fs/promises';
import type { DNSConfig } from './runtime/runtime-service.ts';

type Obj = Record<string, any>;

export const MAX_DNS_NAMESERVERS = 3;
export const MAX_DNS_SEARCH_PATHS = 32;
export const MAX_DNS_SEARCH_LIST_CHARS = 2048;
const CLUSTER_DNS_OPTIONS = ['ndots:5'];

/** The resolv.conf the kubelet reads by default; systemd-resolved's stub is skipped for the real one. */
export const DEFAULT_RESOLV_CONF = '/etc/resolv.conf';
const SYSTEMD_RESOLV_CONF = '/run/systemd/resolve/resolv.conf';

export function parseResolvConf(content: string): DNSConfig {
  const cfg: DNSConfig = { servers: [], searches: [], options: [] };
  for (const raw of content.split('\n')) {
    const line = raw.replace(/[#;].*$/, '').trim();
    if (!line) continue;
    const [key, ...fields] = line.split(/\s+/);
    if (key === 'nameserver' && fields[0]) cfg.servers.push(fields[0]);
    else if (key === 'search') cfg.searches = fields.filter((f) => f !== '.');
    else if (key === 'options') cfg.options.push(...fields);
  }
  return cfg;
}

/** The host's resolver settings; a loopback-only stub (systemd-resolved) is replaced by its upstream file. */
export async function readHostDNSConfig(path = DEFAULT_RESOLV_CONF): Promise<DNSConfig> {
  let cfg: DNSConfig;
  try {
    cfg = parseResolvConf(await readFile(path, 'utf8'));
  } catch {
    return { servers: [], searches: [], options: [] };
  }
  if (path === DEFAULT_RESOLV_CONF && cfg.servers.length > 0 && cfg.servers.every((s) => s.startsWith('127.'))) {
    try { return parseResolvConf(await readFile(SYSTEMD_RESOLV_CONF, 'utf8')); } catch { /* keep the stub */ }
  }
  return cfg;
}

export interface PodDNSInput {
  host: DNSConfig;
  /** --cluster-dns: the DNS service's IPs; empty when the cluster has none. */
  clusterDNS: string[];
  clusterDomain: string;
}

export interface PodDNSResult {
  config: DNSConfig;
  /** Warnings to record as events on the pod: [reason, message]. */
  warnings: Array<[string, string]>;
}

function omitDuplicates(list: string[]): string[] {
  return [...new Set(list)];
}

/** Options merged by name: a later "ndots:2" replaces an earlier "ndots:5". */
function mergeDNSOptions(existing: string[], extra: Obj[]): string[] {
  const byName = new Map<string, string>();
  for (const o of existing) byName.set(o.split(':')[0]!, o);
  for (const o of extra) {
    if (!o?.name) continue;
    byName.set(o.name, o.value !== undefined && o.value !== null ? `${o.name}:${o.value}` : o.name);
  }
  return [...byName.values()];
}

function podDesc(pod: Obj): string {
  return `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
}

export function podDNSConfig(pod: Obj, input: PodDNSInput): PodDNSResult {
  const warnings: Array<[string, string]> = [];
  const policy = pod.spec?.dnsPolicy ?? 'ClusterFirst';
  const hostNetwork = pod.spec?.hostNetwork === true;
  let type: 'none' | 'cluster' | 'host';
  if (policy === 'None') type = 'none';
  else if (policy === 'ClusterFirstWithHostNet') type = 'cluster';
  else if (policy === 'ClusterFirst' && !hostNetwork) type = 'cluster';
  else type = 'host';

  let cfg: DNSConfig = { servers: [...input.host.servers], searches: [...input.host.searches], options: [...input.host.options] };
  if (type === 'none') cfg = { servers: [], searches: [], options: [] };
  if (type === 'cluster') {
    if (input.clusterDNS.length > 0) {
      const d = input.clusterDomain;
      cfg = {
        servers: [...input.clusterDNS],
        searches: omitDuplicates([`${pod.metadata.namespace}.svc.${d}`, `svc.${d}`, d, ...input.host.searches]),
        options: [...CLUSTER_DNS_OPTIONS],
      };
    } else {
      warnings.push(['MissingClusterDNS', `pod: "${podDesc(pod)}". kubelet does not have ClusterDNS IP configured and cannot create Pod using "ClusterFirst" policy. Falling back to "Default" policy.`]);
    }
  }
  const extra: Obj | undefined = pod.spec?.dnsConfig;
  if (extra) {
    cfg.servers = omitDuplicates([...cfg.servers, ...(extra.nameservers ?? [])]);
    cfg.searches = omitDuplicates([...cfg.searches, ...(extra.searches ?? [])]);
    cfg.options = mergeDNSOptions(cfg.options, extra.options ?? []);
  }
  if (cfg.servers.length > MAX_DNS_NAMESERVERS) {
    cfg.servers = cfg.servers.slice(0, MAX_DNS_NAMESERVERS);
    warnings.push(['DNSConfigForming', `Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: ${cfg.servers.join(' ')}`]);
  }
  let searches = cfg.searches.slice(0, MAX_DNS_SEARCH_PATHS);
  while (searches.join(' ').length > MAX_DNS_SEARCH_LIST_CHARS) searches = searches.slice(0, -1);
  if (searches.length !== cfg.searches.length) {
    warnings.push(['DNSConfigForming', `Search Line limits were exceeded, some search paths have been omitted, the applied search line is: ${searches.join(' ')}`]);
    cfg.searches = searches;
  }
  return { config: cfg, warnings };
}
