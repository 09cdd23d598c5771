// info.version of the OpenAPI documents: the Kubernetes release we claim, without build metadata.
import { KUBERNETES_GIT_VERSION } from '../apiserver/discovery/version-info.ts';

export const OPENAPI_INFO_VERSION = KUBERNETES_GIT_VERSION.replace(/[+-].*$/, '');
