// Name and label validation with upstream's messages (k8s.io/apimachinery/pkg/util/validation),
// because `kubectl` prints them verbatim in 422 Invalid errors.
import type { FieldError } from './errors.ts';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

export const DNS1123_LABEL_MAX = 63;
export const DNS1123_SUBDOMAIN_MAX = 253;

const label1123Msg = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const subdomainMsg = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const dns1035Msg = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const qualifiedNameMsg = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const labelValueMsg = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

const maxLenMsg = (n: number) => `must be no more than ${n} characters`;

/** IsDNS1123Label: a list of problem descriptions, empty when valid. */
export function isDNS1123Label(v: string): string[] {
  const errs: string[] = [];
  if (v.length > DNS1123_LABEL_MAX) errs.push(maxLenMsg(DNS1123_LABEL_MAX));
  if (!DNS1123_LABEL.test(v)) errs.push(label1123Msg);
  return errs;
}

export function isDNS1123Subdomain(v: string): string[] {
  const errs: string[] = [];
  if (v.length > DNS1123_SUBDOMAIN_MAX) errs.push(maxLenMsg(DNS1123_SUBDOMAIN_MAX));
  if (!DNS1123_SUBDOMAIN.test(v)) errs.push(subdomainMsg);
  return errs;
}

export function isDNS1035Label(v: string): string[] {
  const errs: string[] = [];
  if (v.length > DNS1123_LABEL_MAX) errs.push(maxLenMsg(DNS1123_LABEL_MAX));
  if (!DNS1035_LABEL.test(v)) errs.push(dns1035Msg);
  return errs;
}

/** IsQualifiedName: "prefix/name" where prefix is a DNS subdomain; used for label and annotation keys. */
export function isQualifiedName(v: string): string[] {
  const parts = v.split('/');
  let name = v;
  const errs: string[] = [];
  if (parts.length === 2) {
    const [prefix, n] = parts as [string, string];
    name = n;
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else for (const m of isDNS1123Subdomain(prefix)) errs.push(`prefix part ${m}`);
  } else if (parts.length > 2) {
    return ["a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"];
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (name.length > 63) errs.push(`name part ${maxLenMsg(63)}`);
  // Upstream checks the pattern even for an empty name part (two messages then).
  if (!QUALIFIED_NAME.test(name)) errs.push(qualifiedNameMsg);
  return errs;
}

export function isValidLabelValue(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 63) errs.push(maxLenMsg(63));
  if (!LABEL_VALUE.test(v)) errs.push(labelValueMsg);
  return errs;
}

/** Turn the problem strings of an is* check into field errors at path. */
export function invalid(field: string, value: unknown, problems: string[]): FieldError[] {
  return problems.map((detail) => ({ type: 'FieldValueInvalid', field, badValue: value, detail }));
}

export function required(field: string, detail = ''): FieldError {
  return { type: 'FieldValueRequired', field, detail };
}

export function notSupported(field: string, value: unknown, valid: string[]): FieldError {
  return { type: 'FieldValueNotSupported', field, badValue: value, detail: `supported values: ${valid.map((v) => `"${v}"`).join(', ')}` };
}

export function forbidden(field: string, detail: string): FieldError {
  return { type: 'FieldValueForbidden', field, detail };
}

export function duplicate(field: string, value: unknown): FieldError {
  return { type: 'FieldValueDuplicate', field, badValue: value };
}

export function validateLabels(labels: unknown, field: string): FieldError[] {
  if (labels === undefined || labels === null) return [];
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels as Record<string, unknown>)) {
    errs.push(...invalid(field, k, isQualifiedName(k)));
    if (typeof v !== 'string') errs.push({ type: 'FieldValueInvalid', field: `${field}[${k}]`, badValue: v, detail: 'must be a string' });
    else errs.push(...invalid(field, v, isValidLabelValue(v)));
  }
  return errs;
}

export function validateAnnotations(annotations: unknown, field: string): FieldError[] {
  if (annotations === undefined || annotations === null) return [];
  const errs: FieldError[] = [];
  let total = 0;
  for (const [k, v] of Object.entries(annotations as Record<string, unknown>)) {
    errs.push(...invalid(field, k.toLowerCase(), isQualifiedName(k.toLowerCase())));
    total += k.length + (typeof v === 'string' ? v.length : 0);
  }
  if (total > 256 * 1024) errs.push({ type: 'FieldValueTooLong', field, detail: 'must have at most 262144 bytes' });
  return errs;
}

/** ValidateNonnegativeField. */
export function nonNegative(value: unknown, field: string): FieldError[] {
  if (typeof value === 'number' && value < 0) return [{ type: 'FieldValueInvalid', field, badValue: value, detail: 'must be greater than or equal to 0' }];
  return [];
}

/** ValidateImmutableField: "field is immutable". */
export function immutable(newValue: unknown, oldValue: unknown, field: string): FieldError[] {
  if (JSON.stringify(newValue) === JSON.stringify(oldValue)) return [];
  return [{ type: 'FieldValueInvalid', field, badValue: newValue, detail: 'field is immutable' }];
}
