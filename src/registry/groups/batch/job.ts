// batch/v1 Job: definition and printJob's table (STATUS column since kubectl 1.30).
import type { KObject } from '../../../apimachinery/types.ts';
import { humanDuration } from '../../core/human-duration.ts';
import type { ResourceDefinition, TableConvertor } from '../../types.ts';
import { age, ageColumn, column, containersColumn, imagesColumn, int, layoutContainerCells, nameColumn, spec, status, templateContainers } from '../common/printers.ts';
import { formatLabelSelector } from '../common/selectors.ts';
import { swaggerDoc } from '../common/swagger-doc.ts';
import { jobStrategy } from './job-strategy.ts';

type Obj = Record<string, any>;

function hasCondition(obj: KObject, type: string): boolean {
  const c = ((status(obj).conditions ?? []) as Obj[]).find((x) => x?.type === type);
  return c?.status === 'True';
}

function jobStatus(obj: KObject): string {
  if (hasCondition(obj, 'Complete')) return 'Complete';
  if (hasCondition(obj, 'Failed')) return 'Failed';
  if (obj.metadata.deletionTimestamp) return 'Terminating';
  if (hasCondition(obj, 'Suspended')) return 'Suspended';
  if (hasCondition(obj, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

function completions(obj: KObject): string {
  const s = spec(obj);
  const succeeded = int(status(obj).succeeded);
  if (typeof s.completions === 'number') return `${succeeded}/${s.completions}`;
  const parallelism = int(s.parallelism);
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function duration(obj: KObject, now: Date): string {
  const st = status(obj);
  if (!st.startTime) return '';
  const start = Date.parse(st.startTime);
  const end = st.completionTime ? Date.parse(st.completionTime) : now.getTime();
  return humanDuration(end - start);
}

export const jobTable: TableConvertor = {
  columns: [
    nameColumn,
    column('Status', 'string', 'Status of the job.'),
    column('Completions', 'string', swaggerDoc('V1JobStatus', 'succeeded')),
    column('Duration', 'string', 'Time required to complete the job.'),
    ageColumn,
    containersColumn,
    imagesColumn,
    column('Selector', 'string', swaggerDoc('V1JobSpec', 'selector'), 1),
  ],
  cells(obj, now) {
    const s = spec(obj);
    const [names, images] = layoutContainerCells(templateContainers(s.template));
    return [obj.metadata.name, jobStatus(obj), completions(obj), duration(obj, now), age(obj, now), names, images, formatLabelSelector(s.selector)];
  },
};

export const jobs: ResourceDefinition = {
  group: 'batch',
  version: 'v1',
  kind: 'Job',
  resource: 'jobs',
  singularName: 'job',
  namespaced: true,
  categories: ['all'],
  subresources: { status: true },
  strategy: jobStrategy,
  table: jobTable,
  // JobToSelectableFields.
  selectableFields: (obj) => ({ 'status.successful': String(int(status(obj).succeeded)) }),
  openapiModel: 'V1Job',
};
