// One line of a container log file → its message, in either format a runtime writes: the CRI format
// (containerd: `<time> <stream> <tag> <content>`, tag P for a partial line, F for the full end of
// one) or Docker's json-file (`{"log":"…","stream":"stdout","time":"…"}`).
import { parseLogTime, type LogTime } from './log-timestamp.ts';

export type LogStream = 'stdout' | 'stderr';

export interface LogMessage {
  timestamp: LogTime;
  stream: LogStream;
  /** The content as written: a full line ends with "\n", a partial one does not. */
  log: Buffer;
}

export type LogLineParser = (line: Buffer) => LogMessage;

const SPACE = 0x20;
const NEWLINE = 0x0a;

/** CRI log format: "2016-10-06T00:17:09.669794202Z stdout P log content". Throws on a malformed line. */
export const parseCriLogLine: LogLineParser = (line) => {
  const t = line.indexOf(SPACE);
  if (t < 0) throw new Error('timestamp is not found');
  const timestamp = parseLogTime(line.subarray(0, t).toString('latin1'));
  if (!timestamp) throw new Error(`unexpected timestamp format "${line.subarray(0, t).toString()}"`);
  const s = line.indexOf(SPACE, t + 1);
  if (s < 0) throw new Error('stream type is not found');
  const stream = line.subarray(t + 1, s).toString('latin1');
  if (stream !== 'stdout' && stream !== 'stderr') throw new Error(`unexpected stream type "${stream}"`);
  const g = line.indexOf(SPACE, s + 1);
  if (g < 0) throw new Error('log tag is not found');
  // Tags are ":"-separated for forward compatibility; the first says partial or full.
  const partial = line.subarray(s + 1, g).toString('latin1').split(':')[0] === 'P';
  let end = line.length;
  if (partial && line[end - 1] === NEWLINE) end--;
  return { timestamp, stream, log: line.subarray(g + 1, end) };
};

/** Docker json-file: {"log":"content\n","stream":"stdout","time":"2016-10-20T18:39:20.57606443Z"}. */
export const parseDockerJsonLogLine: LogLineParser = (line) => {
  let entry: { log?: unknown; stream?: unknown; time?: unknown };
  try {
    entry = JSON.parse(line.toString('utf8'));
  } catch (err) {
    throw new Error(`failed with ${(err as Error).message} to unmarshal log`);
  }
  if (!entry || typeof entry !== 'object') throw new Error('not a json-file log entry');
  const timestamp = typeof entry.time === 'string' ? parseLogTime(entry.time) : undefined;
  if (!timestamp) throw new Error(`unexpected timestamp ${JSON.stringify(entry.time)}`);
  const stream = entry.stream === 'stderr' ? 'stderr' : entry.stream === 'stdout' ? 'stdout' : undefined;
  if (!stream) throw new Error(`unexpected stream type ${JSON.stringify(entry.stream)}`);
  return { timestamp, stream, log: Buffer.from(typeof entry.log === 'string' ? entry.log : '', 'utf8') };
};

/** The parser that understands the file's first line, tried in upstream's order (CRI, then Docker). */
export function detectLogLineParser(sample: Buffer): LogLineParser {
  for (const parse of [parseCriLogLine, parseDockerJsonLogLine]) {
    try {
      parse(sample);
      return parse;
    } catch {
      // try the next format
    }
  }
  throw new Error(`unsupported log format: ${JSON.stringify(sample.toString('utf8'))}`);
}
