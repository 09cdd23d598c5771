// Writing one object or a list in the negotiated view (object, Table, PartialObjectMetadata).
import type { Request, Response } from 'express';
import type { KList, KObject } from '../../apimachinery/types.ts';
import { negotiate, type Negotiated, type OutputView } from '../negotiation.ts';
import { writeBody } from '../respond.ts';
import { includeObjectOf, partialObjectMetadata, partialObjectMetadataList, toTable } from '../table.ts';
import type { Scope } from './scope.ts';

/** A virtual resource has no table convertor: kube-apiserver refuses a Table view of it (406). */
function objectViews(scope: Scope): OutputView[] {
  return scope.def.virtual ? ['PartialObjectMetadata'] : ['Table', 'PartialObjectMetadata'];
}

/** The response form of a write, settled before the write as upstream's handlers do: a 406 never follows a change. */
export function negotiateObject(req: Request, scope: Scope): Negotiated {
  return negotiate(req.headers.accept, objectViews(scope));
}

export function writeObject(req: Request, res: Response, scope: Scope, code: number, obj: KObject | Record<string, unknown>, n: Negotiated = negotiateObject(req, scope)): void {
  const isKObject = (obj as KObject).kind === scope.def.kind;
  let body: unknown = obj;
  if (isKObject && n.view === 'Table') {
    body = toTable(scope.def, [obj as KObject], { resourceVersion: (obj as KObject).metadata.resourceVersion }, {
      includeObject: includeObjectOf(req.query.includeObject), viewVersion: n.viewVersion, now: scope.now(),
    });
  } else if (isKObject && n.view === 'PartialObjectMetadata') {
    body = partialObjectMetadata(obj as KObject, n.viewVersion);
  }
  writeBody(req, res, code, body, n);
}

export function writeList(req: Request, res: Response, scope: Scope, list: KList): void {
  const n = negotiate(req.headers.accept, ['Table', 'PartialObjectMetadataList']);
  let body: unknown = list;
  if (n.view === 'Table') {
    body = toTable(scope.def, list.items, list.metadata, {
      includeObject: includeObjectOf(req.query.includeObject), viewVersion: n.viewVersion, now: scope.now(),
    });
  } else if (n.view === 'PartialObjectMetadataList') {
    body = partialObjectMetadataList(list, n.viewVersion);
  }
  writeBody(req, res, 200, body, n);
}
