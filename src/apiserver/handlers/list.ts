import { newBadRequest } from '../../apimachinery/errors.ts';
import { buildPredicate } from '../selectors.ts';
import { writeList } from './output.ts';
import { queryInt, queryString, type Handler } from './scope.ts';

export const listResource: Handler = async (req, res, scope) => {
  const limit = queryInt(req, 'limit');
  if (limit !== undefined && (Number.isNaN(limit) || limit < 0)) throw newBadRequest(`invalid value for limit: ${queryString(req, 'limit')}`);
  const list = await scope.store.list(scope.ctx, {
    predicate: buildPredicate(scope.def, queryString(req, 'labelSelector'), queryString(req, 'fieldSelector')),
    limit,
    continue: queryString(req, 'continue'),
    resourceVersion: queryString(req, 'resourceVersion'),
    resourceVersionMatch: queryString(req, 'resourceVersionMatch'),
  });
  writeList(req, res, scope, list);
};
