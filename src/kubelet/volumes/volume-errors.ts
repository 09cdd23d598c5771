// Why a pod's volumes are not ready, per volume, in the texts of upstream's FailedMount events.

export interface VolumeFailure {
  volume: string;
  /** The FailedMount event text. */
  message: string;
  /** process: the claim could not be resolved (upstream's "failed to process volumes"); mount: SetUp failed. */
  stage: 'process' | 'mount';
}

/** Some volumes of a pod could not be set up; the others are ready. */
export class VolumeSetUpError extends Error {
  override name = 'VolumeSetUpError';
  constructor(readonly failures: VolumeFailure[]) {
    super(failures.map((f) => f.message).join('; '));
  }

  /** Upstream's FailedMount summary after waiting for the pod's volumes. */
  summary(): string {
    const names = (stage: string) => this.failures.filter((f) => f.stage === stage).map((f) => f.volume).join(' ');
    const unmounted = this.failures.map((f) => f.volume).join(' ');
    const processErr = this.failures.find((f) => f.stage === 'process')?.message;
    return `Unable to attach or mount volumes: unmounted volumes=[${unmounted}], unattached volumes=[], failed to process volumes=[${names('process')}]: `
      + (processErr ?? 'context deadline exceeded');
  }
}
