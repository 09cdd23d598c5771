// One import for integration tests.
export { startTestServer, type TestServer, type TestServerOptions } from './test-server.ts';
export { kubectl, kubectlOk, kubectlBinaries, debianKubectl, DEBIAN_KUBECTL_LABEL, kubectlVersion, kubectlVersionSync, missingKubectlVersions, spawnKubectl, type KubectlResult, type KubectlBinary, type KubectlVersion, type KubectlStream } from './kubectl.ts';
export { waitFor } from './wait-for.ts';
export { clientFor } from './client.ts';
export { rawRequest, rawRequester, type RawResponse, type RawRequestOptions } from './raw-request.ts';
export { readKubeconfig } from './kubeconfig.ts';
export { uniqueName } from './names.ts';
export { createNamespace } from './namespace.ts';
export { expectApiError, type StatusBody } from './api-error.ts';
export { createObject, createConfigMap, createDeployment } from './fixtures.ts';
