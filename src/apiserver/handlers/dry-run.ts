import type { Request } from 'express';
import { newBadRequest } from '../../apimachinery/errors.ts';

/** dryRun=All is the only supported value upstream; anything else is a 400. */
export function isDryRun(req: Request): boolean {
  const v = req.query.dryRun;
  if (v === undefined) return false;
  const values = Array.isArray(v) ? v : [v];
  for (const x of values) {
    if (x !== 'All') throw newBadRequest(`dryRun: Unsupported value: "${String(x)}": supported values: "All"`);
  }
  return true;
}
