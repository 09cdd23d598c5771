// networking.k8s.io/v1 NetworkPolicy: SetDefaults_NetworkPolicy, ValidateNetworkPolicy (essentials)
// and printNetworkPolicy.
import type { FieldError } from '../../../apimachinery/errors.ts';
import type { KObject } from '../../../apimachinery/types.ts';
import { notSupported } from '../../../apimachinery/validation.ts';
import { defineResource } from '../../define-resource.ts';
import { validateLabelSelector } from '../common/label-selector-validation.ts';
import { column, defineTable, spec } from '../common/printers.ts';
import { formatLabelSelector } from '../common/selectors.ts';
import { swaggerDoc } from '../common/swagger-doc.ts';

type Obj = Record<string, any>;

const POLICY_TYPES = ['Ingress', 'Egress'];
const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];

export function defaultNetworkPolicy(obj: KObject): void {
  const s = (obj.spec ??= {}) as Obj;
  for (const dir of ['ingress', 'egress']) {
    for (const rule of (Array.isArray(s[dir]) ? s[dir] : []) as Obj[]) {
      for (const p of (Array.isArray(rule?.ports) ? rule.ports : []) as Obj[]) if (p && typeof p === 'object') p.protocol ??= 'TCP';
    }
  }
  if (!Array.isArray(s.policyTypes) || s.policyTypes.length === 0) {
    // Any policy that does not specify policyTypes implies at least "Ingress".
    s.policyTypes = ['Ingress'];
    if (Array.isArray(s.egress) && s.egress.length > 0) s.policyTypes.push('Egress');
  }
}

function validatePeers(peers: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  ((Array.isArray(peers) ? peers : []) as Obj[]).forEach((peer, i) => {
    const p = `${field}[${i}]`;
    const n = ['podSelector', 'namespaceSelector', 'ipBlock'].filter((k) => peer?.[k] != null).length;
    if (n === 0) errs.push({ type: 'FieldValueRequired', field: p, detail: 'must specify a peer' });
    else if (peer.ipBlock && n > 1) errs.push({ type: 'FieldValueForbidden', field: p, detail: 'may not specify more than 1 peer' });
    errs.push(...validateLabelSelector(peer?.podSelector, `${p}.podSelector`));
    errs.push(...validateLabelSelector(peer?.namespaceSelector, `${p}.namespaceSelector`));
    if (peer?.ipBlock && !peer.ipBlock.cidr) errs.push({ type: 'FieldValueRequired', field: `${p}.ipBlock.cidr` });
  });
  return errs;
}

function validateNetworkPolicySpec(s: Obj): FieldError[] {
  const errs = validateLabelSelector(s.podSelector, 'spec.podSelector');
  for (const [dir, peersKey] of [['ingress', 'from'], ['egress', 'to']] as const) {
    ((Array.isArray(s[dir]) ? s[dir] : []) as Obj[]).forEach((rule, i) => {
      ((Array.isArray(rule?.ports) ? rule.ports : []) as Obj[]).forEach((port, j) => {
        if (port?.protocol !== undefined && !PROTOCOLS.includes(port.protocol)) errs.push(notSupported(`spec.${dir}[${i}].ports[${j}].protocol`, port.protocol, PROTOCOLS));
      });
      errs.push(...validatePeers(rule?.[peersKey], `spec.${dir}[${i}].${peersKey}`));
    });
  }
  const types = (Array.isArray(s.policyTypes) ? s.policyTypes : []) as string[];
  types.forEach((t, i) => {
    if (!POLICY_TYPES.includes(t)) errs.push(notSupported(`spec.policyTypes[${i}]`, t, POLICY_TYPES));
  });
  if (types.length > POLICY_TYPES.length) errs.push({ type: 'FieldValueInvalid', field: 'spec.policyTypes', badValue: types, detail: 'may not specify more than two policyTypes' });
  return errs;
}

export const networkpolicies = defineResource({
  apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', namespaced: true, shortNames: ['netpol'],
  strategy: { defaults: defaultNetworkPolicy, validate: (obj) => validateNetworkPolicySpec(spec(obj)) },
  table: defineTable({
    columns: [column('Pod-Selector', 'string', swaggerDoc('V1NetworkPolicySpec', 'podSelector'))],
    cells: (obj) => [formatLabelSelector(spec(obj).podSelector ?? {})],
  }),
});
