// Service links (upstream pkg/kubelet/envvars and getServiceEnvVarMap): FOO_SERVICE_HOST,
// FOO_SERVICE_PORT[_NAME] and the Docker-link style FOO_PORT_80_TCP… for the services of the pod's
// namespace (when enableServiceLinks is not false) and always for "kubernetes" in default.
import type { KObject } from '../../apimachinery/types.ts';
import type { KeyValue } from '../runtime/runtime-service.ts';

interface ServicePort { name?: string; port: number; protocol?: string }
interface ServiceSpec { clusterIP?: string; ports?: ServicePort[] }

const MASTER_SERVICES = new Set(['kubernetes']);

function isServiceIPSet(svc: KObject): boolean {
  const ip = (svc.spec as ServiceSpec | undefined)?.clusterIP;
  return !!ip && ip !== 'None';
}

function envName(s: string): string {
  return s.replaceAll('-', '_').toUpperCase();
}

function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** The services whose variables a pod in namespace sees (a later service of the same name wins in its namespace). */
export function servicesForPod(services: readonly KObject[], namespace: string, enableServiceLinks: boolean): KObject[] {
  const byName = new Map<string, KObject>();
  for (const svc of services) {
    if (!isServiceIPSet(svc)) continue;
    const name = svc.metadata.name ?? '';
    if (svc.metadata.namespace === 'default' && MASTER_SERVICES.has(name)) {
      if (!byName.has(name)) byName.set(name, svc);
    } else if (svc.metadata.namespace === namespace && enableServiceLinks) {
      byName.set(name, svc);
    }
  }
  return [...byName.values()];
}

/** envvars.FromServices: the variables of each service, in service order. */
export function serviceEnvironment(services: readonly KObject[]): KeyValue[] {
  const out: KeyValue[] = [];
  for (const svc of services) {
    if (!isServiceIPSet(svc)) continue;
    const spec = svc.spec as ServiceSpec;
    const ports = spec.ports ?? [];
    if (ports.length === 0) continue;
    const ip = spec.clusterIP!;
    const prefix = envName(svc.metadata.name ?? '');
    out.push({ key: `${prefix}_SERVICE_HOST`, value: ip });
    out.push({ key: `${prefix}_SERVICE_PORT`, value: String(ports[0]!.port) });
    for (const p of ports) if (p.name) out.push({ key: `${prefix}_SERVICE_PORT_${envName(p.name)}`, value: String(p.port) });
    ports.forEach((p, i) => {
      const proto = (p.protocol || 'TCP');
      const url = `${proto.toLowerCase()}://${joinHostPort(ip, p.port)}`;
      if (i === 0) out.push({ key: `${prefix}_PORT`, value: url });
      const pp = `${prefix}_PORT_${p.port}_${proto.toUpperCase()}`;
      out.push({ key: pp, value: url }, { key: `${pp}_PROTO`, value: proto.toLowerCase() },
        { key: `${pp}_PORT`, value: String(p.port) }, { key: `${pp}_ADDR`, value: ip });
    });
  }
  return out;
}
