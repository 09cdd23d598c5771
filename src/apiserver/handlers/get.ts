import type { Handler } from './scope.ts';
import { queryString } from './scope.ts';
import { isPlainJson, writeJsonText } from '../respond.ts';
import { negotiateObject, writeObject } from './output.ts';

export const getResource: Handler = async (req, res, scope) => {
  const opts = { resourceVersion: queryString(req, 'resourceVersion') };
  // The common answer is the stored JSON itself: served without parsing or re-encoding it.
  if (isPlainJson(req, () => negotiateObject(req, scope))) {
    writeJsonText(res, 200, await scope.store.getJson(scope.ctx, scope.info.name, opts));
    return;
  }
  const obj = await scope.store.get(scope.ctx, scope.info.name, opts);
  writeObject(req, res, scope, 200, obj);
};
