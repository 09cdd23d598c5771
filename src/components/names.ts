// The components one k8ts process can run, named as upstream's binaries (kube-apiserver,
// kube-controller-manager, kube-scheduler, kubelet without the prefix) plus the simulated nodes (a
// kwok-like stand-in for kubelets, src/nodes). `--components` picks among them.
export const COMPONENT_NAMES = ['apiserver', 'controller-manager', 'scheduler', 'kubelet', 'simulated-nodes'] as const;

export type ComponentName = (typeof COMPONENT_NAMES)[number];

export function isComponentName(s: string): s is ComponentName {
  return (COMPONENT_NAMES as readonly string[]).includes(s);
}

/** What a started component gives back: a way to stop it. */
export interface RunningComponent {
  name: ComponentName;
  stop(): Promise<void>;
}
