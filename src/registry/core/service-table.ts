// printService: TYPE, CLUSTER-IP, EXTERNAL-IP (<none>/<pending>/LB addresses), PORT(S) "80:30080/TCP".
import type { KObject } from '../../apimachinery/types.ts';
import { defineTable, fieldColumns, formatLabels } from '../groups/common/printers.ts';

type Obj = Record<string, any>;

const LOAD_BALANCER_WIDTH = 16;

/** loadBalancerStatusStringer: sorted unique IPs/hostnames; clipped to 16 chars unless wide. */
export function loadBalancerStatusString(status: Obj | undefined, wide: boolean): string {
  const set = new Set<string>();
  for (const ing of Array.isArray(status?.ingress) ? status!.ingress : []) {
    if (ing?.ip) set.add(ing.ip);
    else if (ing?.hostname) set.add(ing.hostname);
  }
  let r = [...set].sort().join(',');
  if (!wide && r.length > LOAD_BALANCER_WIDTH) r = `${r.slice(0, LOAD_BALANCER_WIDTH - 3)}...`;
  return r;
}

/** getServiceExternalIP. The server renders tables with wide=true, as upstream's TableConvertor does. */
export function serviceExternalIP(svc: KObject, wide = true): string {
  const spec: Obj = (svc.spec as Obj) ?? {};
  const externalIPs: string[] = Array.isArray(spec.externalIPs) ? spec.externalIPs : [];
  switch (spec.type) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerStatusString((svc.status as Obj)?.loadBalancer, wide);
      if (externalIPs.length > 0) return [...(lb ? lb.split(',') : []), ...externalIPs].join(',');
      return lb || '<pending>';
    }
    case 'ExternalName':
      return spec.externalName ?? '';
    default:
      return '<unknown>';
  }
}

/** makePortString: "80/TCP", "80:30080/TCP", comma-separated. */
export function makePortString(ports: unknown): string {
  const list: Obj[] = Array.isArray(ports) ? ports : [];
  return list.map((p) => (p.nodePort > 0 ? `${p.port}:${p.nodePort}/${p.protocol}` : `${p.port}/${p.protocol}`)).join(',');
}

export const serviceTable = defineTable({
  columns: fieldColumns('V1ServiceSpec', 'string', { Type: 'type', 'Cluster-IP': 'clusterIP', 'External-IP': 'externalIPs', 'Port(s)': 'ports' }),
  afterAge: fieldColumns('V1ServiceSpec', 'string', { Selector: 'selector' }, 1),
  cells(svc) {
    const spec: Obj = (svc.spec as Obj) ?? {};
    const clusterIP = Array.isArray(spec.clusterIPs) && spec.clusterIPs.length > 0 ? spec.clusterIPs[0] : '<none>';
    return [spec.type ?? '', clusterIP, serviceExternalIP(svc), makePortString(spec.ports) || '<none>', formatLabels(spec.selector)];
  },
});
