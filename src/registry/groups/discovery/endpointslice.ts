// discovery.k8s.io/v1 EndpointSlice: ValidateEndpointSlice (the essentials) and printEndpointSlice.
import type { FieldError } from '../../../apimachinery/errors.ts';
import { immutable, notSupported, required } from '../../../apimachinery/validation.ts';
import { defineResource } from '../../define-resource.ts';
import { defineTable, fieldColumns } from '../common/printers.ts';

type Obj = Record<string, any>;

const ADDRESS_TYPES = ['IPv4', 'IPv6', 'FQDN'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const MAX_ENDPOINTS = 1000;
const MAX_ADDRESSES = 100;

/** listWithMoreString: at most three items, then "+ N more...", "<unset>" when empty. */
function listWithMore(items: string[]): string {
  const max = 3;
  if (items.length > max) return `${items.slice(0, max).join(',')} + ${items.length - max} more...`;
  return items.length === 0 ? '<unset>' : items.join(',');
}

export function formatDiscoveryPorts(ports: unknown): string {
  const list = (Array.isArray(ports) ? ports : []) as Obj[];
  return listWithMore(list.map((p) => (typeof p?.port === 'number' ? String(p.port) : p?.name != null ? String(p.name) : '*')));
}

export function formatDiscoveryEndpoints(endpoints: unknown): string {
  const list = (Array.isArray(endpoints) ? endpoints : []) as Obj[];
  return listWithMore(list.flatMap((e) => (Array.isArray(e?.addresses) ? (e.addresses as string[]) : [])));
}

function validateEndpointSlice(obj: Obj): FieldError[] {
  const errs: FieldError[] = [];
  if (!obj.addressType) errs.push(required('addressType'));
  else if (!ADDRESS_TYPES.includes(obj.addressType)) errs.push(notSupported('addressType', obj.addressType, ADDRESS_TYPES));
  const endpoints = (Array.isArray(obj.endpoints) ? obj.endpoints : []) as Obj[];
  if (endpoints.length > MAX_ENDPOINTS) errs.push({ type: 'FieldValueTooMany', field: 'endpoints', detail: `must have at most ${MAX_ENDPOINTS} items` });
  endpoints.forEach((e, i) => {
    const addrs = Array.isArray(e?.addresses) ? e.addresses : [];
    if (addrs.length === 0) errs.push(required(`endpoints[${i}].addresses`, 'must contain at least 1 address'));
    else if (addrs.length > MAX_ADDRESSES) errs.push({ type: 'FieldValueTooMany', field: `endpoints[${i}].addresses`, detail: `must have at most ${MAX_ADDRESSES} items` });
  });
  const ports = (Array.isArray(obj.ports) ? obj.ports : []) as Obj[];
  ports.forEach((p, i) => {
    if (p?.protocol !== undefined && !PROTOCOLS.includes(p.protocol)) errs.push(notSupported(`ports[${i}].protocol`, p.protocol, PROTOCOLS));
  });
  return errs;
}

export const endpointSliceTable = defineTable({
  columns: fieldColumns('V1EndpointSlice', 'string', { AddressType: 'addressType', Ports: 'ports', Endpoints: 'endpoints' }),
  cells: (obj) => [obj.addressType ?? '', formatDiscoveryPorts(obj.ports), formatDiscoveryEndpoints(obj.endpoints)],
});

export const endpointslices = defineResource({
  apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', namespaced: true,
  strategy: {
    defaults(obj) {
      // SetDefaults_EndpointPort: name "" and protocol TCP.
      for (const p of (Array.isArray(obj.ports) ? obj.ports : []) as Obj[]) if (p && typeof p === 'object') { p.name ??= ''; p.protocol ??= 'TCP'; }
    },
    validate: (obj) => validateEndpointSlice(obj),
    validateUpdate: (obj, old) => immutable(obj.addressType, old.addressType, 'addressType'),
  },
  table: endpointSliceTable,
});
