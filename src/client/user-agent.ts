// client-go's default user agent, "<binary>/<version> (<os>/<arch>) kubernetes/<commit>": the server
// takes the part before the first "/" as the default field manager, so components appear in
// managedFields under the names upstream's do (kube-controller-manager, kube-scheduler).
const ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x' };

export const K8TS_CLIENT_VERSION = 'v1.32.0+k8ts';

export function defaultUserAgent(binary = 'k8ts', suffix?: string): string {
  const ua = `${binary}/${K8TS_CLIENT_VERSION} (${process.platform}/${ARCH[process.arch] ?? process.arch}) kubernetes/k8ts`;
  return suffix ? `${ua}/${suffix}` : ua;
}
