// A watch response as an async iterator of events: the server writes one JSON {"type","object"} per
// line over a chunked response. stop() (or the caller's AbortSignal) ends iteration quietly; an ERROR
// event (e.g. 410 Expired) is yielded with its Status for the caller to act on.
import type { IncomingMessage } from 'node:http';
import type { Status } from '../apimachinery/errors.ts';
import type { KObject } from '../apimachinery/types.ts';

export type WatchEvent<T extends KObject = KObject> =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK'; object: T }
  | { type: 'ERROR'; object: Status };

export class WatchStream<T extends KObject = KObject> implements AsyncIterable<WatchEvent<T>> {
  private stopped = false;
  private iterated = false;

  constructor(private readonly res: IncomingMessage, private readonly abort: AbortController) {
    res.setEncoding('utf8');
    // Aborted from outside (the caller's signal) counts as stopped, not as a failure.
    if (abort.signal.aborted) this.stop();
    else abort.signal.addEventListener('abort', () => this.stop(), { once: true });
  }

  /** Ends the stream; a pending or later next() returns done. Idempotent. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.abort.abort();
    this.res.destroy();
  }

  get isStopped(): boolean { return this.stopped; }

  [Symbol.asyncIterator](): AsyncIterator<WatchEvent<T>> {
    if (this.iterated) throw new Error('a watch stream can be iterated once');
    this.iterated = true;
    return this.events();
  }

  private async *events(): AsyncGenerator<WatchEvent<T>> {
    let buf = '';
    try {
      for await (const chunk of this.res) {
        buf += chunk as string;
        let start = 0;
        for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n', start)) {
          const line = buf.slice(start, nl);
          start = nl + 1;
          if (line.trim() !== '') yield JSON.parse(line) as WatchEvent<T>;
          if (this.stopped) return;
        }
        buf = buf.slice(start);
      }
      if (buf.trim() !== '' && !this.stopped) yield JSON.parse(buf) as WatchEvent<T>;
    } catch (err) {
      if (this.stopped) return;
      throw err;
    } finally {
      this.stop();
    }
  }
}
