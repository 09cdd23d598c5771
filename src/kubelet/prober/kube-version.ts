// "kube-probe/1.32", "kube-lifecycle/1.32": the User-Agent upstream's kubelet sends, from our version.
import { K8TS_CLIENT_VERSION } from '../../client/user-agent.ts';

const [major, minor] = K8TS_CLIENT_VERSION.replace(/^v/, '').split('.');

export function kubeUserAgent(purpose: 'probe' | 'lifecycle'): string {
  return `kube-${purpose}/${major}.${minor}`;
}
