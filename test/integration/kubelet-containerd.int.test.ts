// Issue 4's acceptance on containerd: k8ts as root starts and supervises its own containerd (with the
// local registry as its mirror) and runs real pods on it.
import { connectCri } from '../../src/kubelet/cri/connect-cri.ts';
import { containerdSkipReason } from '../helpers/containerd.ts';
import { kubeletAcceptanceSuite } from '../helpers/kubelet-suite.ts';
import { join } from 'node:path';

kubeletAcceptanceSuite({
  name: 'containerd',
  clusterCIDR: '10.246.0.0/16',
  skipReason: containerdSkipReason,
  prepare: async () => ({ flags: ['--cni-bridge', 'k8tsaccept0'], cleanup: async () => {} }),
  inspect: async (dataDir) => {
    const rt = await connectCri(`unix://${join(dataDir, 'containerd', 'containerd.sock')}`);
    return { runtime: rt.runtime, close: () => rt.close() };
  },
});
