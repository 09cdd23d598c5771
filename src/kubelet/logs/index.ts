// Container log files: parsing (CRI and Docker json-file), reading with the PodLogOptions semantics,
// and choosing which container's log a request means.
export { readLogs, type LogReadOptions, type LogReadContext } from './read-logs.ts';
export { parseCriLogLine, parseDockerJsonLogLine, detectLogLineParser, type LogMessage, type LogStream } from './log-line-parser.ts';
export { parseLogTime, formatLogTime, type LogTime } from './log-timestamp.ts';
export { findTailLineStartIndex } from './tail-start.ts';
export { parsePodLogOptions, validatePodLogOptions, encodePodLogQuery, type PodLogOptions } from './pod-log-options.ts';
export { containerLogTarget, stripRuntimeScheme, type LogTarget } from './log-target.ts';
export { logReadOptions } from './log-read-options.ts';
