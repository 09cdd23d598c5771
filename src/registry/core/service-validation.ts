// ValidateService / ValidateServiceUpdate of pkg/apis/core/validation.
import type { FieldError } from '../../apimachinery/errors.ts';
import type { KObject } from '../../apimachinery/types.ts';
import {
  duplicate, forbidden, invalid, isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, notSupported, required, validateLabels,
} from '../../apimachinery/validation.ts';
import { isIPv4 } from './ip-allocator.ts';
import { isValidPortName, isValidPortNum, PORT_RANGE_MSG } from './pod-spec-validation.ts';

type Obj = Record<string, any>;

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const SESSION_AFFINITIES = ['ClientIP', 'None'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const TRAFFIC_POLICIES = ['Cluster', 'Local'];
const IP_FAMILY_POLICIES = ['SingleStack', 'PreferDualStack', 'RequireDualStack'];
const IP_MSG = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';

export function isHeadlessService(spec: Obj): boolean {
  return spec.clusterIP === 'None';
}

export function needsClusterIP(spec: Obj): boolean {
  return spec.type !== 'ExternalName';
}

export function needsNodePorts(spec: Obj): boolean {
  return spec.type === 'NodePort' || (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false);
}

function validatePortNumOrName(port: unknown, field: string): FieldError[] {
  if (typeof port === 'number') return isValidPortNum(port) ? [] : invalid(field, port, [PORT_RANGE_MSG]);
  if (typeof port === 'string') {
    if (port === '') return [required(field)];
    return invalid(field, port, isValidPortName(port));
  }
  return [];
}

export function validateService(svc: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const name = svc.metadata.name;
  // Service names are DNS-1035 labels; the generic store already reports names that are not subdomains.
  if (typeof name === 'string' && name && isDNS1123Subdomain(name).length === 0) {
    errs.push(...invalid('metadata.name', name, isDNS1035Label(name)));
  }
  const spec = (svc.spec as Obj) ?? {};
  const ports: Obj[] = Array.isArray(spec.ports) ? spec.ports : [];
  if (ports.length === 0 && !isHeadlessService(spec) && spec.type !== 'ExternalName') errs.push(required('spec.ports'));

  if (spec.type === 'ExternalName') {
    if (spec.clusterIP) errs.push(forbidden('spec.clusterIP', 'may not be set for ExternalName services'));
    const cname = typeof spec.externalName === 'string' ? spec.externalName.replace(/\.$/, '') : '';
    if (cname) errs.push(...invalid('spec.externalName', cname, isDNS1123Subdomain(cname)));
    else errs.push(required('spec.externalName'));
  }

  const names = new Set<string>();
  ports.forEach((p, i) => {
    const path = `spec.ports[${i}]`;
    if (typeof p !== 'object' || p === null) return;
    if (ports.length > 1 && !p.name) errs.push(required(`${path}.name`));
    else if (p.name) {
      errs.push(...invalid(`${path}.name`, p.name, isDNS1123Label(p.name)));
      if (names.has(p.name)) errs.push(duplicate(`${path}.name`, p.name));
      names.add(p.name);
    }
    if (!isValidPortNum(p.port)) errs.push(...invalid(`${path}.port`, p.port ?? 0, [PORT_RANGE_MSG]));
    if (!p.protocol) errs.push(required(`${path}.protocol`));
    else if (!PROTOCOLS.includes(p.protocol)) errs.push(notSupported(`${path}.protocol`, p.protocol, PROTOCOLS));
    errs.push(...validatePortNumOrName(p.targetPort, `${path}.targetPort`));
    if (p.nodePort !== undefined && p.nodePort !== 0 && spec.type === 'ClusterIP') {
      errs.push(forbidden(`${path}.nodePort`, "may not be used when `type` is 'ClusterIP'"));
    }
  });

  if (spec.selector !== undefined) errs.push(...validateLabels(spec.selector, 'spec.selector'));
  if (!spec.sessionAffinity) errs.push(required('spec.sessionAffinity'));
  else if (!SESSION_AFFINITIES.includes(spec.sessionAffinity)) errs.push(notSupported('spec.sessionAffinity', spec.sessionAffinity, SESSION_AFFINITIES));
  if (spec.sessionAffinity === 'ClientIP') {
    const t = spec.sessionAffinityConfig?.clientIP?.timeoutSeconds;
    if (typeof t === 'number' && (t <= 0 || t > 86400)) {
      errs.push(...invalid('spec.sessionAffinityConfig.clientIP.timeoutSeconds', t, ['must be greater than 0 and less than 86400']));
    }
  }
  if (!spec.type) errs.push(required('spec.type'));
  else if (!SERVICE_TYPES.includes(spec.type)) errs.push(notSupported('spec.type', spec.type, SERVICE_TYPES));

  if (spec.clusterIP && spec.clusterIP !== 'None' && !isIPv4(spec.clusterIP)) {
    errs.push(...invalid('spec.clusterIPs[0]', spec.clusterIP, [IP_MSG]));
  }
  if (Array.isArray(spec.externalIPs)) {
    spec.externalIPs.forEach((ip: unknown, i: number) => {
      if (typeof ip !== 'string' || !isIPv4(ip)) errs.push(...invalid(`spec.externalIPs[${i}]`, ip, [IP_MSG]));
    });
  }
  if (spec.externalTrafficPolicy !== undefined && spec.externalTrafficPolicy !== '') {
    if (spec.type !== 'NodePort' && spec.type !== 'LoadBalancer') {
      errs.push(...invalid('spec.externalTrafficPolicy', spec.externalTrafficPolicy, ['may only be set when `type` is \'NodePort\' or \'LoadBalancer\'']));
    } else if (!TRAFFIC_POLICIES.includes(spec.externalTrafficPolicy)) {
      errs.push(notSupported('spec.externalTrafficPolicy', spec.externalTrafficPolicy, TRAFFIC_POLICIES));
    }
  }
  if (spec.internalTrafficPolicy !== undefined && !TRAFFIC_POLICIES.includes(spec.internalTrafficPolicy) && spec.type !== 'ExternalName') {
    errs.push(notSupported('spec.internalTrafficPolicy', spec.internalTrafficPolicy, TRAFFIC_POLICIES));
  }
  if (spec.ipFamilyPolicy !== undefined && spec.ipFamilyPolicy !== null && !IP_FAMILY_POLICIES.includes(spec.ipFamilyPolicy)) {
    errs.push(notSupported('spec.ipFamilyPolicy', spec.ipFamilyPolicy, IP_FAMILY_POLICIES));
  }

  // Duplicate (protocol, port) pairs and node ports.
  const seen = new Set<string>();
  const nodePorts = new Map<number, string>();
  ports.forEach((p, i) => {
    if (typeof p !== 'object' || p === null) return;
    const key = `${p.protocol}/${p.port}`;
    if (seen.has(key)) errs.push(duplicate(`spec.ports[${i}]`, { port: p.port, protocol: p.protocol }));
    seen.add(key);
    if (typeof p.nodePort === 'number' && p.nodePort !== 0) {
      const prev = nodePorts.get(p.nodePort);
      if (prev === p.protocol) errs.push(duplicate(`spec.ports[${i}].nodePort`, p.nodePort));
      nodePorts.set(p.nodePort, p.protocol);
    }
  });
  return errs;
}

export function validateServiceUpdate(svc: KObject, old: KObject): FieldError[] {
  const spec = (svc.spec as Obj) ?? {};
  const oldSpec = (old.spec as Obj) ?? {};
  const errs: FieldError[] = [];
  if (needsClusterIP(oldSpec) && needsClusterIP(spec) && oldSpec.clusterIP) {
    const newIPs = Array.isArray(spec.clusterIPs) && spec.clusterIPs.length > 0 ? spec.clusterIPs : (spec.clusterIP ? [spec.clusterIP] : []);
    if (newIPs.length === 0) errs.push(...invalid('spec.clusterIPs[0]', newIPs, ['primary clusterIP can not be unset']));
    else if (newIPs[0] !== oldSpec.clusterIP || (spec.clusterIP && spec.clusterIP !== oldSpec.clusterIP)) {
      errs.push(...invalid('spec.clusterIPs[0]', spec.clusterIP ? [spec.clusterIP] : newIPs, ['may not change once set']));
    }
  }
  return errs;
}
