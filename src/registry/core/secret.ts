// secrets: base64 data, merged from stringData on write. Upstream pkg/registry/core/secret.
import type { FieldError } from '../../apimachinery/errors.ts';
import type { KObject } from '../../apimachinery/types.ts';
import { forbidden, immutable, required } from '../../apimachinery/validation.ts';
import { defineResource } from '../define-resource.ts';
import { base64MapChecks, decodedLength, MAX_DATA_BYTES, validateDataKeys } from './data-validation.ts';
import { deepEqual } from './deep-equal.ts';
import { defineTable, fieldColumns } from '../groups/common/printers.ts';

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

/** The data keys each well-known secret type must carry (ValidateSecret). */
const REQUIRED_DATA_KEYS: Record<string, string[]> = {
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
};

function validateSecretType(secret: KObject): FieldError[] {
  const data: Obj = (secret.data as Obj) ?? {};
  switch (secret.type) {
    case 'kubernetes.io/service-account-token':
      if (secret.metadata.annotations?.['kubernetes.io/service-account.name']) return [];
      return [required('metadata.annotations[kubernetes.io/service-account.name]')];
    case 'kubernetes.io/basic-auth':
      // Either key will do; without both, both are reported.
      if ('username' in data || 'password' in data) return [];
      return [required('data[username]'), required('data[password]')];
    default:
      return (REQUIRED_DATA_KEYS[secret.type as string] ?? []).filter((k) => !(k in data)).map((k) => required(`data[${k}]`));
  }
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

export const secretResource = defineResource({
  apiVersion: 'v1', kind: 'Secret', namespaced: true,
  strategy: {
    defaults: defaultSecret,
    ...base64MapChecks('data', 'Secret'),
    validate: validateSecret,
    validateUpdate: validateSecretUpdate,
    allowCreateOnUpdate: false,
  },
  table: defineTable({
    columns: fieldColumns('V1Secret', 'string', { Type: 'type', Data: 'data' }),
    cells: (s) => [s.type ?? '', Object.keys((s.data as Obj) ?? {}).length],
  }),
  selectableFields: (s) => ({ type: String(s.type ?? '') }),
});
