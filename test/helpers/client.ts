// @kubernetes/client-node as a user would set it up: from the kubeconfig file the server wrote.
import { KubeConfig } from '@kubernetes/client-node';

export function clientFor(kubeconfigPath: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  return kc;
}
