import type { Request } from 'express';
import { newInvalid } from '../../apimachinery/errors.ts';
import { notSupported } from '../../apimachinery/validation.ts';

/** Options of a write (CreateOptions, UpdateOptions, …) are validated like objects: 422 on the options kind. */
export function invalidOptions(verb: string, field: string, value: string, valid: string[]) {
  const kind = verb === 'create' ? 'CreateOptions' : verb === 'patch' ? 'PatchOptions' : verb === 'update' ? 'UpdateOptions' : 'DeleteOptions';
  return newInvalid({ group: 'meta.k8s.io', kind }, '', [notSupported(field, value, valid)]);
}

/** dryRun=All is the only supported value upstream; anything else is a 400. */
export function isDryRun(req: Request, verb: string): boolean {
  const v = req.query.dryRun;
  if (v === undefined) return false;
  const values = Array.isArray(v) ? v : [v];
  for (const x of values) {
    if (x !== 'All') throw invalidOptions(verb, 'dryRun', String(x), ['All']);
  }
  return true;
}
