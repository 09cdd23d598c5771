// Writes objects and Status errors in the negotiated form; the one place responses are encoded.
import type { Request, Response } from 'express';
import { stringify as toYaml } from 'yaml';
import { newInternalError, StatusError } from '../apimachinery/errors.ts';
import type { Negotiated } from './negotiation.ts';

export function encode(body: unknown, format: 'json' | 'yaml', pretty: boolean): string {
  if (format === 'yaml') return toYaml(body, { aliasDuplicateObjects: false, lineWidth: 0 });
  return pretty ? JSON.stringify(body, null, 2) + '\n' : JSON.stringify(body) + '\n';
}

export function contentTypeOf(format: 'json' | 'yaml'): string {
  return format === 'yaml' ? 'application/yaml' : 'application/json';
}

export function isPretty(req: Request): boolean {
  const p = req.query.pretty;
  if (p === 'true' || p === '1') return true;
  if (p === 'false' || p === '0') return false;
  // Upstream pretty-prints for browsers and curl-like user agents that did not ask otherwise.
  const ua = req.headers['user-agent'] ?? '';
  return /^(curl|Wget|Mozilla)/.test(ua);
}

export function writeBody(req: Request, res: Response, code: number, body: unknown, n: Pick<Negotiated, 'format'>): void {
  res.status(code);
  res.setHeader('Content-Type', contentTypeOf(n.format));
  res.setHeader('Cache-Control', 'no-cache, private');
  res.end(encode(body, n.format, isPretty(req)));
}

export function writeError(req: Request, res: Response, err: unknown): void {
  const st = err instanceof StatusError ? err : newInternalError(err);
  if (!(err instanceof StatusError)) console.error('k8ts: internal error:', err instanceof Error ? err.message : err);
  if (res.headersSent) { res.end(); return; }
  if (st.status.details?.retryAfterSeconds) res.setHeader('Retry-After', String(st.status.details.retryAfterSeconds));
  const format = (req.headers.accept ?? '').includes('application/yaml') && !(req.headers.accept ?? '').includes('json') ? 'yaml' : 'json';
  // Upstream omits an empty reason from the JSON.
  const body = st.status.reason ? st.status : { ...st.status, reason: undefined };
  writeBody(req, res, st.code, body, { format });
}
