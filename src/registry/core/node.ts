// nodes: cluster-scoped; the kubelet creates its Node with status and keeps /status current.
// Upstream pkg/registry/core/node.
import type { FieldError } from '../../apimachinery/errors.ts';
import type { KObject } from '../../apimachinery/types.ts';
import { duplicate, forbidden, invalid, isQualifiedName, isValidLabelValue, notSupported, required } from '../../apimachinery/validation.ts';
import { defineResource } from '../define-resource.ts';
import { keepStatus, statusStrategyOf } from './status-helpers.ts';
import { column, defineTable, fieldColumns } from '../groups/common/printers.ts';
import { swaggerDoc } from '../groups/common/swagger-doc.ts';

type Obj = Record<string, any>;

const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const LABEL_NODE_ROLE_PREFIX = 'node-role.kubernetes.io/';
const NODE_LABEL_ROLE = 'kubernetes.io/role';

/** SetDefaults_NodeStatus: allocatable defaults to capacity. */
function defaultNode(node: KObject): void {
  const status = node.status as Obj | undefined;
  if (status && status.allocatable === undefined && status.capacity !== undefined) status.allocatable = { ...status.capacity };
}

export function validateTaints(taints: unknown, field: string): FieldError[] {
  if (!Array.isArray(taints)) return [];
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  taints.forEach((t: Obj, i) => {
    const p = `${field}[${i}]`;
    if (!t || typeof t !== 'object') return;
    if (!t.key) errs.push(required(`${p}.key`));
    else errs.push(...invalid(`${p}.key`, t.key, isQualifiedName(t.key)));
    if (t.value) errs.push(...invalid(`${p}.value`, t.value, isValidLabelValue(t.value)));
    if (!t.effect) errs.push(required(`${p}.effect`));
    else if (!TAINT_EFFECTS.includes(t.effect)) errs.push(notSupported(`${p}.effect`, t.effect, TAINT_EFFECTS));
    const key = `${t.key}:${t.effect}`;
    if (seen.has(key)) errs.push({ ...duplicate(p, t), detail: 'taints must be unique by key and effect pair' });
    seen.add(key);
  });
  return errs;
}

function validateNode(node: KObject): FieldError[] {
  const spec: Obj = (node.spec as Obj) ?? {};
  const errs = validateTaints(spec.taints, 'spec.taints');
  if (Array.isArray(spec.podCIDRs)) {
    spec.podCIDRs.forEach((c: unknown, i: number) => {
      if (typeof c !== 'string' || !/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$|:/.test(c)) errs.push(...invalid(`spec.podCIDRs[${i}]`, c, ['must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)']));
    });
  }
  return errs;
}

function validateNodeUpdate(node: KObject, old: KObject): FieldError[] {
  const spec: Obj = (node.spec as Obj) ?? {};
  const oldSpec: Obj = (old.spec as Obj) ?? {};
  const errs: FieldError[] = [];
  const oldCIDRs: string[] = Array.isArray(oldSpec.podCIDRs) ? oldSpec.podCIDRs : [];
  if (oldCIDRs.length > 0 && JSON.stringify(spec.podCIDRs ?? []) !== JSON.stringify(oldCIDRs)) {
    errs.push(forbidden('spec.podCIDRs', 'node updates may not change podCIDR except from "" to valid'));
  }
  if (oldSpec.providerID && spec.providerID !== oldSpec.providerID) {
    errs.push(forbidden('spec.providerID', 'node updates may not change providerID except from "" to valid'));
  }
  return errs;
}

/** findNodeRoles: node-role.kubernetes.io/<role> labels and the kubernetes.io/role label, sorted. */
export function findNodeRoles(node: KObject): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
    if (k.startsWith(LABEL_NODE_ROLE_PREFIX) && k.length > LABEL_NODE_ROLE_PREFIX.length) roles.add(k.slice(LABEL_NODE_ROLE_PREFIX.length));
    else if (k === NODE_LABEL_ROLE && v) roles.add(v);
  }
  return [...roles].sort();
}

/** The STATUS cell: Ready / NotReady / Unknown, plus SchedulingDisabled when cordoned. */
export function nodeStatusCell(node: KObject): string {
  const conditions: Obj[] = Array.isArray((node.status as Obj)?.conditions) ? (node.status as Obj).conditions : [];
  const status: string[] = [];
  const ready = conditions.find((c) => c?.type === 'Ready');
  if (ready) status.push(ready.status === 'True' ? 'Ready' : 'NotReady');
  if (status.length === 0) status.push('Unknown');
  if ((node.spec as Obj)?.unschedulable === true) status.push('SchedulingDisabled');
  return status.join(',');
}

function nodeAddress(node: KObject, type: string): string {
  const addrs: Obj[] = Array.isArray((node.status as Obj)?.addresses) ? (node.status as Obj).addresses : [];
  return addrs.find((a) => a?.type === type)?.address ?? '<none>';
}

export const nodeResource = defineResource({
  apiVersion: 'v1', kind: 'Node', namespaced: false, shortNames: ['no'],
  subresources: { status: true, custom: ['proxy'] },
  strategy: {
    defaults: defaultNode,
    // Nodes may set status on create (the kubelet registers itself with it).
    prepareForUpdate(node, old) { keepStatus(node, old); },
    validate: validateNode,
    validateUpdate: validateNodeUpdate,
    allowCreateOnUpdate: false,
  },
  statusStrategy: statusStrategyOf({ defaults: defaultNode }),
  table: defineTable({
    columns: [column('Status', 'string', 'The status of the node'), column('Roles', 'string', 'The roles of the node')],
    afterAge: [
      column('Version', 'string', swaggerDoc('V1NodeSystemInfo', 'kubeletVersion')),
      column('Internal-IP', 'string', swaggerDoc('V1NodeStatus', 'addresses'), 1),
      column('External-IP', 'string', swaggerDoc('V1NodeStatus', 'addresses'), 1),
      ...fieldColumns('V1NodeSystemInfo', 'string', { 'OS-Image': 'osImage', 'Kernel-Version': 'kernelVersion', 'Container-Runtime': 'containerRuntimeVersion' }, 1),
    ],
    cells(node) {
      const info: Obj = (node.status as Obj)?.nodeInfo ?? {};
      const roles = findNodeRoles(node).join(',') || '<none>';
      return [
        nodeStatusCell(node), roles, info.kubeletVersion ?? '', nodeAddress(node, 'InternalIP'), nodeAddress(node, 'ExternalIP'),
        info.osImage || '<unknown>', info.kernelVersion || '<unknown>', info.containerRuntimeVersion || '<unknown>',
      ];
    },
  }),
  selectableFields: (node) => ({ 'spec.unschedulable': String((node.spec as Obj)?.unschedulable === true) }),
});
