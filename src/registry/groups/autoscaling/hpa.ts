// autoscaling/v1 and autoscaling/v2 HorizontalPodAutoscalers: one stored object (v2 shape), two views.
import type { KObject } from '../../../apimachinery/types.ts';
import { defineResource, type ResourceDeclaration } from '../../define-resource.ts';
import { column, defineTable, fieldColumns, int, spec, status } from '../common/printers.ts';
import { swaggerDoc } from '../common/swagger-doc.ts';
import { hpaV1ToV2, hpaV2ToV1 } from './hpa-conversion.ts';
import { hpaStrategy } from './hpa-strategy.ts';
import { hpaV1Strategy } from './hpa-v1-strategy.ts';

type Obj = Record<string, any>;

function quantity(v: unknown): string {
  return v === undefined || v === null ? '' : String(v);
}

/** formatHPAMetrics: at most two "current/target" pairs, "<none>" without metrics. */
export function formatHPAMetrics(specs: Obj[], statuses: Obj[]): string {
  if (specs.length === 0) return '<none>';
  const list = specs.map((m, i) => {
    const st = statuses[i] as Obj | undefined;
    switch (m?.type) {
      case 'External':
      case 'Object': {
        const key = m.type === 'External' ? 'external' : 'object';
        const target = m[key]?.target ?? {};
        const cur = st?.[key]?.current;
        if (target.averageValue != null) return `${cur?.averageValue != null ? quantity(cur.averageValue) : '<unknown>'}/${quantity(target.averageValue)} (avg)`;
        return `${cur ? quantity(cur.value) : '<unknown>'}/${quantity(target.value)}`;
      }
      case 'Pods':
        return `${st?.pods ? quantity(st.pods.current?.averageValue) : '<unknown>'}/${quantity(m.pods?.target?.averageValue)}`;
      case 'Resource':
      case 'ContainerResource': {
        const key = m.type === 'Resource' ? 'resource' : 'containerResource';
        const src = m[key] ?? {};
        const cur = st?.[key];
        if (src.target?.averageValue != null) return `${src.name}: ${cur ? quantity(cur.current?.averageValue) : '<unknown>'}/${quantity(src.target.averageValue)}`;
        const current = cur?.current?.averageUtilization != null ? `${cur.current.averageUtilization}%` : '<unknown>';
        const target = src.target?.averageUtilization != null ? `${src.target.averageUtilization}%` : '<auto>';
        return `${src.name}: ${current}/${target}`;
      }
      default:
        return '<unknown type>';
    }
  });
  const max = 2;
  return list.length > max ? `${list.slice(0, max).join(', ')} + ${list.length - max} more...` : list.join(', ');
}

function asV2(obj: KObject): KObject {
  return obj.apiVersion === 'autoscaling/v1' || (obj.spec as Obj | undefined)?.targetCPUUtilizationPercentage !== undefined ? hpaV1ToV2(obj) : obj;
}

export const hpaTable = defineTable({
  columns: [
    ...fieldColumns('V2HorizontalPodAutoscalerSpec', 'string', { Reference: 'scaleTargetRef', Targets: 'metrics', MinPods: 'minReplicas', MaxPods: 'maxReplicas' }),
    column('Replicas', 'string', swaggerDoc('V2HorizontalPodAutoscalerStatus', 'currentReplicas')),
  ],
  cells(obj) {
    const v2 = asV2(obj);
    const s = spec(v2);
    const st = status(v2);
    const ref = (s.scaleTargetRef ?? {}) as Obj;
    const metrics = formatHPAMetrics((s.metrics ?? []) as Obj[], (st.currentMetrics ?? []) as Obj[]);
    const minPods = typeof s.minReplicas === 'number' ? String(s.minReplicas) : '<unset>';
    return [`${ref.kind ?? ''}/${ref.name ?? ''}`, metrics, minPods, int(s.maxReplicas), int(st.currentReplicas)];
  },
});

const common: Omit<ResourceDeclaration, 'apiVersion'> = {
  kind: 'HorizontalPodAutoscaler',
  namespaced: true,
  shortNames: ['hpa'],
  categories: ['all'],
  subresources: { status: true },
  strategy: hpaStrategy,
  table: hpaTable,
  storageVersion: 'v2',
};

export const hpaV2 = defineResource({ ...common, apiVersion: 'autoscaling/v2' });

export const hpaV1 = defineResource({
  ...common,
  apiVersion: 'autoscaling/v1',
  strategy: hpaV1Strategy,
  convertToStorage: hpaV1ToV2,
  convertFromStorage: hpaV2ToV1,
});
