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

/**
 * Whether the response is plain compact JSON of the object itself, so that JSON text already at hand
 * (a stored object's) can be written as is. A negotiation error says no: it is raised where it always was.
 */
export function isPlainJson(req: Request, negotiated: () => Pick<Negotiated, 'format' | 'view'>): boolean {
  try {
    const n = negotiated();
    return n.format === 'json' && n.view === 'object' && !isPretty(req);
  } catch {
    return false;
  }
}

/** writeBody for a body given as its JSON text: the same bytes and headers. */
export function writeJsonText(res: Response, code: number, json: string): void {
  res.status(code);
  res.setHeader('Content-Type', contentTypeOf('json'));
  res.setHeader('Cache-Control', 'no-cache, private');
  res.end(json + '\n');
}

/** Lists up to this size are written in one piece; larger ones in pieces of about this size. */
const LIST_PIECE_BYTES = 64 * 1024;

/**
 * writeBody for a list whose items are given as their JSON texts: the bytes of
 * JSON.stringify({ ...head, items }), without re-encoding the items. A large list goes out in pieces
 * as the client takes them, so no copy of the whole body is ever held.
 */
export async function writeJsonList(res: Response, head: object, items: string[]): Promise<void> {
  const h = JSON.stringify(head);
  const open = `${h.slice(0, -1)}${h === '{}' ? '' : ','}"items":[`;
  const close = ']}\n';
  let chars = open.length + close.length + items.length;
  for (const item of items) chars += item.length;
  if (chars <= LIST_PIECE_BYTES) {
    writeJsonText(res, 200, `${open}${items.join(',')}]}`);
    return;
  }
  let bytes = Buffer.byteLength(open) + Buffer.byteLength(close) + Math.max(items.length - 1, 0);
  for (const item of items) bytes += Buffer.byteLength(item);
  res.status(200);
  res.setHeader('Content-Type', contentTypeOf('json'));
  res.setHeader('Cache-Control', 'no-cache, private');
  res.setHeader('Content-Length', bytes);
  let piece = open;
  for (let i = 0; i < items.length; i++) {
    piece += i === 0 ? items[i] : `,${items[i]}`;
    if (piece.length >= LIST_PIECE_BYTES) {
      const more = res.write(piece);
      piece = '';
      if (!more && !(await drained(res))) return;
    }
  }
  res.end(piece + close);
}

/** Resolves true once the response can take more, false if the client went away first. */
function drained(res: Response): Promise<boolean> {
  if (res.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (ok: boolean) => () => { res.off('drain', onDrain); res.off('close', onClose); resolve(ok); };
    const onDrain = done(true);
    const onClose = done(false);
    res.once('drain', onDrain);
    res.once('close', onClose);
  });
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
