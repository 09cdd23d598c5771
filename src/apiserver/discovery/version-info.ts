// The /version body. We claim the Kubernetes minor that the bundled kubectl speaks (1.32) so version
// skew warnings stay quiet. "+k8ts" is semver build metadata, not a pre-release: Helm's
// `kubeVersion: ">=1.32.0"` constraints reject pre-release versions such as "v1.32.0-k8ts".
import type { VersionInfo } from './types.ts';

export const KUBERNETES_MAJOR = '1';
export const KUBERNETES_MINOR = '32';
export const KUBERNETES_GIT_VERSION = 'v1.32.0+k8ts';

const ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x' };

export function versionInfo(): VersionInfo {
  return {
    major: KUBERNETES_MAJOR,
    minor: KUBERNETES_MINOR,
    gitVersion: KUBERNETES_GIT_VERSION,
    gitCommit: '70d3cc986aa8221cd1dfb1121852688902d3bf53',
    gitTreeState: 'clean',
    buildDate: '2024-12-11T17:58:26Z',
    goVersion: 'go1.23.3',
    compiler: 'gc',
    platform: `${process.platform}/${ARCH[process.arch] ?? process.arch}`,
  };
}
