// The /scale subresource: an autoscaling/v1 Scale view onto spec/status replicas of the parent.
import { newBadRequest, newInvalid, newNotFound } from '../../apimachinery/errors.ts';
import { formatLabelSelector } from '../../apimachinery/labels.ts';
import type { KObject } from '../../apimachinery/types.ts';
import { applyPatch } from '../../apimachinery/patch/index.ts';
import type { ScaleSubresource } from '../../registry/types.ts';
import { decodeBodyValue, rawBody } from '../decode.ts';
import { patchKind } from '../negotiation.ts';
import { writeBody } from '../respond.ts';
import { negotiate } from '../negotiation.ts';
import type { Handler, Scope } from './scope.ts';

function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const p of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur = obj;
  for (const p of parts.slice(0, -1)) {
    if (typeof cur[p] !== 'object' || cur[p] === null) cur[p] = {};
    cur = cur[p] as Record<string, unknown>;
  }
  cur[parts[parts.length - 1]!] = value;
}

function selectorOf(obj: KObject, spec: ScaleSubresource): string {
  if (spec.labelSelectorPath) {
    const v = getPath(obj, spec.labelSelectorPath);
    if (typeof v === 'string') return v;
  }
  const sel = getPath(obj, 'spec.selector');
  if (sel && typeof sel === 'object' && ('matchLabels' in sel || 'matchExpressions' in sel)) {
    const s = formatLabelSelector(sel as never);
    return s === '<none>' ? '' : s;
  }
  if (sel && typeof sel === 'object') return Object.entries(sel as Record<string, string>).map(([k, v]) => `${k}=${v}`).join(',');
  return '';
}

export function toScale(obj: KObject, spec: ScaleSubresource): KObject {
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: obj.metadata.name, namespace: obj.metadata.namespace, uid: obj.metadata.uid,
      resourceVersion: obj.metadata.resourceVersion, creationTimestamp: obj.metadata.creationTimestamp,
    },
    spec: { replicas: (getPath(obj, spec.specReplicasPath) as number | undefined) ?? 0 },
    status: { replicas: (getPath(obj, spec.statusReplicasPath) as number | undefined) ?? 0, selector: selectorOf(obj, spec) },
  };
}

function scaleSpec(scope: Scope): ScaleSubresource {
  const s = scope.def.subresources?.scale;
  if (!s) throw newNotFound({ group: scope.def.group, resource: `${scope.def.resource}/scale` }, scope.info.name);
  return s;
}

function checkScale(scope: Scope, scale: KObject): number {
  const replicas = (scale.spec as { replicas?: unknown } | undefined)?.replicas;
  if (replicas === undefined) return 0;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas)) throw newBadRequest(`Scale in version "v1" cannot be handled as a Scale: json: cannot unmarshal into Go struct field ScaleSpec.spec.replicas of type int32`);
  if (replicas < 0) throw newInvalid({ group: 'autoscaling', kind: 'Scale' }, scope.info.name, [{ type: 'FieldValueInvalid', field: 'spec.replicas', badValue: replicas, detail: 'must be greater than or equal to 0' }]);
  return replicas;
}

export const getScale: Handler = async (req, res, scope) => {
  const spec = scaleSpec(scope);
  const obj = await scope.store.get(scope.ctx, scope.info.name);
  writeBody(req, res, 200, toScale(obj, spec), negotiate(req.headers.accept, []));
};

export const updateScale: Handler = async (req, res, scope) => {
  const spec = scaleSpec(scope);
  const isPatch = req.method === 'PATCH';
  const body = rawBody(req);
  const { object } = await scope.store.update(scope.ctx, scope.info.name, (current) => {
    const cur = current as KObject;
    const scale = isPatch
      ? applyPatch(patchKind(req.headers['content-type']) as 'json' | 'merge' | 'strategic', toScale(cur, spec), body, 'V1Scale')
      : decodeBodyValue(req) as KObject;
    if (!scale || typeof scale !== 'object') throw newBadRequest('Scale must be an object');
    const rv = scale.metadata?.resourceVersion;
    const replicas = checkScale(scope, scale);
    const next = structuredClone(cur);
    if (!isPatch && rv) next.metadata.resourceVersion = rv;
    setPath(next as Record<string, unknown>, spec.specReplicasPath, replicas);
    return next;
  }, { isPatch: true });
  writeBody(req, res, 200, toScale(object, spec), negotiate(req.headers.accept, []));
};
