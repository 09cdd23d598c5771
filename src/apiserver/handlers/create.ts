import { admitNamespace } from '../admission.ts';
import { checkNameAndNamespace, decodeObject, fieldValidationOf } from '../decode.ts';
import { negotiateObject, writeObject } from './output.ts';
import { setWarnings, type Handler } from './scope.ts';

export const createResource: Handler = async (req, res, scope) => {
  const output = negotiateObject(req, scope);
  const { obj, warnings } = decodeObject(req, scope.def, fieldValidationOf(req));
  checkNameAndNamespace(obj, scope.def, scope.ctx.namespace, undefined);
  // Admission runs on the decoded object, as upstream: a malformed body is a 400 first, and a refusal
  // names the object.
  await admitNamespace(scope.registry, scope.def, scope.ctx, obj.metadata.name ?? '');
  const created = await scope.store.create(scope.ctx, obj);
  setWarnings(res, warnings);
  writeObject(req, res, scope, 201, created, output);
};
