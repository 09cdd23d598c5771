// Shared checks for ConfigMap and Secret data: key names (IsConfigMapKey), base64 payloads (Go's
// encoding/json rejects bad []byte at decode time with a 400) and the 1 MiB size limit.
import { newBadRequest, type FieldError } from '../../apimachinery/errors.ts';
import { invalid } from '../../apimachinery/validation.ts';
import type { ResourceStrategy } from '../types.ts';

const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
const CONFIG_KEY_MSG = "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

export const MAX_DATA_BYTES = 1024 * 1024;

/** IsConfigMapKey. */
export function isConfigMapKey(key: string): string[] {
  const errs: string[] = [];
  if (key.length > 253) errs.push('must be no more than 253 characters');
  if (!CONFIG_KEY.test(key)) errs.push(CONFIG_KEY_MSG);
  if (key === '.') errs.push("must not be '.'");
  else if (key === '..') errs.push("must not be '..'");
  else if (key.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

export function validateDataKeys(data: unknown, field: string): FieldError[] {
  if (!data || typeof data !== 'object') return [];
  const errs: FieldError[] = [];
  for (const key of Object.keys(data)) errs.push(...invalid(`${field}[${key}]`, key, isConfigMapKey(key)));
  return errs;
}

/** Where Go's base64.StdEncoding would fail on s, or -1 when it decodes. */
export function base64ErrorOffset(s: string): number {
  const m = /[^A-Za-z0-9+/=]/.exec(s);
  if (m) return m.index;
  const pad = s.indexOf('=');
  if (pad >= 0) {
    const rest = s.slice(pad);
    if (!/^={1,2}$/.test(rest) || s.length % 4 !== 0) return pad;
  }
  if (s.length % 4 !== 0) return s.length - (s.length % 4);
  return -1;
}

/** Throws the 400 upstream's decoder gives for a non-base64 value in a []byte map. */
export function checkBase64Map(data: unknown, kind: string): void {
  if (!data || typeof data !== 'object') return;
  for (const v of Object.values(data as Record<string, unknown>)) {
    if (typeof v !== 'string') {
      throw newBadRequest(`${kind} in version "v1" cannot be handled as a ${kind}: json: cannot unmarshal ${typeof v} into Go value of type []uint8`);
    }
    const at = base64ErrorOffset(v);
    if (at >= 0) throw newBadRequest(`${kind} in version "v1" cannot be handled as a ${kind}: illegal base64 data at input byte ${at}`);
  }
}

/** The create and update hooks of a kind with a []byte map (ConfigMap binaryData, Secret data). */
export function base64MapChecks(field: 'data' | 'binaryData', kind: string): Required<Pick<ResourceStrategy, 'prepareForCreate' | 'prepareForUpdate'>> {
  return {
    prepareForCreate(obj) { checkBase64Map(obj[field], kind); },
    prepareForUpdate(obj) { checkBase64Map(obj[field], kind); },
  };
}

export function decodedLength(b64: string): number {
  return Buffer.from(b64, 'base64').length;
}
