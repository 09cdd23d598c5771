// What every verb handler gets: the resource, its store, the parsed request and context.
import type { Request, Response } from 'express';
import type { KObject } from '../../apimachinery/types.ts';
import type { Registry, ServedResource } from '../../registry/registry.ts';
import type { RequestContext } from '../../registry/types.ts';
import type { RequestInfo } from '../request-info.ts';
import type { WatchRegistry } from '../watch-registry.ts';

export interface Scope extends ServedResource {
  info: RequestInfo;
  ctx: RequestContext;
  registry: Registry;
  watches: WatchRegistry;
  now: () => Date;
}

export type Handler = (req: Request, res: Response, scope: Scope) => Promise<void>;

export function queryString(req: Request, name: string): string | undefined {
  const v = req.query[name];
  if (Array.isArray(v)) return typeof v[0] === 'string' ? v[0] : undefined;
  return typeof v === 'string' ? v : undefined;
}

export function queryInt(req: Request, name: string): number | undefined {
  const s = queryString(req, name);
  if (s === undefined || s === '') return undefined;
  if (!/^-?\d+$/.test(s)) return NaN;
  return Number(s);
}

export function setWarnings(res: Response, warnings: string[]): void {
  if (warnings.length === 0) return;
  res.setHeader('Warning', warnings.map((w) => `299 - ${JSON.stringify(w)}`));
}

export function nameOf(obj: KObject): string {
  return obj.metadata?.name ?? '';
}
