// Terminal resizes arrive as a stream of JSON objects ({"Width":80,"Height":24}, as Go's
// json.Encoder writes remotecommand.TerminalSize) on the resize stream/channel; they are handed to
// the runtime as an async iterable. Only the newest sizes matter, so an unread backlog is trimmed.

export interface TerminalSize {
  width: number;
  height: number;
}

const MAX_BACKLOG = 16;

export class ResizeEvents implements AsyncIterable<TerminalSize> {
  private text = '';
  private backlog: TerminalSize[] = [];
  private waiting: ((r: IteratorResult<TerminalSize>) => void) | undefined;
  private ended = false;

  push(chunk: Buffer): void {
    if (this.ended) return;
    this.text += chunk.toString('utf8');
    for (;;) {
      const end = objectEnd(this.text);
      if (end < 0) break;
      const json = this.text.slice(0, end);
      this.text = this.text.slice(end);
      let size: TerminalSize | undefined;
      try {
        const o = JSON.parse(json) as Record<string, unknown>;
        size = { width: Number(o.Width ?? o.width ?? 0), height: Number(o.Height ?? o.height ?? 0) };
      } catch {
        this.end(); // upstream stops decoding at the first malformed object
        return;
      }
      this.emit(size);
    }
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    const w = this.waiting;
    this.waiting = undefined;
    w?.({ done: true, value: undefined });
  }

  private emit(size: TerminalSize): void {
    const w = this.waiting;
    if (w) {
      this.waiting = undefined;
      w({ done: false, value: size });
      return;
    }
    this.backlog.push(size);
    if (this.backlog.length > MAX_BACKLOG) this.backlog.shift();
  }

  [Symbol.asyncIterator](): AsyncIterator<TerminalSize> {
    return {
      next: () => {
        const next = this.backlog.shift();
        if (next) return Promise.resolve({ done: false, value: next });
        if (this.ended) return Promise.resolve({ done: true, value: undefined });
        return new Promise((resolve) => (this.waiting = resolve));
      },
      return: () => {
        this.end();
        return Promise.resolve({ done: true, value: undefined });
      },
    };
  }
}

/** Index just past the first complete top-level JSON object (leading whitespace included), or -1. */
function objectEnd(text: string): number {
  let depth = 0;
  let inString = false;
  let started = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '{') {
      depth++;
      started = true;
    } else if (ch === '}') {
      depth--;
      if (started && depth === 0) return i + 1;
    } else if (!started && !/\s/.test(ch!)) {
      return i + 1; // not an object: let JSON.parse reject it
    }
  }
  return -1;
}
