// The simulated-nodes component: a kwok-like stand-in for the kubelets of a cluster (src/nodes),
// reaching the API server through the kubeconfig like the other components, with its own client
// rate limit (the kubelet's --kube-api-qps). No leader election: like kubelets, it owns its nodes
// rather than competing for them, so run it in one process only.
import { KubeClient } from '../../client/kube-client.ts';
import { defaultUserAgent } from '../../client/user-agent.ts';
import { describeError } from '../../controllers/framework/describe-error.ts';
import { SimulatedNodes } from '../../nodes/simulated-nodes.ts';
import type { NodeCapacity } from '../../nodes/node-status.ts';
import type { RunningComponent } from '../names.ts';

export interface SimulatedNodesComponentOptions {
  client: KubeClient;
  count: number;
  capacity?: Partial<NodeCapacity>;
  qps: number;
  log: (message: string) => void;
}

export function startSimulatedNodesComponent(o: SimulatedNodesComponentOptions): RunningComponent {
  const log = (m: string) => o.log(`simulated-nodes: ${m}`);
  const client = new KubeClient({ ...o.client.config, qps: o.qps, burst: Math.max(1, Math.round(o.qps * 2)), userAgent: defaultUserAgent('kubelet', 'simulated') });
  const sim = new SimulatedNodes({ client, count: o.count, capacity: o.capacity, log });
  const started = sim.start().then(
    () => log(`running ${sim.nodeNames().length} simulated node(s)`),
    (err) => log(`start failed: ${describeError(err)}`),
  );
  return {
    name: 'simulated-nodes',
    stop: async () => {
      await started;
      await sim.stop();
      client.close();
    },
  };
}
