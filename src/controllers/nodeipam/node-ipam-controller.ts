// node-ipam-controller with the range allocator (upstream pkg/controller/nodeipam): every Node without
// spec.podCIDR gets the next free subnet of --cluster-cidr of size --node-cidr-mask-size, written as
// spec.podCIDR/podCIDRs. Subnets of existing nodes are marked used first (the informer's initial
// list), so a restart never hands one out twice; a deleted node's subnet becomes free again.
import type { KObject } from '../../apimachinery/types.ts';
import { isNotFound } from '../../client/api-error.ts';
import { objectOf } from '../../client/cache/keys.ts';
import { GVR } from '../../client/resources.ts';
import type { ControllerDescriptor, RunningController } from '../../components/controller-manager/controller-context.ts';
import { Controller } from '../framework/controller.ts';
import { CidrSet } from './cidr-set.ts';

export const DEFAULT_CLUSTER_CIDR = '10.244.0.0/16';
export const DEFAULT_NODE_CIDR_MASK_SIZE = 24;

type NodeSpec = { podCIDR?: string; podCIDRs?: string[] };

export const nodeIpamController: ControllerDescriptor = {
  name: 'node-ipam-controller',
  start(ctx): RunningController {
    const flags = ctx.flags;
    const noop: RunningController = { stop: async () => {} };
    if (flags && flags.allocateNodeCIDRs === false) return noop;
    const cidrs = new CidrSet(flags?.clusterCIDR ?? DEFAULT_CLUSTER_CIDR, flags?.nodeCIDRMaskSize ?? DEFAULT_NODE_CIDR_MASK_SIZE);
    const nodes = ctx.informers.forResource(GVR.nodes);
    const lister = nodes.lister();
    // Nodes given a CIDR whose update the cache has not shown yet (upstream's nodesInProcessing).
    const assigned = new Map<string, string>();
    const controller = new Controller({
      name: 'node-ipam', workers: 1, caches: [nodes], clock: ctx.clock, log: ctx.log,
      async reconcile(name) {
        const node = lister.get(name);
        if (!node || (node.spec as NodeSpec | undefined)?.podCIDR || assigned.has(name)) return;
        const cidr = cidrs.allocateNext();
        if (!cidr) {
          ctx.recorder.event(node, 'Normal', 'CIDRNotAvailable', `Node ${name} status is now: CIDRNotAvailable`);
          return;
        }
        try {
          await ctx.client.resource(GVR.nodes).patch(name, { spec: { podCIDR: cidr, podCIDRs: [cidr] } }, 'merge');
          assigned.set(name, cidr);
          ctx.log(`node-ipam: set node ${name} PodCIDR to [${cidr}]`);
        } catch (err) {
          cidrs.release(cidr);
          if (isNotFound(err)) return;
          ctx.recorder.event(node, 'Warning', 'CIDRAssignmentFailed', `Node ${name} status is now: CIDRAssignmentFailed`);
          throw err;
        }
      },
    });
    const observe = (node: KObject) => {
      const spec = node.spec as NodeSpec | undefined;
      for (const c of spec?.podCIDRs ?? (spec?.podCIDR ? [spec.podCIDR] : [])) cidrs.occupy(c);
      if (spec?.podCIDR) assigned.delete(node.metadata.name!);
      else controller.enqueue(node.metadata.name!);
    };
    nodes.addEventHandler({
      onAdd: observe,
      onUpdate: (_old, node) => observe(node),
      onDelete: (obj) => {
        const node = objectOf(obj as KObject);
        assigned.delete(node.metadata.name!);
        const spec = node.spec as NodeSpec | undefined;
        for (const c of spec?.podCIDRs ?? (spec?.podCIDR ? [spec.podCIDR] : [])) cidrs.release(c);
      },
    });
    void controller.run();
    return controller;
  },
};
