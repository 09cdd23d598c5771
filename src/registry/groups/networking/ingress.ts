// networking.k8s.io/v1 Ingress: ValidateIngress (the rules users trip over) and printIngress.
import type { FieldError } from '../../../apimachinery/errors.ts';
import type { KObject } from '../../../apimachinery/types.ts';
import { invalid, isDNS1123Subdomain, notSupported, required } from '../../../apimachinery/validation.ts';
import { defineResource } from '../../define-resource.ts';
import { column, defineTable, spec, status } from '../common/printers.ts';
import { statusReset } from '../common/status-reset.ts';

type Obj = Record<string, any>;

const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];

function validateBackend(b: Obj | undefined, field: string): FieldError[] {
  if (!b) return [];
  const errs: FieldError[] = [];
  if (b.service && b.resource) errs.push({ type: 'FieldValueInvalid', field, badValue: '', detail: 'cannot set both resource and service backends' });
  else if (!b.service && !b.resource) errs.push({ type: 'FieldValueInvalid', field, badValue: '', detail: 'resource or service backend is required' });
  if (b.service) {
    if (!b.service.name) errs.push(required(`${field}.service.name`));
    const port = (b.service.port ?? {}) as Obj;
    const hasName = typeof port.name === 'string' && port.name !== '';
    const hasNumber = typeof port.number === 'number' && port.number !== 0;
    if (hasName && hasNumber) errs.push({ type: 'FieldValueInvalid', field: `${field}.service.port`, badValue: port, detail: 'cannot set both port name & port number' });
    else if (!hasName && !hasNumber) errs.push({ type: 'FieldValueInvalid', field: `${field}.service.port`, badValue: port, detail: 'port name or number is required' });
    else if (hasNumber && (port.number < 1 || port.number > 65535)) {
      errs.push({ type: 'FieldValueInvalid', field: `${field}.service.port.number`, badValue: port.number, detail: 'must be between 1 and 65535, inclusive' });
    }
  }
  return errs;
}

export function validateIngressSpec(obj: KObject): FieldError[] {
  const s = spec(obj);
  const errs: FieldError[] = [];
  const rules = (Array.isArray(s.rules) ? s.rules : []) as Obj[];
  if (rules.length === 0 && !s.defaultBackend) {
    errs.push({ type: 'FieldValueInvalid', field: 'spec.rules', badValue: 'spec.rules', detail: 'either `defaultBackend` or `rules` must be specified' });
  }
  errs.push(...validateBackend(s.defaultBackend, 'spec.defaultBackend'));
  rules.forEach((rule, i) => {
    const p = `spec.rules[${i}]`;
    if (rule?.host) {
      const host = String(rule.host);
      const bare = host.startsWith('*.') ? host.slice(2) : host;
      if (/^[0-9.]+$/.test(host)) errs.push({ type: 'FieldValueInvalid', field: `${p}.host`, badValue: host, detail: 'must be a DNS name, not an IP address' });
      else errs.push(...invalid(`${p}.host`, host, isDNS1123Subdomain(bare)));
    }
    const paths = (Array.isArray(rule?.http?.paths) ? rule.http.paths : []) as Obj[];
    if (rule?.http && paths.length === 0) errs.push(required(`${p}.http.paths`));
    paths.forEach((path, j) => {
      const pp = `${p}.http.paths[${j}]`;
      if (!path?.pathType) errs.push(required(`${pp}.pathType`, 'pathType must be specified'));
      else if (!PATH_TYPES.includes(path.pathType)) errs.push(notSupported(`${pp}.pathType`, path.pathType, PATH_TYPES));
      else if ((path.pathType === 'Exact' || path.pathType === 'Prefix') && !String(path.path ?? '').startsWith('/')) {
        errs.push({ type: 'FieldValueInvalid', field: `${pp}.path`, badValue: path.path ?? '', detail: "must be an absolute path" });
      }
      if (!path?.backend) errs.push(required(`${pp}.backend`));
      else errs.push(...validateBackend(path.backend, `${pp}.backend`));
    });
  });
  const tls = (Array.isArray(s.tls) ? s.tls : []) as Obj[];
  tls.forEach((t, i) => {
    for (const [j, h] of ((t?.hosts ?? []) as string[]).entries()) {
      const bare = h.startsWith('*.') ? h.slice(2) : h;
      errs.push(...invalid(`spec.tls[${i}].hosts[${j}]`, h, isDNS1123Subdomain(bare)));
    }
  });
  if (s.ingressClassName !== undefined && s.ingressClassName !== null) {
    errs.push(...invalid('spec.ingressClassName', s.ingressClassName, isDNS1123Subdomain(String(s.ingressClassName))));
  }
  return errs;
}

/** formatHosts: up to three hosts, "*" when there are none. */
function formatHosts(rules: unknown): string {
  const list = (Array.isArray(rules) ? rules : []) as Obj[];
  const hosts = list.slice(0, 3).map((r) => r?.host).filter((h): h is string => typeof h === 'string' && h !== '');
  if (hosts.length === 0) return '*';
  return list.length > 3 ? `${hosts.join(',')} + ${list.length - 3} more...` : hosts.join(',');
}

/** ingressLoadBalancerStatusStringer (wide): distinct IPs or hostnames. */
export function loadBalancerAddresses(lb: unknown): string {
  const ingress = (((lb ?? {}) as Obj).ingress ?? []) as Obj[];
  const seen = new Set<string>();
  for (const i of ingress) {
    if (i?.ip) seen.add(i.ip);
    else if (i?.hostname) seen.add(i.hostname);
  }
  return [...seen].join(',');
}

export const ingressTable = defineTable({
  columns: [
    column('Class', 'string', 'The name of the IngressClass resource that should be used for additional configuration'),
    column('Hosts', 'string', 'Hosts that incoming requests are matched against before the ingress rule'),
    column('Address', 'string', 'Address is a list containing ingress points for the load-balancer'),
    column('Ports', 'string', 'Ports of TLS configurations that open'),
  ],
  cells(obj) {
    const s = spec(obj);
    const ports = Array.isArray(s.tls) && s.tls.length > 0 ? '80, 443' : '80';
    return [s.ingressClassName ?? '<none>', formatHosts(s.rules), loadBalancerAddresses(status(obj).loadBalancer), ports];
  },
});

export const ingresses = defineResource({
  apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', namespaced: true, shortNames: ['ing'],
  subresources: { status: true },
  strategy: {
    // IngressStatus.loadBalancer has no omitempty upstream.
    ...statusReset({ loadBalancer: {} }),
    validate: (obj) => validateIngressSpec(obj),
  },
  table: ingressTable,
});
