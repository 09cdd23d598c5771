// scheduling.k8s.io/v1 PriorityClass endpoints: value is immutable, description is not. Preemption
// itself needs a scheduler and running pods and is left for later.
import { PatchStrategy, SchedulingV1Api, setHeaderOptions, type V1PriorityClass } from '@kubernetes/client-node';
import { apiError, assert } from '../framework/expect.ts';
import { scenario } from '../framework/scenario.ts';

export const schedulingScenarios = [
  scenario(
    {
      codename: '[sig-scheduling] SchedulerPreemption [Serial] PriorityClass endpoints verify PriorityClass endpoints can be operated with different HTTP methods [Conformance]',
      testname: 'Scheduler, Verify PriorityClass endpoints',
      release: 'v1.20',
      file: 'test/e2e/scheduling/preemption.go',
    },
    async (ctx) => {
      const api = ctx.api(SchedulingV1Api);
      const e2e = ctx.uniqueName('e2e');
      // PriorityClasses are cluster-scoped: unique names (upstream: p1, p2) and a delete-collection by label.
      ctx.defer(() => api.deleteCollectionPriorityClass({ labelSelector: `e2e=${e2e}` }));
      const pcs: V1PriorityClass[] = [];
      for (const i of [1, 2]) pcs.push(await api.createPriorityClass({ body: { metadata: { name: `${e2e}-p${i}`, labels: { e2e } }, value: i } }));
      const strategic = setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch);

      // 1. Patch/Update on immutable fields fail.
      await apiError(() => api.patchPriorityClass({ name: pcs[0]!.metadata!.name!, body: { value: pcs[0]!.value * 10 } }, strategic), 'patching PriorityClass value');
      await apiError(() => api.replacePriorityClass({ name: pcs[1]!.metadata!.name!, body: { ...pcs[1]!, value: pcs[1]!.value * 10 } }), 'updating PriorityClass value');

      // 2. Patch/Update on mutable fields succeed.
      const newDesc = 'updated description';
      await api.patchPriorityClass({ name: pcs[0]!.metadata!.name!, body: { description: newDesc } }, strategic);
      await api.replacePriorityClass({ name: pcs[1]!.metadata!.name!, body: { ...pcs[1]!, description: newDesc } });

      // 3. List existing PriorityClasses.
      await api.listPriorityClass();

      // 4. Verify fields of updated PriorityClasses.
      for (const pc of pcs) {
        const live = await api.readPriorityClass({ name: pc.metadata!.name! });
        assert.equal(live.value, pc.value, `value of ${pc.metadata!.name}`);
        assert.equal(live.description, newDesc, `description of ${pc.metadata!.name}`);
      }
    },
  ),
];
