// Secret API behaviour: key validation, strategic-merge patching of base64 data, delete-collection, and
// immutability.
import { CoreV1Api, PatchStrategy, setHeaderOptions, type V1Secret } from '@kubernetes/client-node';
import { apiError, assert, expectNewerResourceVersion, expectReason, expectValidResourceVersion } from '../framework/expect.ts';
import { scenario } from '../framework/scenario.ts';

const strategic = setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch);
const b64 = (s: string) => Buffer.from(s).toString('base64');

/** secretForTest: three keys, values with a trailing newline. */
function secretForTest(name: string): V1Secret {
  return { metadata: { name }, data: { 'data-1': b64('value-1\n'), 'data-2': b64('value-2\n'), 'data-3': b64('value-3\n') } };
}

export const secretScenarios = [
  scenario(
    {
      codename: '[sig-node] Secrets should fail to create secret due to empty secret key [Conformance]',
      testname: 'Secrets, with empty-key',
      release: 'v1.15',
      file: 'test/e2e/common/node/secrets.go',
    },
    async (ctx) => {
      const core = ctx.api(CoreV1Api);
      const body: V1Secret = { metadata: { name: ctx.uniqueName('secret-emptykey-test') }, data: { '': b64('value-1\n') } };
      const status = await apiError(() => core.createNamespacedSecret({ namespace: ctx.namespace, body }), 'creating a Secret with an empty key');
      expectReason(status, 'Invalid', 'creating a Secret with an empty key');
    },
  ),

  scenario(
    {
      codename: '[sig-node] Secrets should patch a secret [Conformance]',
      testname: 'Secret patching',
      release: 'v1.18',
      file: 'test/e2e/common/node/secrets.go',
    },
    async (ctx) => {
      const core = ctx.api(CoreV1Api);
      const namespace = ctx.namespace;
      const name = ctx.uniqueName('test-secret');
      const constant = ctx.uniqueName('constant');
      const created = await core.createNamespacedSecret({ namespace, body: { metadata: { name, labels: { 'testsecret-constant': constant } }, data: { key: b64('value') }, type: 'Opaque' } });
      expectValidResourceVersion(created, 'created Secret');

      let all = await core.listSecretForAllNamespaces({ labelSelector: `testsecret-constant=${constant}` });
      assert.ok(all.items.some((s) => s.metadata?.name === name && s.metadata?.namespace === namespace), 'the Secret is listed across all namespaces');

      // As upstream: the patch carries base64("value1") as the bytes of data.key, so it travels
      // base64-encoded twice and reads back as base64("value1").
      const patch = { metadata: { labels: { testsecret: 'true' } }, data: { key: b64(b64('value1')) } };
      await core.patchNamespacedSecret({ name, namespace, body: patch }, strategic);

      const secret = await core.readNamespacedSecret({ name, namespace });
      expectNewerResourceVersion(created.metadata?.resourceVersion, secret.metadata?.resourceVersion, 'patched Secret');
      const stored = Buffer.from(secret.data?.key ?? '', 'base64').toString('utf8');
      assert.equal(Buffer.from(stored, 'base64').toString('utf8'), 'value1', "found secret, but the data wasn't updated from the patch");

      await core.deleteCollectionNamespacedSecret({ namespace, labelSelector: 'testsecret=true' });
      all = await core.listSecretForAllNamespaces({ labelSelector: `testsecret-constant=${constant}` });
      assert.ok(!all.items.some((s) => s.metadata?.name === name && s.metadata?.namespace === namespace), `secret ${namespace}/${name} was not deleted successfully`);
    },
  ),

  scenario(
    {
      codename: '[sig-storage] Secrets should be immutable if `immutable` field is set [Conformance]',
      testname: 'Secrets Volume, immutability',
      release: 'v1.21',
      file: 'test/e2e/common/storage/secrets_volume.go',
    },
    async (ctx) => {
      const core = ctx.api(CoreV1Api);
      const namespace = ctx.namespace;
      const name = 'immutable';
      let secret = await core.createNamespacedSecret({ namespace, body: secretForTest(name) });

      secret.data = { ...secret.data, 'data-4': b64('value-4\n') };
      secret = await core.replaceNamespacedSecret({ name, namespace, body: secret });

      secret.immutable = true;
      secret = await core.replaceNamespacedSecret({ name, namespace, body: secret });

      secret.data = { ...secret.data, 'data-5': b64('value-5\n') };
      expectReason(await apiError(() => core.replaceNamespacedSecret({ name, namespace, body: secret }), 'changing data of an immutable Secret'), 'Invalid', 'changing data of an immutable Secret');

      secret = await core.readNamespacedSecret({ name, namespace });
      assert.equal(secret.immutable, true, `secret ${name} can be switched from immutable to mutable`);
      secret.immutable = false;
      expectReason(await apiError(() => core.replaceNamespacedSecret({ name, namespace, body: secret }), 'making an immutable Secret mutable'), 'Invalid', 'making an immutable Secret mutable');

      secret = await core.readNamespacedSecret({ name, namespace });
      secret.metadata!.labels = { label1: 'value1' };
      await core.replaceNamespacedSecret({ name, namespace, body: secret });

      await core.deleteNamespacedSecret({ name, namespace });
    },
  ),
];
