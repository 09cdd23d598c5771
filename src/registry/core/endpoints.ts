// endpoints: the addresses behind a Service, written by the endpoints controller.
import type { FieldError } from '../../apimachinery/errors.ts';
import type { KObject } from '../../apimachinery/types.ts';
import { invalid, isDNS1123Label, notSupported, required } from '../../apimachinery/validation.ts';
import { defineResource } from '../define-resource.ts';
import { isIPv4 } from './ip-allocator.ts';
import { isValidPortNum, PORT_RANGE_MSG } from './pod-spec-validation.ts';
import { column, defineTable } from '../groups/common/printers.ts';
import { swaggerDoc } from '../groups/common/swagger-doc.ts';

type Obj = Record<string, any>;
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const IP_MSG = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';

function validateEndpoints(ep: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const subsets: Obj[] = Array.isArray(ep.subsets) ? ep.subsets : [];
  subsets.forEach((ss, i) => {
    const p = `subsets[${i}]`;
    const addresses: Obj[] = Array.isArray(ss?.addresses) ? ss.addresses : [];
    const notReady: Obj[] = Array.isArray(ss?.notReadyAddresses) ? ss.notReadyAddresses : [];
    if (addresses.length === 0 && notReady.length === 0) {
      errs.push(required(p, 'must specify `addresses` or `notReadyAddresses`'));
    }
    for (const [list, name] of [[addresses, 'addresses'], [notReady, 'notReadyAddresses']] as const) {
      list.forEach((a, j) => {
        if (!a?.ip || !isIPv4(a.ip)) errs.push(...invalid(`${p}.${name}[${j}].ip`, a?.ip ?? '', [IP_MSG]));
      });
    }
    const ports: Obj[] = Array.isArray(ss?.ports) ? ss.ports : [];
    ports.forEach((port, j) => {
      const pp = `${p}.ports[${j}]`;
      if (ports.length > 1 && !port?.name) errs.push(required(`${pp}.name`));
      else if (port?.name) errs.push(...invalid(`${pp}.name`, port.name, isDNS1123Label(port.name)));
      if (!isValidPortNum(port?.port)) errs.push(...invalid(`${pp}.port`, port?.port ?? 0, [PORT_RANGE_MSG]));
      if (!port?.protocol) errs.push(required(`${pp}.protocol`));
      else if (!PROTOCOLS.includes(port.protocol)) errs.push(notSupported(`${pp}.protocol`, port.protocol, PROTOCOLS));
    });
  });
  return errs;
}

/** formatEndpoints: up to three "ip:port" entries, then " + N more...". */
export function formatEndpoints(ep: KObject): string {
  const subsets: Obj[] = Array.isArray(ep.subsets) ? ep.subsets : [];
  if (subsets.length === 0) return '<none>';
  const list: string[] = [];
  const max = 3;
  let more = false;
  let count = 0;
  for (const ss of subsets) {
    const addresses: Obj[] = Array.isArray(ss?.addresses) ? ss.addresses : [];
    const ports: Obj[] = Array.isArray(ss?.ports) ? ss.ports : [];
    if (ports.length === 0) {
      count += addresses.length;
      for (const a of addresses) {
        if (list.length === max) { more = true; break; }
        list.push(a.ip);
      }
      continue;
    }
    for (const port of ports) {
      count += addresses.length;
      for (const a of addresses) {
        if (list.length === max) { more = true; break; }
        list.push(String(a.ip).includes(':') ? `[${a.ip}]:${port.port}` : `${a.ip}:${port.port}`);
      }
    }
  }
  const ret = list.join(',');
  return more ? `${ret} + ${count - max} more...` : ret;
}

export const endpointsResource = defineResource({
  apiVersion: 'v1', kind: 'Endpoints', namespaced: true, shortNames: ['ep'],
  // The kind is already plural.
  resource: 'endpoints',
  strategy: {
    defaults(ep) {
      for (const ss of Array.isArray(ep.subsets) ? ep.subsets : []) {
        for (const p of Array.isArray(ss?.ports) ? ss.ports : []) if (p && !p.protocol) p.protocol = 'TCP';
      }
    },
    validate: validateEndpoints,
    allowCreateOnUpdate: true,
  },
  table: defineTable({
    columns: [column('Endpoints', 'string', swaggerDoc('V1Endpoints', 'subsets'))],
    cells: (ep) => [formatEndpoints(ep)],
  }),
});
