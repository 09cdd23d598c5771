// Discovery and server metadata: preferred versions of every group, /version, and content negotiation
// refusing a Table for a resource that has no object metadata.
import { assert } from '../framework/expect.ts';
import { scenario } from '../framework/scenario.ts';

export const discoveryScenarios = [
  scenario(
    { codename: '[sig-api-machinery] Discovery should validate PreferredVersion for each APIGroup [Conformance]', testname: 'Discovery, confirm the PreferredVersion for each api group', release: 'v1.19', file: 'test/e2e/apimachinery/discovery.go' },
    async (ctx) => {
      const list = await ctx.raw('GET', '/apis/');
      assert.equal(list.status, 200, 'GET /apis/');
      const groups: any[] = list.json?.groups ?? [];
      assert.ok(groups.length > 0, 'Missing APIGroups');
      for (const group of groups) {
        // Example groups come and go while other e2e tests run.
        if (String(group.name).endsWith('.example.com')) continue;
        const doc = await ctx.raw('GET', `/apis/${group.name}/`);
        assert.equal(doc.status, 200, `Fail to access: /apis/${group.name}/`);
        const versions: any[] = doc.json?.versions ?? [];
        assert.ok(versions.length > 0, `No version found for ${group.name}`);
        const preferred = doc.json?.preferredVersion?.groupVersion;
        assert.ok(
          versions.some((v) => v.groupVersion === preferred),
          `Failed to find a valid version for PreferredVersion ${preferred} of ${group.name} in ${versions.map((v) => v.groupVersion).join(', ')}`,
        );
      }
    },
  ),

  scenario(
    { codename: '[sig-api-machinery] server version should find the server version [Conformance]', testname: 'Confirm a server version', release: 'v1.19', file: 'test/e2e/apimachinery/server_version.go' },
    async (ctx) => {
      const res = await ctx.raw('GET', '/version');
      assert.equal(res.status, 200, 'GET /version');
      const info = res.json ?? {};
      assert.ok(info.gitVersion, 'gitVersion is set');
      assert.match(String(info.major), /^\d+$/, `major version ${JSON.stringify(info.major)} is an integer`);
      // A trailing "+" marks a build past the release tag; the rest must be an integer.
      assert.match(String(info.minor).replace(/\+$/, ''), /^\d+$/, `minor version ${JSON.stringify(info.minor)} is an integer`);
    },
  ),

  scenario(
    {
      codename: '[sig-api-machinery] Servers with support for Table transformation should return a 406 for a backend which does not implement metadata [Conformance]',
      testname: 'API metadata HTTP return',
      release: 'v1.16',
      file: 'test/e2e/apimachinery/table_conversion.go',
    },
    async (ctx) => {
      // SelfSubjectAccessReview has no ObjectMeta to print: asking for a Table must be refused.
      const res = await ctx.raw('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
        headers: { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' },
        body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { nonResourceAttributes: { path: '/', verb: 'get' } } },
      });
      assert.equal(res.status, 406, `POST selfsubjectaccessreviews asking for a Table answered ${res.status}: ${res.body.slice(0, 200)}`);
    },
  ),
];
