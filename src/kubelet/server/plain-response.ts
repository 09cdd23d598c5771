// The kubelet answers errors in plain text (go-restful's WriteError), before an upgrade on the HTTP
// response and during one on the raw socket.
import type { ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

export function writePlain(res: ServerResponse, code: number, text: string): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** A complete HTTP/1.1 response on a socket that was handed over for an upgrade, then the end of it. */
export function writePlainToSocket(socket: Duplex, code: number, text: string): void {
  if (socket.destroyed) return;
  const body = Buffer.from(text);
  socket.end(Buffer.concat([
    Buffer.from(`HTTP/1.1 ${code} ${STATUS_CODES[code] ?? ''}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`),
    body,
  ]));
}
