// API machinery behaviour promoted to conformance after v1.26 that an API server owns alone: strict
// server-side field validation of typed objects, and paged lists (limit/continue) with a consistent
// resourceVersion and remainingItemCount.
import { CoreV1Api } from '@kubernetes/client-node';
import { assert } from '../framework/expect.ts';
import type { ScenarioContext } from '../framework/context.ts';
import { scenario } from '../framework/scenario.ts';

/** POSTs a Deployment body (raw, so duplicate keys survive) with fieldValidation=Strict. */
async function strictCreate(ctx: ScenarioContext, body: string) {
  return ctx.raw('POST', `/apis/apps/v1/namespaces/${ctx.namespace}/deployments`, {
    query: { fieldManager: 'field_validation_mgr', fieldValidation: 'Strict' },
    body,
  });
}

function expectStrictError(res: { status: number; json: any; body: string }, text: string): void {
  assert.ok(res.status >= 400, `the request with bad fields succeeded (${res.status})`);
  const message = String(res.json?.message ?? res.body);
  assert.ok(message.includes(text), `error missing ${text}, got: ${res.status} ${message}`);
}

const TOTAL = 400;

export const apiMachineryScenarios = [
  scenario(
    {
      codename: '[sig-api-machinery] FieldValidation should detect unknown and duplicate fields of a typed object [Conformance]',
      testname: 'Server side field validation, typed object',
      release: 'v1.27',
      file: 'test/e2e/apimachinery/field_validation.go',
    },
    async (ctx) => {
      const res = await strictCreate(
        ctx,
        `{
          "apiVersion": "apps/v1",
          "kind": "Deployment",
          "metadata": {"name": "my-dep", "labels": {"app": "nginx"}},
          "spec": {
            "unknownField": "foo",
            "replicas": 2,
            "replicas": 3,
            "selector": {"matchLabels": {"app": "nginx"}},
            "template": {"metadata": {"labels": {"app": "nginx"}}, "spec": {"containers": [{"name": "nginx", "image": "nginx:latest"}]}}
          }
        }`,
      );
      expectStrictError(res, 'strict decoding error: unknown field "spec.unknownField", duplicate field "spec.replicas"');
    },
  ),

  scenario(
    {
      codename: '[sig-api-machinery] FieldValidation should detect unknown metadata fields of a typed object [Conformance]',
      testname: 'Server side field validation, typed unknown metadata',
      release: 'v1.27',
      file: 'test/e2e/apimachinery/field_validation.go',
    },
    async (ctx) => {
      const res = await strictCreate(
        ctx,
        `{
          "apiVersion": "apps/v1",
          "kind": "Deployment",
          "metadata": {"name": "my-dep", "unknownMeta": "foo", "labels": {"app": "nginx"}},
          "spec": {
            "selector": {"matchLabels": {"app": "nginx"}},
            "template": {"metadata": {"labels": {"app": "nginx"}}, "spec": {"containers": [{"name": "nginx", "image": "nginx:latest"}]}}
          }
        }`,
      );
      expectStrictError(res, 'strict decoding error: unknown field "metadata.unknownMeta"');
    },
  ),

  scenario(
    {
      codename: '[sig-api-machinery] Servers with support for API chunking should return chunks of results for list calls [Conformance]',
      testname: 'API Chunking, server should return chunks of results for list calls',
      release: 'v1.29',
      file: 'test/e2e/apimachinery/chunking.go',
    },
    async (ctx) => {
      const core = ctx.api(CoreV1Api);
      const namespace = ctx.namespace;
      // Upstream creates the templates from 20 workers; so does this.
      const names = Array.from({ length: TOTAL }, (_, i) => `template-${String(i).padStart(4, '0')}`);
      let next = 0;
      await Promise.all(
        Array.from({ length: 20 }, async () => {
          while (next < names.length) {
            const name = names[next++]!;
            await core.createNamespacedPodTemplate({ namespace, body: { metadata: { name }, template: { spec: { containers: [{ name: 'test', image: 'test2' }] } } } });
          }
        }),
      );

      for (let round = 0; round < 3; round++) {
        let found = 0;
        let lastRV: string | undefined;
        let token: string | undefined;
        for (;;) {
          const limit = 17;
          const list = await core.listNamespacedPodTemplate({ namespace, limit, _continue: token });
          assert.ok(list.items.length <= limit, `page of ${list.items.length} items exceeds the limit ${limit}`);
          lastRV ??= list.metadata?.resourceVersion;
          assert.equal(list.metadata?.resourceVersion, lastRV, 'every page carries the resourceVersion of the first');
          if (!list.metadata?._continue) {
            assert.equal(list.metadata?.remainingItemCount, undefined, 'the last page has no remainingItemCount');
          } else {
            assert.notEqual(list.metadata?.remainingItemCount, undefined, 'a page with a continue token has remainingItemCount');
            assert.equal(Number(list.metadata.remainingItemCount) + list.items.length + found, TOTAL, 'remainingItemCount + items so far = total');
          }
          for (const item of list.items) {
            assert.equal(item.metadata?.name, names[found], `item ${found} in order`);
            found++;
          }
          token = list.metadata?._continue;
          if (!token) break;
        }
        assert.equal(found, TOTAL, 'all templates seen across the pages');
      }

      const all = await core.listNamespacedPodTemplate({ namespace, limit: TOTAL + 1 });
      assert.equal(all.items.length, TOTAL, 'one page large enough returns every item');
    },
    { timeoutMs: 120_000 },
  ),
];
