// EnsureImageExists (pkg/kubelet/images/image_manager.go): pull per imagePullPolicy (Always; Never;
// IfNotPresent — the API server defaults :latest to Always), with upstream's events (Pulling,
// Pulled, Failed, BackOff, ErrImageNeverPull) on the container's reference and a per pod+image
// back-off after a failure, during which the container waits in ImagePullBackOff.
import type { Clock } from '../client/clock.ts';
import type { EventRecorder } from '../controllers/framework/events/event-recorder.ts';
import { Backoff } from './backoff.ts';
import { credentialsFor } from './image-pull-secrets.ts';
import { formatImageReference, parseImageReference } from './images/image-reference.ts';
import { EVENTS, containerRef } from './kubelet-events.ts';
import type { ImageService } from './runtime/runtime-service.ts';
import { StartError } from './start-error.ts';

type Obj = Record<string, any>;

export const ERR_IMAGE_PULL = 'ErrImagePull';
export const IMAGE_PULL_BACKOFF = 'ImagePullBackOff';
export const ERR_IMAGE_NEVER_PULL = 'ErrImageNeverPull';
export const ERR_INVALID_IMAGE_NAME = 'InvalidImageName';
export const ERR_IMAGE_INSPECT = 'ImageInspectError';

/** Go's time.Duration.String() of a duration truncated to milliseconds: 1.234s, 567ms, 1m2.5s. */
export function goDuration(ms: number): string {
  ms = Math.trunc(ms);
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  const sec = `${Number(s.toFixed(3))}s`;
  if (h > 0) return `${h}h${m}m${sec}`;
  if (m > 0) return `${m}m${sec}`;
  return sec;
}

/** The pull policy the API server would have defaulted (for pods written without defaults). */
export function effectivePullPolicy(container: Obj): string {
  if (container.imagePullPolicy) return container.imagePullPolicy;
  try {
    const ref = parseImageReference(container.image ?? '');
    return !ref.digest && ref.tag === 'latest' ? 'Always' : 'IfNotPresent';
  } catch {
    return 'IfNotPresent';
  }
}

export class ImagePuller {
  readonly backOff: Backoff;
  /** Pulls of the same image share one runtime call. */
  private readonly inflight = new Map<string, Promise<string>>();

  constructor(
    private readonly images: ImageService,
    private readonly recorder: EventRecorder,
    private readonly clock: Clock,
  ) {
    this.backOff = new Backoff(clock);
  }

  /** The image reference to create the container from; throws a StartError with the waiting reason. */
  async ensureImageExists(pod: Obj, container: Obj, pullSecrets: Obj[]): Promise<string> {
    const ref = containerRef(pod, container.name);
    const image: string = container.image ?? '';
    let normalized: string;
    try {
      normalized = formatImageReference(parseImageReference(image));
    } catch (err) {
      const msg = `Failed to apply default image tag "${image}": ${(err as Error).message}`;
      this.recorder.event(ref, 'Warning', EVENTS.FailedToInspectImage, msg);
      throw new StartError(ERR_INVALID_IMAGE_NAME, msg);
    }
    let present: boolean;
    try {
      present = (await this.images.imageStatus(normalized)) !== null;
    } catch (err) {
      const msg = `Failed to inspect image "${image}": ${(err as Error).message}`;
      this.recorder.event(ref, 'Warning', EVENTS.FailedToInspectImage, msg);
      throw new StartError(ERR_IMAGE_INSPECT, msg);
    }
    const policy = effectivePullPolicy(container);
    const shouldPull = policy === 'Always' || (policy === 'IfNotPresent' && !present);
    if (!shouldPull) {
      if (present) {
        this.recorder.event(ref, 'Normal', EVENTS.PulledImage, `Container image "${image}" already present on machine`);
        return normalized;
      }
      const msg = `Container image "${image}" is not present with pull policy of Never`;
      this.recorder.event(ref, 'Warning', EVENTS.ErrImageNeverPullPolicy, msg);
      throw new StartError(ERR_IMAGE_NEVER_PULL, msg);
    }

    const key = `${pod.metadata.uid}_${image}`;
    if (this.backOff.isInBackOffSinceUpdate(key, this.clock.now())) {
      const msg = `Back-off pulling image "${image}"`;
      this.recorder.event(ref, 'Normal', EVENTS.BackOffPullImage, msg);
      throw new StartError(IMAGE_PULL_BACKOFF, msg, this.backOff.expiresSinceUpdate(key));
    }
    this.recorder.event(ref, 'Normal', EVENTS.PullingImage, `Pulling image "${image}"`);
    const started = this.clock.now();
    try {
      await this.pull(normalized, pullSecrets);
    } catch (err) {
      const message = (err as Error).message;
      this.recorder.event(ref, 'Warning', EVENTS.FailedToPullImage, `Failed to pull image "${image}": ${message}`);
      this.backOff.next(key, this.clock.now());
      // No retry time: the worker's error back-off (10 s) brings the next sync while the pull back-off
      // may still run, which then shows ImagePullBackOff, as upstream's pod worker does.
      throw new StartError(ERR_IMAGE_PULL, message);
    }
    const took = goDuration(this.clock.now() - started);
    const size = (await this.images.imageStatus(normalized).catch(() => null))?.size ?? 0n;
    this.recorder.event(ref, 'Normal', EVENTS.PulledImage, `Successfully pulled image "${image}" in ${took} (${took} including waiting). Image size: ${size} bytes.`);
    this.backOff.gc();
    return normalized;
  }

  private pull(image: string, pullSecrets: Obj[]): Promise<string> {
    let p = this.inflight.get(image);
    if (!p) {
      p = this.pullWithCredentials(image, pullSecrets).finally(() => this.inflight.delete(image));
      this.inflight.set(image, p);
    }
    return p;
  }

  private async pullWithCredentials(image: string, pullSecrets: Obj[]): Promise<string> {
    const creds = credentialsFor(image, pullSecrets);
    if (creds.length === 0) return this.images.pullImage(image);
    let last: unknown;
    for (const auth of creds) {
      try {
        return await this.images.pullImage(image, auth);
      } catch (err) {
        last = err;
      }
    }
    throw last;
  }
}
