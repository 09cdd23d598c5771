// DELETE of one object and of a collection; DeleteOptions come from the body or the query.
import type { Request } from 'express';
import { newBadRequest, successStatus } from '../../apimachinery/errors.ts';
import type { DeleteOptions } from '../../registry/generic/store.ts';
import { buildPredicate } from '../selectors.ts';
import { parseBody, rawBody } from '../decode.ts';
import { bodyFormat } from '../negotiation.ts';
import { writeList, writeObject } from './output.ts';
import { queryInt, queryString, setWarnings, type Handler } from './scope.ts';

const POLICIES = ['Orphan', 'Background', 'Foreground'];

function deleteOptionsOf(req: Request): DeleteOptions {
  const opts: DeleteOptions = {};
  const buf = rawBody(req);
  if (buf.length > 0) {
    const body = parseBody(buf, bodyFormat(req.headers['content-type'])) as Record<string, unknown> | null;
    if (body !== null && (typeof body !== 'object' || Array.isArray(body))) throw newBadRequest('DeleteOptions must be an object');
    if (body) {
      if (body.gracePeriodSeconds !== undefined && body.gracePeriodSeconds !== null) {
        if (typeof body.gracePeriodSeconds !== 'number' || !Number.isInteger(body.gracePeriodSeconds)) throw newBadRequest('json: cannot unmarshal into Go struct field DeleteOptions.gracePeriodSeconds of type int64');
        opts.gracePeriodSeconds = body.gracePeriodSeconds;
      }
      if (typeof body.propagationPolicy === 'string') opts.propagationPolicy = body.propagationPolicy as DeleteOptions['propagationPolicy'];
      if (typeof body.orphanDependents === 'boolean') opts.orphanDependents = body.orphanDependents;
      if (body.preconditions && typeof body.preconditions === 'object') opts.preconditions = body.preconditions as DeleteOptions['preconditions'];
    }
  }
  const grace = queryInt(req, 'gracePeriodSeconds');
  if (grace !== undefined) {
    if (Number.isNaN(grace)) throw newBadRequest('invalid value for gracePeriodSeconds');
    opts.gracePeriodSeconds = grace;
  }
  const policy = queryString(req, 'propagationPolicy');
  if (policy) opts.propagationPolicy = policy as DeleteOptions['propagationPolicy'];
  if (opts.propagationPolicy && !POLICIES.includes(opts.propagationPolicy)) {
    throw newBadRequest(`propagationPolicy: Unsupported value: "${opts.propagationPolicy}": supported values: "Foreground", "Background", "Orphan"`);
  }
  if (opts.propagationPolicy && opts.orphanDependents !== undefined) {
    throw newBadRequest('orphanDependents and propagationPolicy cannot both be set');
  }
  const uid = queryString(req, 'preconditions.uid') ?? queryString(req, 'preconditionUID');
  const rv = queryString(req, 'preconditions.resourceVersion');
  if (uid || rv) opts.preconditions = { ...(opts.preconditions ?? {}), ...(uid ? { uid } : {}), ...(rv ? { resourceVersion: rv } : {}) };
  return opts;
}

export const deleteResource: Handler = async (req, res, scope) => {
  const opts = deleteOptionsOf(req);
  setWarnings(res, scope.def.strategy.warningsOnDelete?.(opts) ?? []);
  const { object, deleted } = await scope.store.delete(scope.ctx, scope.info.name, opts);
  // Upstream answers with the object while it is still there (graceful, finalizers); once gone,
  // with a Success Status for most kinds, and the object for those that return it (pods and a few more).
  if (!deleted || scope.def.strategy.returnDeletedObject) {
    writeObject(req, res, scope, 200, object);
    return;
  }
  writeObject(req, res, scope, 200, successStatus({
    name: scope.info.name, group: scope.def.group, kind: scope.def.resource, uid: object.metadata.uid,
  }));
};

export const deleteCollection: Handler = async (req, res, scope) => {
  const opts = deleteOptionsOf(req);
  setWarnings(res, scope.def.strategy.warningsOnDelete?.(opts) ?? []);
  const list = await scope.store.deleteCollection(scope.ctx, {
    predicate: buildPredicate(scope.def, queryString(req, 'labelSelector'), queryString(req, 'fieldSelector')),
  }, opts);
  writeList(req, res, scope, list);
};
