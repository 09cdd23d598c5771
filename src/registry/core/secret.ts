// secrets: base64 data, merged from stringData on write. Upstream pkg/registry/core/secret.
import type { FieldError } from '../../apimachinery/errors.ts';
import type { KObject } from '../../apimachinery/types.ts';
import { forbidden, immutable, required } from '../../apimachinery/validation.ts';
import type { ResourceDefinition } from '../types.ts';
import { checkBase64Map, decodedLength, MAX_DATA_BYTES, validateDataKeys } from './data-validation.ts';
import { deepEqual } from './deep-equal.ts';
import { age, ageColumn, column, doc, nameColumn } from './table-helpers.ts';

type Obj = Record<string, any>;

/** v1 conversion: stringData entries overwrite data entries, base64-encoded; stringData is not stored. */
function mergeStringData(secret: KObject): void {
  const sd = secret.stringData as Obj | undefined;
  if (sd && typeof sd === 'object') {
    const data: Obj = (secret.data as Obj) ?? {};
    for (const [k, v] of Object.entries(sd)) data[k] = Buffer.from(String(v), 'utf8').toString('base64');
    secret.data = data;
  }
  delete secret.stringData;
}

function defaultSecret(secret: KObject): void {
  mergeStringData(secret);
  if (!secret.type) secret.type = 'Opaque';
}

/** Keys each well-known secret type must carry (ValidateSecret). */
function validateSecretType(secret: KObject): FieldError[] {
  const data: Obj = (secret.data as Obj) ?? {};
  const has = (k: string) => k in data;
  const errs: FieldError[] = [];
  switch (secret.type) {
    case 'kubernetes.io/service-account-token':
      if (!secret.metadata.annotations?.['kubernetes.io/service-account.name']) {
        errs.push(required('metadata.annotations[kubernetes.io/service-account.name]'));
      }
      break;
    case 'kubernetes.io/dockercfg':
      if (!has('.dockercfg')) errs.push(required('data[.dockercfg]'));
      break;
    case 'kubernetes.io/dockerconfigjson':
      if (!has('.dockerconfigjson')) errs.push(required('data[.dockerconfigjson]'));
      break;
    case 'kubernetes.io/basic-auth':
      if (!has('username') && !has('password')) errs.push(required('data[username]'), required('data[password]'));
      break;
    case 'kubernetes.io/ssh-auth':
      if (!has('ssh-privatekey')) errs.push(required('data[ssh-privatekey]'));
      break;
    case 'kubernetes.io/tls':
      if (!has('tls.crt')) errs.push(required('data[tls.crt]'));
      if (!has('tls.key')) errs.push(required('data[tls.key]'));
      break;
  }
  return errs;
}

function validateSecret(secret: KObject): FieldError[] {
  const errs = validateDataKeys(secret.data, 'data');
  let total = 0;
  for (const v of Object.values((secret.data as Obj) ?? {})) total += typeof v === 'string' ? decodedLength(v) : 0;
  if (total > MAX_DATA_BYTES) errs.push({ type: 'FieldValueTooLong', field: 'data', detail: `must have at most ${MAX_DATA_BYTES} bytes` });
  errs.push(...validateSecretType(secret));
  return errs;
}

function validateSecretUpdate(secret: KObject, old: KObject): FieldError[] {
  const errs = immutable(secret.type, old.type, 'type');
  if (old.immutable === true) {
    if (secret.immutable !== true) errs.push(forbidden('immutable', 'field is immutable when `immutable` is set'));
    if (!deepEqual(secret.data, old.data)) errs.push(forbidden('data', 'field is immutable when `immutable` is set'));
  }
  return errs;
}

export const secretResource: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'Secret',
  resource: 'secrets',
  singularName: 'secret',
  namespaced: true,
  strategy: {
    defaults: defaultSecret,
    prepareForCreate(secret) { checkBase64Map(secret.data, 'Secret'); },
    prepareForUpdate(secret) { checkBase64Map(secret.data, 'Secret'); },
    validate: validateSecret,
    validateUpdate: validateSecretUpdate,
    allowCreateOnUpdate: false,
  },
  table: {
    columns: [nameColumn(), column('Type', doc('V1Secret', 'type')), column('Data', doc('V1Secret', 'data')), ageColumn()],
    cells: (s, now) => [s.metadata.name, s.type ?? '', Object.keys((s.data as Obj) ?? {}).length, age(s, now)],
  },
  selectableFields: (s) => ({ type: String(s.type ?? '') }),
  openapiModel: 'V1Secret',
};
