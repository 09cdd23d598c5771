import { newBadRequest } from '../../apimachinery/errors.ts';
import { negotiate } from '../negotiation.ts';
import { isPlainJson, writeJsonList } from '../respond.ts';
import { buildPredicate } from '../selectors.ts';
import { writeList } from './output.ts';
import { queryInt, queryString, type Handler } from './scope.ts';

export const listResource: Handler = async (req, res, scope) => {
  const limit = queryInt(req, 'limit');
  if (limit !== undefined && (Number.isNaN(limit) || limit < 0)) throw newBadRequest(`invalid value for limit: ${queryString(req, 'limit')}`);
  const opts = {
    predicate: buildPredicate(scope.def, queryString(req, 'labelSelector'), queryString(req, 'fieldSelector')),
    limit,
    continue: queryString(req, 'continue'),
    resourceVersion: queryString(req, 'resourceVersion'),
    resourceVersionMatch: queryString(req, 'resourceVersionMatch'),
  };
  // Plain JSON lists are spliced from the stored texts of their items (the views writeList offers).
  if (isPlainJson(req, () => negotiate(req.headers.accept, ['Table', 'PartialObjectMetadataList']))) {
    const { head, items } = await scope.store.listJson(scope.ctx, opts);
    await writeJsonList(res, head, items);
    return;
  }
  writeList(req, res, scope, await scope.store.list(scope.ctx, opts));
};
