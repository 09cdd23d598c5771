// Docker's shapes to CRI's: timestamps (RFC 3339 with nanoseconds, "0001-01-01T00:00:00Z" for never)
// to Unix nanoseconds, container states as dockershim read them, image names in the fully qualified
// form containerd reports (Docker keeps the short one: busybox:latest).
import type { ContainerState } from '../runtime/runtime-service.ts';
import { formatImageReference, parseImageReference } from '../images/image-reference.ts';

export function parseDockerTime(s: string | undefined | null): bigint {
  if (!s || s.startsWith('0001-01-01')) return 0n;
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(s);
  if (!m) return 0n;
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(ms)) return 0n;
  const frac = (m[2] ?? '').padEnd(9, '0').slice(0, 9);
  return BigInt(ms) * 1_000_000n + BigInt(frac);
}

export interface DockerState {
  Status?: string;
  Running?: boolean;
  OOMKilled?: boolean;
  ExitCode?: number;
  Error?: string;
  StartedAt?: string;
  FinishedAt?: string;
}

export interface CriContainerState {
  state: ContainerState;
  startedAt: bigint;
  finishedAt: bigint;
  exitCode: number;
  reason: string;
  message: string;
}

/**
 * As dockershim: running; exited (a finish time); failed to start (no finish time but an exit code,
 * reason ContainerCannotRun, times set to creation); or only created.
 */
export function toCriContainerState(s: DockerState, createdAt: bigint): CriContainerState {
  let startedAt = parseDockerTime(s.StartedAt);
  let finishedAt = parseDockerTime(s.FinishedAt);
  const exitCode = s.ExitCode ?? 0;
  if (s.Running) return { state: 'CONTAINER_RUNNING', startedAt, finishedAt: 0n, exitCode: 0, reason: '', message: '' };
  const message = s.Error ?? '';
  if (finishedAt !== 0n) {
    const reason = s.OOMKilled ? 'OOMKilled' : exitCode === 0 ? 'Completed' : 'Error';
    return { state: 'CONTAINER_EXITED', startedAt, finishedAt, exitCode, reason, message };
  }
  if (exitCode !== 0) {
    startedAt = finishedAt = createdAt;
    return { state: 'CONTAINER_EXITED', startedAt, finishedAt, exitCode, reason: 'ContainerCannotRun', message };
  }
  return { state: 'CONTAINER_CREATED', startedAt: 0n, finishedAt: 0n, exitCode: 0, reason: '', message };
}

/** The state word of Docker's container list. */
export function listStateToCri(state: string | undefined): ContainerState {
  switch (state) {
    case 'running':
    case 'paused':
    case 'restarting':
      return 'CONTAINER_RUNNING';
    case 'created':
      return 'CONTAINER_CREATED';
    case 'exited':
    case 'dead':
    case 'removing':
      return 'CONTAINER_EXITED';
    default:
      return 'CONTAINER_UNKNOWN';
  }
}

export function isImageId(ref: string): boolean {
  return /^(sha256:)?[0-9a-f]{64}$/.test(ref);
}

/** busybox → docker.io/library/busybox:latest; image ids and unparsable names are kept. */
export function normalizeImageName(ref: string): string {
  if (isImageId(ref)) return ref;
  try {
    return formatImageReference(parseImageReference(ref));
  } catch {
    return ref;
  }
}

export function normalizeImageNames(refs: string[] | null | undefined): string[] {
  return (refs ?? []).filter((r) => r !== '<none>:<none>' && r !== '<none>@<none>').map(normalizeImageName);
}
