// ObjectMeta rules every resource shares (upstream ValidateObjectMeta / FillObjectMetaSystemFields).
import { randomUUID, randomInt } from 'node:crypto';
import type { FieldError } from '../../apimachinery/errors.ts';
import type { KObject } from '../../apimachinery/types.ts';
import {
  immutable, invalid, isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, required, validateAnnotations, validateLabels,
} from '../../apimachinery/validation.ts';
import type { ResourceDefinition } from '../types.ts';

// Upstream's name generator alphabet: no vowels and no confusable characters.
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

export function generateNameSuffix(): string {
  let s = '';
  for (let i = 0; i < 5; i++) s += ALPHANUMS[randomInt(ALPHANUMS.length)];
  return s;
}

export function fillSystemFields(obj: KObject, now: Date): void {
  obj.metadata.uid = randomUUID();
  obj.metadata.creationTimestamp = rfc3339(now);
  delete obj.metadata.deletionTimestamp;
  delete obj.metadata.deletionGracePeriodSeconds;
  delete obj.metadata.selfLink;
}

/** RFC 3339 at second precision, as metav1.Time serialises. */
export function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Upstream's per-kind name rules: namespaces are DNS-1123 labels, services DNS-1035 labels (they
 * become DNS names and env var prefixes), everything else — ReplicationControllers included — a
 * DNS-1123 subdomain.
 */
export function nameValidator(def: ResourceDefinition): (name: string) => string[] {
  if (def.group !== '') return isDNS1123Subdomain;
  if (def.resource === 'namespaces') return isDNS1123Label;
  if (def.resource === 'services') return isDNS1035Label;
  return isDNS1123Subdomain;
}

export function validateObjectMeta(obj: KObject, def: ResourceDefinition): FieldError[] {
  const m = obj.metadata;
  const errs: FieldError[] = [];
  if (!m.name && !m.generateName) errs.push(required('metadata.name', 'name or generateName is required'));
  if (m.name) errs.push(...invalid('metadata.name', m.name, nameValidator(def)(m.name)));
  if (def.namespaced) {
    if (!m.namespace) errs.push(required('metadata.namespace'));
    else errs.push(...invalid('metadata.namespace', m.namespace, isDNS1123Label(m.namespace)));
  } else if (m.namespace) {
    errs.push({ type: 'FieldValueForbidden', field: 'metadata.namespace', detail: 'not allowed on this type' });
  }
  errs.push(...validateLabels(m.labels, 'metadata.labels'));
  errs.push(...validateAnnotations(m.annotations, 'metadata.annotations'));
  if (m.generation !== undefined && typeof m.generation === 'number' && m.generation < 0) {
    errs.push({ type: 'FieldValueInvalid', field: 'metadata.generation', badValue: m.generation, detail: 'must be greater than or equal to 0' });
  }
  if (m.finalizers) {
    for (const f of m.finalizers) {
      if (typeof f !== 'string' || f.length === 0) errs.push({ type: 'FieldValueInvalid', field: 'metadata.finalizers', badValue: f, detail: 'name part must be non-empty' });
    }
  }
  return errs;
}

export function validateObjectMetaUpdate(obj: KObject, old: KObject): FieldError[] {
  const errs: FieldError[] = [];
  errs.push(...immutable(obj.metadata.name, old.metadata.name, 'metadata.name'));
  errs.push(...immutable(obj.metadata.namespace, old.metadata.namespace, 'metadata.namespace'));
  errs.push(...immutable(obj.metadata.uid, old.metadata.uid, 'metadata.uid'));
  errs.push(...immutable(obj.metadata.creationTimestamp, old.metadata.creationTimestamp, 'metadata.creationTimestamp'));
  return errs;
}

/** Fields the client cannot change through update: copied from the stored object. */
export function carrySystemFields(obj: KObject, old: KObject): void {
  const m = obj.metadata;
  const o = old.metadata;
  m.uid ||= o.uid; // a different uid stays, for validateObjectMetaUpdate to refuse
  m.creationTimestamp = o.creationTimestamp;
  if (o.deletionTimestamp) m.deletionTimestamp = o.deletionTimestamp; else delete m.deletionTimestamp;
  if (o.deletionGracePeriodSeconds !== undefined) m.deletionGracePeriodSeconds = o.deletionGracePeriodSeconds; else delete m.deletionGracePeriodSeconds;
  if (o.generation !== undefined) m.generation = o.generation; else delete m.generation;
  if (o.generateName !== undefined && m.generateName === undefined) m.generateName = o.generateName;
  delete m.selfLink;
}
