// pkg/registry/batch/cronjob/strategy.go: SetDefaults_CronJob and ValidateCronJob{Create,Update}.
import type { FieldError } from '../../../apimachinery/errors.ts';
import type { KObject } from '../../../apimachinery/types.ts';
import { nonNegative, notSupported, required } from '../../../apimachinery/validation.ts';
import { defaultPodTemplateSpec } from '../../core/pod-spec.ts';
import type { ResourceStrategy } from '../../types.ts';
import { goLabelSelector, invalidGoValue } from '../common/go-format.ts';
import { spec } from '../common/printers.ts';
import { resetStatusOnCreate } from '../common/status-reset.ts';
import { isKnownTimeZone, parseStandard } from './cron-schedule.ts';
import { validateJobSpec } from './job-validation.ts';

type Obj = Record<string, any>;

/** SetDefaults_CronJob, plus the pod defaults of the job template (not the Job defaults). */
export function defaultCronJob(obj: KObject): void {
  const s = (obj.spec ??= {}) as Obj;
  if (!s.concurrencyPolicy) s.concurrencyPolicy = 'Allow';
  s.suspend ??= false;
  s.successfulJobsHistoryLimit ??= 3;
  s.failedJobsHistoryLimit ??= 1;
  defaultPodTemplateSpec(s.jobTemplate?.spec?.template);
}

/** validateScheduleFormat. */
export function validateSchedule(schedule: string, timeZone: unknown, allowTZInSchedule: boolean): FieldError[] {
  const field = 'spec.schedule';
  const errs: FieldError[] = [];
  const parsed = parseStandard(schedule);
  if (!parsed.ok) errs.push({ type: 'FieldValueInvalid', field, badValue: schedule, detail: parsed.error });
  if (allowTZInSchedule && schedule.includes('TZ') && timeZone != null) {
    errs.push({ type: 'FieldValueInvalid', field, badValue: schedule, detail: 'cannot use both timeZone field and TZ or CRON_TZ in schedule' });
  } else if (!allowTZInSchedule && schedule.includes('TZ')) {
    errs.push({ type: 'FieldValueInvalid', field, badValue: schedule, detail: 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead' });
  }
  return errs;
}

const VALID_TZ_PART = /^[A-Za-z.\-_0-9+]{1,14}$/;

/** validateTimeZone. */
export function validateTimeZone(tz: unknown): FieldError[] {
  const field = 'spec.timeZone';
  if (tz === undefined || tz === null) return [];
  const v = String(tz);
  const bad = (detail: string): FieldError[] => [{ type: 'FieldValueInvalid', field, badValue: v, detail }];
  if (v.length === 0) return bad('timeZone must be nil or non-empty string');
  for (const part of v.split('/')) {
    if (part === '.' || part === '..' || part.startsWith('-') || !VALID_TZ_PART.test(part)) return bad(`unknown time zone ${v}`);
  }
  const errs: FieldError[] = [];
  if (v.toLowerCase() === 'local') errs.push(...bad('timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones'));
  if (!isKnownTimeZone(v)) errs.push(...bad(`unknown time zone ${v}`));
  return errs;
}

const CONCURRENCY = ['Allow', 'Forbid', 'Replace'];

function validateCronJobSpec(obj: KObject, old?: KObject): FieldError[] {
  const s = spec(obj);
  const o = old ? spec(old) : undefined;
  const errs: FieldError[] = [];
  if (!s.schedule) errs.push(required('spec.schedule'));
  else errs.push(...validateSchedule(String(s.schedule), s.timeZone, typeof o?.schedule === 'string' && o.schedule.includes('TZ')));
  errs.push(...nonNegative(s.startingDeadlineSeconds, 'spec.startingDeadlineSeconds'));
  if (!o || o.timeZone !== s.timeZone) errs.push(...validateTimeZone(s.timeZone));
  if (!s.concurrencyPolicy) errs.push(required('spec.concurrencyPolicy'));
  else if (!CONCURRENCY.includes(s.concurrencyPolicy)) errs.push(notSupported('spec.concurrencyPolicy', s.concurrencyPolicy, CONCURRENCY));
  // ValidateJobTemplateSpec: the selector is always generated for the Jobs.
  const jobSpec = (s.jobTemplate?.spec ?? {}) as Obj;
  errs.push(...validateJobSpec(jobSpec, 'spec.jobTemplate.spec'));
  if (jobSpec.selector) errs.push(invalidGoValue('spec.jobTemplate.spec.selector', goLabelSelector(jobSpec.selector), '`selector` will be auto-generated'));
  if (jobSpec.manualSelector === true) errs.push(notSupported('spec.jobTemplate.spec.manualSelector', true, ['nil', 'false']));
  errs.push(...nonNegative(s.successfulJobsHistoryLimit, 'spec.successfulJobsHistoryLimit'));
  errs.push(...nonNegative(s.failedJobsHistoryLimit, 'spec.failedJobsHistoryLimit'));
  return errs;
}

export const cronJobStrategy: ResourceStrategy = {
  defaults: defaultCronJob,
  ...resetStatusOnCreate,
  validate(obj) {
    const errs = validateCronJobSpec(obj);
    // Job names get an 11-character suffix and must stay DNS-1035 labels (63 characters).
    const name = obj.metadata.name ?? '';
    if (name.length > 52) errs.unshift({ type: 'FieldValueInvalid', field: 'metadata.name', badValue: name, detail: 'must be no more than 52 characters' });
    return errs;
  },
  validateUpdate: (obj, old) => validateCronJobSpec(obj, old),
};
