// Strategic merge patch (application/strategic-merge-patch+json) as upstream's
// k8s.io/apimachinery/pkg/util/strategicpatch applies it server side (StrategicMergeMapPatch):
// lists tagged patchStrategy=merge are merged by their patchMergeKey, other lists are replaced,
// maps merge key by key, null deletes a key, and the $patch / $retainKeys / $setElementOrder /
// $deleteFromPrimitiveList directives. Failures carry upstream's texts and status codes.
import { deepCopy } from '../types.ts';
import { goFormatValue, goTypeName } from './go-format.ts';
import { applyMergePatch, isJsonObject, setOwn } from './merge-patch.ts';
import { newBadRequest, newPatchNotApplicable, newUnknownServerError } from './patch-errors.ts';
import { hasModel, lookupField, parseTypeString } from './schema-lookup.ts';

type Obj = Record<string, unknown>;
/** A type string of models.generated.json ("V1PodSpec", "{ [key: string]: string; }"), or unknown. */
type TypeRef = string | undefined;
type ElemKind = 'map' | 'scalar';

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const DELETE_PRIMITIVE_PREFIX = '$deleteFromPrimitiveList';
const SET_ORDER_PREFIX = '$setElementOrder';
const GO_MAP = 'map[string]interface {}';
const GO_SLICE = '[]interface {}';

// mergepatch's sentinel errors map onto status codes in the apiserver's interpretStrategicMergePatchError.
const errBadPrimitiveList = () => newBadRequest('invalid patch format of primitive list');
const errBadRetainKeys = () => newBadRequest('invalid patch format of retainKeys');
const errBadSetOrder = () => newBadRequest('invalid patch format of setElementOrder list');
const errNoListOfLists = () => newPatchNotApplicable();
const errNoMergeKey = (m: unknown, key: string) =>
  newUnknownServerError(`map: ${goFormatValue(m)} does not contain declared merge key: ${key}`);
const errBadArgType = (expected: string, actual: unknown) =>
  newUnknownServerError(`expected a ${expected}, but received a ${goTypeName(actual)}`);
const errBadPatchType = (t: unknown, m: unknown) =>
  newUnknownServerError(`unknown patch type: ${goFormatValue(t)} in map: ${goFormatValue(m)}`);

const has = (o: Obj, k: string) => Object.prototype.hasOwnProperty.call(o, k);

interface FieldMeta { fieldType: TypeRef; strategy: string; mergeKey: string }

/** forkedjson.LookupPatchMetadata + extractRetainKeysPatchStrategy for key inside a value of type t. */
function fieldMeta(t: TypeRef, key: string): FieldMeta {
  if (!t) return { fieldType: undefined, strategy: '', mergeKey: '' };
  const parsed = parseTypeString(t);
  if (parsed.kind === 'map') return { fieldType: parsed.value, strategy: '', mergeKey: '' };
  if (parsed.kind !== 'model') return { fieldType: undefined, strategy: '', mergeKey: '' };
  const info = lookupField(parsed.name, key);
  return { fieldType: info.type, strategy: patchStrategyOf(info.strategy), mergeKey: info.mergeKey ?? '' };
}

/** "merge,retainKeys" → "merge"; "retainKeys" → "" (retainKeys only shapes client-side diffs). */
function patchStrategyOf(tag: string | undefined): string {
  const parts = tag ? tag.split(',') : [];
  if (parts.length === 0) return '';
  if (parts.length === 1) return parts[0] === 'retainKeys' ? '' : parts[0]!;
  if (parts.length === 2 && (parts[0] === 'retainKeys' || parts[1] === 'retainKeys')) {
    return parts[0] === 'retainKeys' ? parts[1]! : parts[0]!;
  }
  throw newUnknownServerError(`unexpected patch strategy: ${goFormatValue(parts)}`);
}

function elementTypeOf(t: TypeRef): TypeRef {
  if (!t) return undefined;
  const parsed = parseTypeString(t);
  return parsed.kind === 'array' ? parsed.element : undefined;
}

function kindOf(v: unknown): string {
  if (v === null || v === undefined) return 'nil';
  if (Array.isArray(v)) return 'slice';
  return typeof v === 'object' ? 'map' : 'scalar';
}

function extractKey(s: string, prefix: string): string {
  const i = s.indexOf('/');
  if (i < 0 || s.slice(0, i) !== prefix) {
    if (prefix === DELETE_PRIMITIVE_PREFIX) throw errBadPrimitiveList();
    throw errBadSetOrder();
  }
  return s.slice(i + 1);
}

/**
 * Applies a strategic merge patch to obj (neither is modified). modelName is the
 * models.generated.json name of obj's kind ("V1Deployment"); without a known model the patch is
 * applied as a JSON merge patch, which is what custom resources support instead.
 */
