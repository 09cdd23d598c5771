import type { Handler } from './scope.ts';
import { queryString } from './scope.ts';
import { writeObject } from './output.ts';

export const getResource: Handler = async (req, res, scope) => {
  const obj = await scope.store.get(scope.ctx, scope.info.name, { resourceVersion: queryString(req, 'resourceVersion') });
  writeObject(req, res, scope, 200, obj);
};
