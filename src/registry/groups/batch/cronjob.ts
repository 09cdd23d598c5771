// batch/v1 CronJob: definition and printCronJob's table.
import { defineResource } from '../../define-resource.ts';
import { column, fieldColumns, spec, status, translateTimestampSince, workloadTable } from '../common/printers.ts';
import { formatLabelSelector } from '../common/selectors.ts';
import { swaggerDoc } from '../common/swagger-doc.ts';
import { cronJobStrategy } from './cronjob-strategy.ts';

/** printBoolPtr. */
function boolPtr(v: unknown): string {
  if (typeof v !== 'boolean') return '<unset>';
  return v ? 'True' : 'False';
}

export const cronJobTable = workloadTable({
  columns: [
    ...fieldColumns('V1CronJobSpec', 'string', { Schedule: 'schedule', Timezone: 'timeZone' }),
    column('Suspend', 'boolean', swaggerDoc('V1CronJobSpec', 'suspend')),
    column('Active', 'integer', swaggerDoc('V1CronJobStatus', 'active')),
    column('Last Schedule', 'string', swaggerDoc('V1CronJobStatus', 'lastScheduleTime')),
  ],
  cells(obj, now) {
    const s = spec(obj);
    const st = status(obj);
    const last = st.lastScheduleTime ? translateTimestampSince(st.lastScheduleTime, now) : '<none>';
    return [s.schedule ?? '', s.timeZone ?? '<none>', boolPtr(s.suspend), Array.isArray(st.active) ? st.active.length : 0, last];
  },
  template: (obj) => spec(obj).jobTemplate?.spec?.template,
  selector: { model: 'V1JobSpec', cell: (obj) => formatLabelSelector(spec(obj).jobTemplate?.spec?.selector) },
});

export const cronjobs = defineResource({
  apiVersion: 'batch/v1', kind: 'CronJob', namespaced: true, shortNames: ['cj'], categories: ['all'],
  subresources: { status: true },
  strategy: cronJobStrategy,
  table: cronJobTable,
});