export function applyStrategicMergePatch<T>(obj: T, patch: Record<string, unknown>, modelName?: string): T {
  if (!modelName || !hasModel(modelName)) return applyMergePatch(obj, patch);
  const original = isJsonObject(obj) ? (deepCopy(obj) as Obj) : {};
  const result = mergeMap(original, deepCopy(patch), modelName);
  stripDirectives(result);
  return result as T;
}

function mergeMap(original: Obj | null, patch: Obj, t: TypeRef): Obj {
  if (has(patch, DIRECTIVE)) return handleDirectiveInMergeMap(patch[DIRECTIVE], patch);
  const orig = original ?? {};
  applyRetainKeysDirective(orig, patch);
  mergePatchIntoOriginal(orig, patch, t);

  for (const rawKey of Object.keys(patch)) {
    const patchV = patch[rawKey];
    let k = rawKey;
    let isDeleteList = false;
    if (rawKey.startsWith(DELETE_PRIMITIVE_PREFIX)) {
      k = extractKey(rawKey, DELETE_PRIMITIVE_PREFIX);
      isDeleteList = true;
    }
    if (patchV === null) {
      delete orig[k];
      continue;
    }
    if (!has(orig, k)) {
      setOwn(orig, k, patchV);
      continue;
    }
    const origV = orig[k];
    const kind = kindOf(origV);
    if (kind !== kindOf(patchV) || kind === 'scalar' || kind === 'nil') {
      setOwn(orig, k, patchV);
      continue;
    }
    const meta = fieldMeta(t, k);
    if (kind === 'map') {
      setOwn(orig, k, meta.strategy !== 'replace' ? mergeMap(origV as Obj, patchV as Obj, meta.fieldType) : patchV);
    } else {
      setOwn(orig, k, mergeSliceHandler(origV as unknown[], patchV as unknown[], meta, isDeleteList));
    }
  }
  return orig;
}

function handleDirectiveInMergeMap(directive: unknown, patch: Obj): Obj {
  if (directive === 'replace') {
    delete patch[DIRECTIVE];
    return patch;
  }
  if (directive === 'delete') return {};
  throw errBadPatchType(directive, patch);
}

/** $retainKeys: drop original keys not listed; every key the patch sets must be listed. */
function applyRetainKeysDirective(original: Obj, patch: Obj): void {
  if (!has(patch, RETAIN_KEYS)) return;
  const list = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(list)) throw errBadRetainKeys();
  const keep = new Set<unknown>(list);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(DELETE_PRIMITIVE_PREFIX) || k.startsWith(SET_ORDER_PREFIX)) continue;
    if (!keep.has(k)) throw errBadRetainKeys();
  }
  for (const k of Object.keys(original)) if (!keep.has(k)) delete original[k];
}

/** $setElementOrder/<list>: merge that list now and order it by the directive, then by the live order. */
function mergePatchIntoOriginal(original: Obj, patch: Obj, t: TypeRef): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ORDER_PREFIX)) continue;
    const setOrder = patch[key];
    delete patch[key];
    if (!Array.isArray(setOrder)) throw errBadArgType(GO_SLICE, setOrder);
    const listKey = extractKey(key, SET_ORDER_PREFIX);
    const foundOriginal = has(original, listKey);
    const foundPatch = has(patch, listKey);
    let originalList: unknown[] = [];
    let patchList: unknown[] = [];
    if (foundOriginal) {
      if (!Array.isArray(original[listKey])) throw errBadArgType(GO_SLICE, original[listKey]);
      originalList = original[listKey] as unknown[];
    }
    if (foundPatch) {
      if (!Array.isArray(patch[listKey])) throw errBadArgType(GO_SLICE, patch[listKey]);
      patchList = patch[listKey] as unknown[];
    }
    const meta = fieldMeta(t, listKey);
    validatePatchWithSetOrderList(patchList, setOrder, meta.mergeKey);

    let merged: unknown[];
    if (foundOriginal && foundPatch) merged = mergeSliceHandler([...originalList], patchList, meta, false);
    else if (foundOriginal) merged = originalList;
    else if (foundPatch) merged = patchList;
    else continue;

    const [patchItems, serverOnly] = meta.mergeKey === ''
      ? partitionPrimitives(merged, setOrder)
      : partitionMaps(merged, setOrder, meta.mergeKey);
    const kind = sliceElementKind(originalList, patchList);
    setOwn(original, listKey, normalizeElementOrder(patchItems, serverOnly, setOrder, originalList, meta.mergeKey, kind));
    delete patch[listKey];
  }
}

