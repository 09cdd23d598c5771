// Why a container could not be started this sync: the reason becomes its waiting reason
// (CrashLoopBackOff, ErrImagePull, CreateContainerConfigError, …) and the message its waiting
// message, as kubecontainer's start errors and the kubelet's reason cache carry them.
export class StartError extends Error {
  override name = 'StartError';
  constructor(
    readonly reason: string,
    message: string,
    /** When trying again may succeed (a back-off's end), so the pod is synced then. */
    readonly retryAt?: number,
  ) {
    super(message);
  }
}

export const ERR_CRASH_LOOP_BACKOFF = 'CrashLoopBackOff';
export const ERR_CREATE_CONTAINER_CONFIG = 'CreateContainerConfigError';
export const ERR_CREATE_CONTAINER = 'CreateContainerError';
export const ERR_RUN_CONTAINER = 'RunContainerError';
export const ERR_POST_START_HOOK = 'PostStartHookError';
