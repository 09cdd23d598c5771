// batch/v1 CronJob: definition and printCronJob's table.
import type { ResourceDefinition, TableConvertor } from '../../types.ts';
import { age, ageColumn, column, containersColumn, imagesColumn, layoutContainerCells, nameColumn, spec, status, templateContainers, translateTimestampSince } from '../common/printers.ts';
import { formatLabelSelector } from '../common/selectors.ts';
import { swaggerDoc } from '../common/swagger-doc.ts';
import { cronJobStrategy } from './cronjob-strategy.ts';

/** printBoolPtr. */
function boolPtr(v: unknown): string {
  if (typeof v !== 'boolean') return '<unset>';
  return v ? 'True' : 'False';
}

export const cronJobTable: TableConvertor = {
  columns: [
    nameColumn,
    column('Schedule', 'string', swaggerDoc('V1CronJobSpec', 'schedule')),
    column('Timezone', 'string', swaggerDoc('V1CronJobSpec', 'timeZone')),
    column('Suspend', 'boolean', swaggerDoc('V1CronJobSpec', 'suspend')),
    column('Active', 'integer', swaggerDoc('V1CronJobStatus', 'active')),
    column('Last Schedule', 'string', swaggerDoc('V1CronJobStatus', 'lastScheduleTime')),
    ageColumn,
    containersColumn,
    imagesColumn,
    column('Selector', 'string', swaggerDoc('V1JobSpec', 'selector'), 1),
  ],
  cells(obj, now) {
    const s = spec(obj);
    const st = status(obj);
    const jobSpec = s.jobTemplate?.spec ?? {};
    const [names, images] = layoutContainerCells(templateContainers(jobSpec.template));
    const last = st.lastScheduleTime ? translateTimestampSince(st.lastScheduleTime, now) : '<none>';
    return [
      obj.metadata.name, s.schedule ?? '', s.timeZone ?? '<none>', boolPtr(s.suspend), Array.isArray(st.active) ? st.active.length : 0,
      last, age(obj, now), names, images, formatLabelSelector(jobSpec.selector),
    ];
  },
};

export const cronjobs: ResourceDefinition = {
  group: 'batch',
  version: 'v1',
  kind: 'CronJob',
  resource: 'cronjobs',
  singularName: 'cronjob',
  namespaced: true,
  shortNames: ['cj'],
  categories: ['all'],
  subresources: { status: true },
  strategy: cronJobStrategy,
  table: cronJobTable,
  openapiModel: 'V1CronJob',
};
