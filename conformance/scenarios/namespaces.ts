// Namespace API behaviour: patch, update, the /status and /finalize subresources.
import { CoreV1Api, PatchStrategy, setHeaderOptions, type V1Namespace } from '@kubernetes/client-node';
import { assert, expectNewerResourceVersion, expectValidResourceVersion } from '../framework/expect.ts';
import { scenario } from '../framework/scenario.ts';
import { retryOnConflict } from './helpers.ts';

const FILE = 'test/e2e/apimachinery/namespace.go';

export const namespaceScenarios = [
  scenario(
    { codename: '[sig-api-machinery] Namespaces [Serial] should patch a Namespace [Conformance]', testname: 'Namespace patching', release: 'v1.18', file: FILE },
    async (ctx) => {
      const core = ctx.api(CoreV1Api);
      const name = await ctx.createNamespace('nspatchtest');
      const ns = await core.readNamespace({ name });
      expectValidResourceVersion(ns, 'created Namespace');
      const patched = await core.patchNamespace({ name, body: { metadata: { labels: { testLabel: 'testValue' } } } }, setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch));
      expectNewerResourceVersion(ns.metadata?.resourceVersion, patched.metadata?.resourceVersion, 'patched Namespace');
      const got = await core.readNamespace({ name });
      assert.equal(got.metadata?.labels?.testLabel, 'testValue', 'namespace not patched');
    },
  ),

  scenario(
    { codename: '[sig-api-machinery] Namespaces [Serial] should apply changes to a namespace status [Conformance]', testname: 'Namespace, apply changes to a namespace status', release: 'v1.25', file: FILE },
    async (ctx) => {
      const core = ctx.api(CoreV1Api);
      const name = ctx.namespace;
      const status = await core.readNamespaceStatus({ name });
      assert.equal(status.status?.phase, 'Active', 'the phase of a new namespace');

      const condition = { type: 'StatusPatch', status: 'True', reason: 'E2E', message: 'Patched by an e2e test' };
      const patched = await core.patchNamespaceStatus(
        { name, body: { metadata: { annotations: { 'e2e-patched-ns-status': name } }, status: { conditions: [condition] } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      assert.equal(patched.metadata?.annotations?.['e2e-patched-ns-status'], name, 'patched object should have the applied annotation');
      const last = patched.status?.conditions?.at(-1);
      assert.equal(last?.reason, 'E2E', 'reason of the patched condition');
      assert.equal(last?.message, 'Patched by an e2e test', 'message of the patched condition');

      const updated = await retryOnConflict(async () => {
        const current = await core.readNamespaceStatus({ name });
        current.status = { ...current.status, conditions: [...(current.status?.conditions ?? []), { type: 'StatusUpdate', status: 'True', reason: 'E2E', message: 'Updated by an e2e test' }] };
        return core.replaceNamespaceStatus({ name, body: current });
      });
      const lastUpdated = updated.status?.conditions?.at(-1);
      assert.equal(lastUpdated?.type, 'StatusUpdate', 'updated object should have the approved condition');
      assert.equal(lastUpdated?.message, 'Updated by an e2e test', 'message of the updated condition');
    },
  ),

  scenario(
    { codename: '[sig-api-machinery] Namespaces [Serial] should apply an update to a Namespace [Conformance]', testname: 'Namespace, apply update to a namespace', release: 'v1.26', file: FILE },
    async (ctx) => {
      const core = ctx.api(CoreV1Api);
      const name = ctx.namespace;
      const updated = await retryOnConflict(async () => {
        const ns = await core.readNamespace({ name });
        ns.metadata!.labels = { ...ns.metadata!.labels, [name]: 'updated' };
        return core.replaceNamespace({ name, body: ns });
      });
      assert.equal(updated.metadata?.labels?.[name], 'updated', `Failed to update namespace ${name}`);
    },
  ),

  scenario(
    { codename: '[sig-api-machinery] Namespaces [Serial] should apply a finalizer to a Namespace [Conformance]', testname: 'Namespace, apply finalizer to a namespace', release: 'v1.26', file: FILE },
    async (ctx) => {
      const core = ctx.api(CoreV1Api);
      const fake = 'e2e.example.com/fakeFinalizer';
      const name = await ctx.createNamespace('e2e-ns');

      let updated: V1Namespace = await retryOnConflict(async () => {
        const ns = await core.readNamespace({ name });
        ns.spec = { ...ns.spec, finalizers: [...(ns.spec?.finalizers ?? []), fake] };
        return core.replaceNamespaceFinalize({ name, body: ns });
      });
      assert.ok(updated.spec?.finalizers?.includes(fake), `Finalizer ${fake} was not found. Namespace ${name} has ${JSON.stringify(updated.spec?.finalizers)}`);

      updated = await retryOnConflict(async () => {
        const ns = await core.readNamespace({ name });
        ns.spec = { ...ns.spec, finalizers: (ns.spec?.finalizers ?? []).filter((f) => f !== fake) };
        return core.replaceNamespaceFinalize({ name, body: ns });
      });
      assert.ok(!updated.spec?.finalizers?.includes(fake), `Finalizer ${fake} was found. Namespace ${name} has ${JSON.stringify(updated.spec?.finalizers)}`);
    },
  ),
];
