import { checkNameAndNamespace, decodeObject, fieldValidationOf } from '../decode.ts';
import { negotiateObject, writeObject } from './output.ts';
import { setWarnings, type Handler } from './scope.ts';

export const updateResource: Handler = async (req, res, scope) => {
  const output = negotiateObject(req, scope);
  const { obj, warnings } = decodeObject(req, scope.def, fieldValidationOf(req));
  checkNameAndNamespace(obj, scope.def, scope.ctx.namespace, scope.info.name);
  const { object, created } = await scope.store.update(scope.ctx, scope.info.name, () => obj, { subresource: scope.info.subresource });
  setWarnings(res, warnings);
  writeObject(req, res, scope, created ? 201 : 200, object, output);
};
