// The one entry point the PATCH handler calls: decode the body as kube-apiserver does (same 400
// texts for unparsable bodies) and dispatch to the JSON, merge or strategic merge patch.
import type { KObject } from '../types.ts';
import { newBadRequest } from '../errors.ts';
import { GoJsonError, goJsonKind, goUnmarshalTypeError, parseGoJson } from './go-json.ts';
import { applyJsonPatch } from './json-patch.ts';
import { applyMergePatch, isJsonObject } from './merge-patch.ts';
import { applyStrategicMergePatch } from './strategic-merge-patch.ts';

export type PatchType = 'json' | 'merge' | 'strategic';

/** Content-Type → patch type; server-side apply (application/apply-patch+yaml) is handled elsewhere. */
export const PATCH_CONTENT_TYPES: Readonly<Record<string, PatchType>> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
};

/** The fieldValidation query parameter; upstream treats an empty one as Warn. */
export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface ApplyPatchOptions {
  fieldValidation?: FieldValidation;
}

const GO_MAP = 'map[string]interface {}';

/**
 * Applies a PATCH body to the current object and returns the patched copy. modelName is the
 * models.generated.json name of the kind (see modelNameFor); without it a strategic merge patch is
 * applied as a merge patch. Throws StatusErrors: 400 for bodies that do not decode, 422 for JSON
 * patches that do not apply, 400/422/500 for strategic merge patch failures as upstream.
 */
export function applyPatch(
  patchType: PatchType, current: KObject, body: Buffer | string, modelName?: string, options: ApplyPatchOptions = {},
): KObject {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  // Warn and Strict decode the body strictly first, and report failures with this prefix.
  const strict = (options.fieldValidation ?? 'Warn') !== 'Ignore';
  switch (patchType) {
    case 'json':
      return applyJsonPatch(current, decodeJsonPatch(text, strict));
    case 'merge':
      return applyMergePatch(current, decodeMergePatch(text, strict));
    case 'strategic':
      return applyStrategicMergePatch(current, decodeStrategicMergePatch(text), modelName);
  }
}

function decodeJsonPatch(text: string, strict: boolean): unknown[] {
  const fail = (e: GoJsonError) => newBadRequest(strict ? `error decoding patch: ${e.message}` : e.message);
  let v: unknown;
  try { v = parseGoJson(text); } catch (e) { throw fail(e as GoJsonError); }
  if (v === null) return [];
  const listType = strict ? '[]handlers.jsonPatchOp' : 'jsonpatch.Patch';
  const elemType = strict ? 'handlers.jsonPatchOp' : 'jsonpatch.Operation';
  if (!Array.isArray(v)) throw fail(goUnmarshalTypeError(v, listType));
  for (const op of v) {
    if (op === null) continue;
    if (!isJsonObject(op)) throw fail(goUnmarshalTypeError(op, elemType));
    if (!strict) continue;
    for (const f of ['op', 'path', 'from']) {
      const fv = op[f];
      if (fv !== undefined && fv !== null && typeof fv !== 'string') {
        throw fail(new GoJsonError(`json: cannot unmarshal ${goJsonKind(fv)} into Go struct field jsonPatchOp.${f} of type string`));
      }
    }
  }
  return v;
}

function decodeMergePatch(text: string, strict: boolean): Record<string, unknown> {
  let v: unknown;
  try { v = parseGoJson(text); } catch (e) {
    throw newBadRequest(strict ? `error decoding patch: ${(e as Error).message}` : 'Invalid JSON Patch');
  }
  if (strict && v !== null && !isJsonObject(v)) {
    throw newBadRequest(`error decoding patch: ${goUnmarshalTypeError(v, GO_MAP).message}`);
  }
  // evanphx/json-patch's MergePatch refuses a null or non-object patch document.
  if (!isJsonObject(v)) throw newBadRequest('Invalid JSON Patch');
  return v;
}

function decodeStrategicMergePatch(text: string): Record<string, unknown> {
  let v: unknown;
  try { v = parseGoJson(text); } catch (e) { throw newBadRequest((e as Error).message); }
  if (v === null) return {};
  if (!isJsonObject(v)) throw newBadRequest(goUnmarshalTypeError(v, GO_MAP).message);
  return v;
}