/** The patch list's items must appear in the $setElementOrder list in the same relative order. */
function validatePatchWithSetOrderList(patchList: unknown[], setOrder: unknown[], mergeKey: string): void {
  if (setOrder.length === 0 || patchList.length === 0) return;
  const nonDelete = mergeKey ? extractToDeleteItems(patchList)[0] : patchList;
  let pi = 0;
  let si = 0;
  while (pi < nonDelete.length && si < setOrder.length) {
    if (isJsonObject(nonDelete[pi]) && has(nonDelete[pi] as Obj, DIRECTIVE)) { pi++; continue; }
    if (mergeKeyValueEqual(nonDelete[pi], setOrder[si], mergeKey)) pi++;
    si++;
  }
  if (pi < nonDelete.length && si >= setOrder.length) {
    throw newUnknownServerError(`The order in patch list:\n${goFormatValue(patchList)}\n doesn't match ${SET_ORDER_PREFIX} list:\n${goFormatValue(setOrder)}\n`);
  }
}

function mergeKeyValueEqual(left: unknown, right: unknown, mergeKey: string): boolean {
  if (mergeKey === '') return left === right;
  if (!isJsonObject(left)) throw errBadArgType(GO_MAP, left);
  if (!isJsonObject(right)) throw errBadArgType(GO_MAP, right);
  if (!has(left, mergeKey)) throw errNoMergeKey(left, mergeKey);
  if (!has(right, mergeKey)) throw errNoMergeKey(right, mergeKey);
  return left[mergeKey] === right[mergeKey];
}

function mergeSliceHandler(original: unknown[], patch: unknown[], meta: FieldMeta, isDeleteList: boolean): unknown[] {
  if (meta.strategy !== 'merge') return patch;
  return mergeSlice(original, patch, elementTypeOf(meta.fieldType), meta.mergeKey, isDeleteList);
}

function mergeSlice(original: unknown[], patch: unknown[], elemType: TypeRef, mergeKey: string, isDeleteList: boolean): unknown[] {
  if (original.length === 0 && patch.length === 0) return original;
  const kind = sliceElementKind(original, patch);
  let merged: unknown[];
  if (kind !== 'map') {
    if (isDeleteList) return original.filter((v) => !patch.includes(v));
    merged = [...new Set([...original, ...patch])];
  } else {
    if (mergeKey === '') {
      const k = elemType && parseTypeString(elemType).kind === 'map' ? 'map' : 'struct';
      throw newUnknownServerError(`cannot merge lists without merge key for type ${k}`);
    }
    [original, patch] = mergeSliceWithSpecialElements(original, patch, mergeKey);
    merged = mergeSliceWithoutSpecialElements(original, patch, mergeKey, elemType);
  }
  const [patchItems, serverOnly] = mergeKey === ''
    ? partitionPrimitives(merged, patch)
    : partitionMaps(merged, patch, mergeKey);
  return normalizeElementOrder(patchItems, serverOnly, patch, original, mergeKey, kind);
}

/** Items carrying $patch: delete remove their match from original; $patch: replace takes the patch list as is. */
function mergeSliceWithSpecialElements(original: unknown[], patch: unknown[], mergeKey: string): [unknown[], unknown[]] {
  const rest: unknown[] = [];
  let replace = false;
  for (const v of patch) {
    const m = v as Obj;
    if (!has(m, DIRECTIVE)) { rest.push(v); continue; }
    const directive = m[DIRECTIVE];
    if (directive === 'delete') {
      if (!has(m, mergeKey)) throw errNoMergeKey(m, mergeKey);
      original = deleteMatchingEntries(original, mergeKey, m[mergeKey]);
    } else if (directive === 'replace') {
      replace = true;
    } else if (directive === 'merge') {
      throw newUnknownServerError('merging lists cannot yet be specified in the patch');
    } else {
      throw errBadPatchType(directive, m);
    }
  }
  return replace ? [rest, []] : [original, rest];
}

function deleteMatchingEntries(original: unknown[], mergeKey: string, value: unknown): unknown[] {
  for (;;) {
    const found = findMapInSlice(original, mergeKey, value);
    if (!found) return original;
    original = [...original.slice(0, found.index), ...original.slice(found.index + 1)];
  }
}

function mergeSliceWithoutSpecialElements(original: unknown[], patch: unknown[], mergeKey: string, elemType: TypeRef): unknown[] {
  const out = [...original];
  for (const v of patch) {
    const m = v as Obj;
    if (!has(m, mergeKey)) throw errNoMergeKey(m, mergeKey);
    const found = findMapInSlice(out, mergeKey, m[mergeKey]);
    if (found) out[found.index] = mergeMap(found.map, m, elemType);
    else out.push(v);
  }
  return out;
}

function findMapInSlice(list: unknown[], key: string, value: unknown): { map: Obj; index: number } | undefined {
  for (let i = 0; i < list.length; i++) {
    const v = list[i];
    if (!isJsonObject(v)) throw newUnknownServerError(`value for key ${i} is not a map.`);
    if (has(v, key) && v[key] === value) return { map: v, index: i };
  }
  return undefined;
}

