// authorization.k8s.io access reviews and authentication.k8s.io SelfSubjectReview: virtual, create-only
// resources answered from the request. k8ts authorizes like --authorization-mode=AlwaysAllow, so every
// review is allowed; `kubectl auth can-i` and `kubectl auth whoami` must work as against kube-apiserver.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AuthorizationV1Api } from '@kubernetes/client-node';
import { clientFor, createNamespace, expectApiError, kubectl, kubectlBinaries, kubectlOk, startTestServer, type TestServer } from '../helpers/index.ts';

const T = { timeout: 90_000 };
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io';
const SSAR = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';

let server: TestServer;
before(async () => {
  server = await startTestServer({ tokens: [{ token: 'jane-token', user: 'jane', uid: 'u-jane', groups: ['dev'] }] });
});
after(async () => { await server?.close(); });

describe('access reviews', { concurrency: 4 }, () => {
  for (const { label, bin } of kubectlBinaries()) {
    test(`${label}: kubectl auth can-i create pods prints yes`, T, async () => {
      const r = await kubectl(['auth', 'can-i', 'create', 'pods', '-n', 'default'], { kubeconfig: server.kubeconfigPath, bin });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.trim(), 'yes');
    });
  }

  test('kubectl auth can-i --list shows every verb on every resource and URL (AlwaysAllow)', T, async () => {
    const out = await kubectlOk(['auth', 'can-i', '--list', '-n', 'default'], { kubeconfig: server.kubeconfigPath });
    const rows = out.trim().split('\n').map((l) => l.trim().split(/\s{2,}/));
    assert.deepEqual(rows[0], ['Resources', 'Non-Resource URLs', 'Resource Names', 'Verbs']);
    assert.deepEqual(rows.slice(1), [['*.*', '[]', '[]', '[*]'], ['[*]', '[]', '[*]']]);
  });

  test('kubectl auth whoami prints the user and groups of the client certificate', T, async () => {
    const out = await kubectlOk(['auth', 'whoami'], { kubeconfig: server.kubeconfigPath });
    assert.match(out, /^ATTRIBUTE\s+VALUE\nUsername\s+admin\nGroups\s+\[system:masters system:authenticated\]\n$/);
  });

  test('a token user\'s SelfSubjectReview carries uid and groups, stamped with its creation time', T, async () => {
    const before = Date.now() - 1000;
    const r = await server.request('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', {
      cert: 'none', token: 'jane-token', body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
    });
    assert.equal(r.status, 201, r.body);
    assert.equal(r.json.kind, 'SelfSubjectReview');
    assert.deepEqual(r.json.status, { userInfo: { username: 'jane', uid: 'u-jane', groups: ['dev', 'system:authenticated'] } });
    assert.ok(Date.parse(r.json.metadata.creationTimestamp) >= before, r.json.metadata.creationTimestamp);
  });

  test('a SelfSubjectAccessReview is answered allowed and echoes the spec; nothing is stored', T, async () => {
    const api = clientFor(server.kubeconfigPath).makeApiClient(AuthorizationV1Api);
    const spec = { resourceAttributes: { namespace: 'default', verb: 'delete', resource: 'secrets', name: 'top-secret' } };
    const review = await api.createSelfSubjectAccessReview({ body: { spec } });
    assert.deepEqual({ ...review.spec?.resourceAttributes }, spec.resourceAttributes);
    assert.equal(review.status?.allowed, true);
    assert.equal(review.status?.denied, undefined);
    const raw = await server.request('POST', SSAR, { body: { spec: { nonResourceAttributes: { path: '/healthz', verb: 'get' } } } });
    assert.equal(raw.status, 201);
    assert.deepEqual(raw.json.metadata, { creationTimestamp: null }, 'an ObjectMeta with nothing set, as Go prints it');
    const list = await server.request('GET', SSAR);
    assert.equal(list.status, 405, 'only create is routed');
    assert.equal(list.json.reason, 'MethodNotAllowed');
  });

  test('asking for a Table is 406 NotAcceptable (no table convertor), as kube-apiserver', T, async () => {
    const r = await server.request('POST', SSAR, {
      headers: { Accept: TABLE }, body: { spec: { nonResourceAttributes: { path: '/', verb: 'get' } } },
    });
    assert.equal(r.status, 406, r.body);
    assert.equal(r.json.reason, 'NotAcceptable');
    assert.equal(r.json.message, 'only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf');
    const configmaps = await server.request('GET', '/api/v1/namespaces/default/configmaps', { headers: { Accept: TABLE } });
    assert.equal(configmaps.json.kind, 'Table', 'stored resources still print tables');
  });

  test('validation: exactly one kind of attributes, a subject for SubjectAccessReview, empty metadata', T, async () => {
    const both = await server.request('POST', SSAR, { body: { metadata: { name: 'x' }, spec: {} } });
    assert.equal(both.status, 422, both.body);
    assert.equal(both.json.details.kind, 'SelfSubjectAccessReview');
    assert.deepEqual(both.json.details.causes.map((c: { field: string }) => c.field), ['spec.resourceAttributes', 'metadata']);
    assert.match(both.json.message, /^SelfSubjectAccessReview\.authorization\.k8s\.io "" is invalid: \[spec\.resourceAttributes: Invalid value: null: exactly one of nonResourceAttributes or resourceAttributes must be specified, metadata: Invalid value: .*: must be empty\]$/);

    const noSubject = await server.request('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', {
      body: { spec: { resourceAttributes: { verb: 'get', resource: 'pods' } } },
    });
    assert.equal(noSubject.status, 422);
    assert.equal(noSubject.json.message, 'SubjectAccessReview.authorization.k8s.io "" is invalid: spec.user: Invalid value: "": at least one of user or group must be specified');

    const forGroup = await server.request('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', {
      body: { spec: { groups: ['dev'], nonResourceAttributes: { path: '/metrics', verb: 'get' } } },
    });
    assert.equal(forGroup.status, 201, forGroup.body);
    assert.deepEqual(forGroup.json.status, { allowed: true });
  });

  test('a LocalSubjectAccessReview is about its own namespace only', T, async () => {
    const ns = await createNamespace(server, 'lsar');
    const path = `/apis/authorization.k8s.io/v1/namespaces/${ns}/localsubjectaccessreviews`;
    const ok = await server.request('POST', path, { body: { spec: { user: 'bob', resourceAttributes: { namespace: ns, verb: 'list', resource: 'pods' } } } });
    assert.equal(ok.status, 201, ok.body);
    assert.equal(ok.json.metadata.namespace, ns);
    assert.deepEqual(ok.json.status, { allowed: true });
    const other = await server.request('POST', path, { body: { spec: { user: 'bob', resourceAttributes: { namespace: 'default', verb: 'list', resource: 'pods' } } } });
    assert.equal(other.status, 422);
    assert.equal(other.json.message, 'LocalSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes.namespace: Invalid value: "default": must match metadata.namespace');
    // NamespaceLifecycle admits access reviews in any namespace: the answer must not tell whether it exists.
    const elsewhere = await server.request('POST', '/apis/authorization.k8s.io/v1/namespaces/no-such-ns/localsubjectaccessreviews', {
      body: { spec: { user: 'bob', resourceAttributes: { namespace: 'no-such-ns', verb: 'get', resource: 'pods' } } },
    });
    assert.equal(elsewhere.status, 201, elsewhere.body);
    const nonResource = await server.request('POST', path, { body: { spec: { user: 'bob', nonResourceAttributes: { path: '/', verb: 'get' } } } });
    assert.equal(nonResource.status, 422);
    assert.match(nonResource.json.message, /spec\.nonResourceAttributes: Invalid value: .*: disallowed on this kind of request/);
  });

  test('a SelfSubjectRulesReview needs a namespace and lists the AlwaysAllow rules', T, async () => {
    const path = '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews';
    const missing = await server.request('POST', path, { body: { spec: {} } });
    assert.equal(missing.status, 400);
    assert.equal(missing.json.message, 'no namespace on request');
    const r = await server.request('POST', path, { body: { spec: { namespace: 'default' } } });
    assert.equal(r.status, 201, r.body);
    assert.deepEqual(r.json.spec, {});
    assert.deepEqual(r.json.status, {
      resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
      nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
      incomplete: false,
    });
  });

  test('discovery lists the reviews as create-only, without a storage version', T, async () => {
    const authz = await server.request('GET', '/apis/authorization.k8s.io/v1');
    assert.deepEqual(authz.json.resources.map((r: { name: string; verbs: string[]; namespaced: boolean; storageVersionHash?: string }) => [r.name, r.namespaced, r.verbs, r.storageVersionHash]), [
      ['localsubjectaccessreviews', true, ['create'], undefined],
      ['selfsubjectaccessreviews', false, ['create'], undefined],
      ['selfsubjectrulesreviews', false, ['create'], undefined],
      ['subjectaccessreviews', false, ['create'], undefined],
    ]);
    const authn = await server.request('GET', '/apis/authentication.k8s.io/v1');
    assert.deepEqual(authn.json.resources.map((r: { name: string }) => r.name), ['selfsubjectreviews']);
  });

  test('client-node reports a validation failure as an ApiException with the Status', T, async () => {
    const api = clientFor(server.kubeconfigPath).makeApiClient(AuthorizationV1Api);
    const { code, status } = await expectApiError(() => api.createSubjectAccessReview({ body: { spec: { user: 'bob' } } }));
    assert.equal(code, 422);
    assert.equal(status.reason, 'Invalid');
  });
});
