// Plain HTTP answers on a connection taken over by an 'upgrade' handler, where no ServerResponse
// exists any more: the refusals of a streaming upgrade, worded as upstream's http.Error writes them.
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

export function writeUpgradeError(socket: Duplex, code: number, message: string, headers: Record<string, string | string[]> = {}): void {
  const body = Buffer.from(`${message}\n`);
  const lines = [`HTTP/1.1 ${code} ${STATUS_CODES[code] ?? ''}`, 'Content-Type: text/plain; charset=utf-8', 'X-Content-Type-Options: nosniff'];
  for (const [name, value] of Object.entries(headers)) {
    for (const v of Array.isArray(value) ? value : [value]) lines.push(`${name}: ${v}`);
  }
  lines.push(`Content-Length: ${body.length}`, 'Connection: close', '', '');
  socket.end(Buffer.concat([Buffer.from(lines.join('\r\n')), body]));
}

/** All values of a request header, comma lists split, as upstream's commaSeparatedHeaderValues. */
export function headerValues(req: IncomingMessage, name: string): string[] {
  const raw = req.headersDistinct[name.toLowerCase()] ?? [];
  return raw.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v.length > 0);
}

export function isWebSocketRequest(req: IncomingMessage): boolean {
  return (req.headers.upgrade ?? '').toLowerCase() === 'websocket' && /(^|,)\s*upgrade\s*($|,)/i.test(req.headers.connection ?? '');
}

/** Go's %v of a []string: [a b c]. */
export function goList(values: string[]): string {
  return `[${values.join(' ')}]`;
}
