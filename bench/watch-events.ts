// A watch response as a stream of decoded events (one JSON object per line, as the API server writes
// them); an unparsable line is counted as an error, never silently skipped.
import type { IncomingMessage } from 'node:http';

export interface WatchEvent<T> {
  type: string;
  object: T;
}

export function onWatchEvents<T>(res: IncomingMessage, onEvent: (event: WatchEvent<T>) => void, fail: (code: string) => void): void {
  let buffered = '';
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => {
    buffered += chunk;
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      if (line.trim() === '') continue;
      let event: WatchEvent<T>;
      try {
        event = JSON.parse(line);
      } catch {
        fail('unparsable watch line');
        continue;
      }
      onEvent(event);
    }
  });
}
