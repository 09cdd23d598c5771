// Namespace deletion driven by the namespace controller: the namespace goes away only once its content
// has, so a namespace recreated under the same name starts empty.
import { CoreV1Api } from '@kubernetes/client-node';
import { apiError, expectReason } from '../framework/expect.ts';
import { scenario } from '../framework/scenario.ts';
import { waitForGone } from './workloads.ts';

const FILE = 'test/e2e/apimachinery/namespace.go';

export const namespaceDeletionScenarios = [
  scenario(
    { codename: '[sig-api-machinery] Namespaces [Serial] should ensure that all services are removed when a namespace is deleted [Conformance]', testname: 'namespace-deletion-removes-services', release: 'v1.11', file: FILE },
    async (ctx) => {
      const core = ctx.api(CoreV1Api);
      // createNamespace also waits for the "default" ServiceAccount, as the e2e test does.
      const namespace = await ctx.createNamespace('nsdeletetest');
      const serviceName = 'test-service';
      await core.createNamespacedService({
        namespace,
        body: { metadata: { name: serviceName }, spec: { selector: { foo: 'bar', baz: 'blah' }, ports: [{ port: 80, targetPort: 80 }] } },
      });

      await core.deleteNamespace({ name: namespace });
      await waitForGone(() => core.readNamespace({ name: namespace }), `namespace ${namespace}`, 60_000);

      // Recreated under the same name (the context's clean-up deletes it again): the Service must not
      // have survived in storage.
      await core.createNamespace({ body: { metadata: { name: namespace } } });
      const status = await apiError(() => core.readNamespacedService({ name: serviceName, namespace }), `get service ${serviceName} in the recreated namespace ${namespace}`);
      expectReason(status, 'NotFound', `service ${serviceName} in the recreated namespace ${namespace}`);
    },
    { timeoutMs: 90_000 },
  ),
];