/** sliceElementType: all elements share one type, and lists of lists are refused. */
function sliceElementKind(...lists: unknown[][]): ElemKind {
  let prev: string | undefined;
  for (const list of lists) {
    for (const v of list) {
      const t = goTypeName(v);
      if (prev === undefined) {
        prev = t;
        if (Array.isArray(v)) throw errNoListOfLists();
      } else if (prev !== t) {
        throw newUnknownServerError(`list element types are not identical: ${goFormatValue(lists)}`);
      }
    }
  }
  if (prev === undefined) throw newUnknownServerError('no elements in any of the given slices');
  return prev === GO_MAP ? 'map' : 'scalar';
}

function extractToDeleteItems(list: unknown[]): [unknown[], unknown[]] {
  const keep: unknown[] = [];
  const del: unknown[] = [];
  for (const v of list) {
    if (!isJsonObject(v)) throw errBadArgType(GO_MAP, v);
    (v[DIRECTIVE] === 'delete' ? del : keep).push(v);
  }
  return [keep, del];
}

function partitionPrimitives(list: unknown[], by: unknown[]): [unknown[], unknown[]] {
  const inBy = new Set(by);
  return [list.filter((v) => inBy.has(v)), list.filter((v) => !inBy.has(v))];
}

function partitionMaps(list: unknown[], by: unknown[], mergeKey: string): [unknown[], unknown[]] {
  const inPatch: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const v of list) {
    if (!isJsonObject(v)) throw errBadArgType(GO_MAP, v);
    if (!has(v, mergeKey)) throw errNoMergeKey(v, mergeKey);
    (findMapInSlice(by, mergeKey, v[mergeKey]) ? inPatch : serverOnly).push(v);
  }
  return [inPatch, serverOnly];
}

/** Index of item in list: by merge key value for maps, by value for scalars. */
function indexIn(list: unknown[], item: unknown, mergeKey: string, kind: ElemKind): number {
  const val = (x: unknown) => (kind === 'map' ? (isJsonObject(x) ? x[mergeKey] ?? null : null) : x);
  const want = val(item);
  return list.findIndex((x) => val(x) === want);
}

/** Sorts the patch items by the patch order and the server-only items by the live order, then interleaves them. */
function normalizeElementOrder(
  patch: unknown[], serverOnly: unknown[], patchOrder: unknown[], serverOrder: unknown[], mergeKey: string, kind: ElemKind,
): unknown[] {
  const p = normalizeSliceOrder(patch, patchOrder, mergeKey, kind);
  const s = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, kind);
  return mergeSortedSlice(s, p, serverOrder, mergeKey, kind);
}

function normalizeSliceOrder(toSort: unknown[], order: unknown[], mergeKey: string, kind: ElemKind): unknown[] {
  let del: unknown[] = [];
  if (kind === 'map') {
    for (const list of [toSort, order]) {
      for (const item of list) {
        if (!isJsonObject(item)) throw errBadArgType(GO_MAP, item);
        if (!has(item, mergeKey)) throw errNoMergeKey(item, mergeKey);
      }
    }
    [toSort, del] = extractToDeleteItems(toSort);
  }
  const sorted = [...toSort].sort((a, b) => {
    const ia = indexIn(order, a, mergeKey, kind);
    const ib = indexIn(order, b, mergeKey, kind);
    return ia >= 0 && ib >= 0 ? ia - ib : 0;
  });
  return [...sorted, ...del];
}

/**
 * Inserts the server-only items (left) among the patch items (right): a server-only item goes
 * first only when both are in the live list and it came earlier there; items new to the live list
 * therefore lead.
 */
function mergeSortedSlice(left: unknown[], right: unknown[], serverOrder: unknown[], mergeKey: string, kind: ElemKind): unknown[] {
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) { out.push(right[j++]); continue; }
    if (j >= right.length) { out.push(left[i++]); continue; }
    const li = indexIn(serverOrder, left[i], mergeKey, kind);
    const ri = indexIn(serverOrder, right[j], mergeKey, kind);
    if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
    else out.push(right[j++]);
  }
  return out;
}

/**
 * Directive keys left inside values the patch introduced wholesale; upstream drops them when it
 * converts the result back into the typed object.
 */
function stripDirectives(v: unknown): void {
  if (Array.isArray(v)) { v.forEach(stripDirectives); return; }
  if (!isJsonObject(v)) return;
  for (const k of Object.keys(v)) {
    if (k === DIRECTIVE || k === RETAIN_KEYS || k.startsWith(`${SET_ORDER_PREFIX}/`) || k.startsWith(`${DELETE_PRIMITIVE_PREFIX}/`)) {
      delete v[k];
    } else {
      stripDirectives(v[k]);
    }
  }
}
