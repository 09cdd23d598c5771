// PATCH: json, merge and strategic merge patches applied to the current object inside the one
// compare-and-swap update path, so a patch never loses a concurrent write.
import { newBadRequest, newUnsupportedMediaType } from '../../apimachinery/errors.ts';
import { applyPatch } from '../../apimachinery/patch/index.ts';
import type { KObject } from '../../apimachinery/types.ts';
import { checkObject, fieldValidationOf, rawBody } from '../decode.ts';
import { patchKind } from '../negotiation.ts';
import { negotiateObject, writeObject } from './output.ts';
import { setWarnings, type Handler } from './scope.ts';

export const patchResource: Handler = async (req, res, scope) => {
  const kind = patchKind(req.headers['content-type']);
  const output = negotiateObject(req, scope);
  if (kind === 'apply') {
    throw newUnsupportedMediaType('server-side apply (application/apply-patch+yaml) is not supported by this server yet; use client-side apply (kubectl apply without --server-side)');
  }
  const body = rawBody(req);
  const validation = fieldValidationOf(req);
  if (kind === 'strategic' && !scope.def.openapiModel) {
    throw newUnsupportedMediaType('the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml');
  }
  let warnings: string[] = [];
  const { object } = await scope.store.update(scope.ctx, scope.info.name, (current) => {
    const patched = applyPatch(kind, current as KObject, body, scope.def.openapiModel, { fieldValidation: validation });
    const checked = checkObject(patched, scope.def, validation);
    warnings = checked.warnings;
    const m = checked.obj.metadata;
    if (m.name !== undefined && m.name !== scope.info.name) throw newBadRequest(`the name of the object (${String(m.name)}) does not match the name on the URL (${scope.info.name})`);
    return checked.obj;
  }, { subresource: scope.info.subresource, isPatch: true });
  setWarnings(res, warnings);
  writeObject(req, res, scope, 200, object, output);
};
