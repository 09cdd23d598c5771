// The patch package's public surface: the PATCH handler needs applyPatch; the OpenAPI generator
// reads patchMeta; registries map kinds to models with modelNameFor.
export { applyPatch, PATCH_CONTENT_TYPES } from './apply-patch.ts';
export type { ApplyPatchOptions, FieldValidation, PatchType } from './apply-patch.ts';
export { applyJsonPatch } from './json-patch.ts';
export { applyMergePatch } from './merge-patch.ts';
export { applyStrategicMergePatch } from './strategic-merge-patch.ts';
export { patchMeta } from './patch-meta.ts';
export type { PatchMeta } from './patch-meta.ts';
export { lookupField, modelNameFor } from './schema-lookup.ts';
