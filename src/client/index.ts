// The client side of the API: KubeClient (HTTPS verbs), resource addressing, errors, and the
// informer caches in cache/.
export { KubeClient, type ApiRequest } from './kube-client.ts';
export { ResourceClient, DEFAULT_PAGE_SIZE, type TypedList } from './resource-client.ts';
export { loadKubeconfig, DEFAULT_QPS, DEFAULT_BURST, type ClientConfig } from './config.ts';
export { ApiError, isAlreadyExists, isConflict, isConnectionError, isForbidden, isGone, isInvalid, isNotFound, isResourceExpired, isTooManyRequests } from './api-error.ts';
export { BUILTIN, GVR, ResourceTable, groupResourceString, gvrKey, resourcePath, type ResourceInfo } from './resources.ts';
export { discoverResources } from './discovery.ts';
export { WatchStream, type WatchEvent } from './watch-stream.ts';
export { TokenBucket } from './rate-limiter.ts';
export { FakeClock, realClock, sleep, type Clock, type TimerHandle } from './clock.ts';
export { defaultUserAgent } from './user-agent.ts';
export type * from './request-options.ts';
export { PATCH_CONTENT_TYPES } from './request-options.ts';
