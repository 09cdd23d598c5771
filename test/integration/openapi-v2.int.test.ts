// GET /openapi/v2 over HTTPS as clients send it: JSON, or gnostic protobuf for client-go's
// OpenAPISchema() (the body itself is checked by test/unit/openapi-v2-protobuf.test.ts and by kubectl
// 1.20, which validates and explains from it), one ETag for both, 304 on revalidation, 406 otherwise.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/index.ts';

const PROTOBUF = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server?.close();
});

describe('/openapi/v2', () => {
  test('JSON and protobuf answers share the ETag; Vary names Accept', async () => {
    const json = await server.request('GET', '/openapi/v2', { headers: { Accept: 'application/json' } });
    assert.equal(json.status, 200);
    assert.equal(json.headers['content-type'], 'application/json');
    assert.equal(json.json.swagger, '2.0');
    assert.match(String(json.headers.etag), /^"[0-9A-F]{128}"$/);

    const pb = await server.request('GET', '/openapi/v2', { headers: { Accept: PROTOBUF } });
    assert.equal(pb.status, 200);
    assert.equal(pb.headers['content-type'], 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf');
    assert.equal(pb.headers.etag, json.headers.etag);
    assert.match(String(pb.headers.vary), /\bAccept\b/);
    // Field 1 (swagger) comes first: 0a 03 "2.0", as kube-apiserver's answer starts.
    assert.ok(pb.body.startsWith('\n\x032.0'), JSON.stringify(pb.body.slice(0, 8)));
    assert.ok(Number(pb.headers['content-length']) > 100_000, 'the whole document');
  });

  test('If-None-Match with the ETag is 304 Not Modified', async () => {
    const first = await server.request('GET', '/openapi/v2', { headers: { Accept: PROTOBUF } });
    const again = await server.request('GET', '/openapi/v2', { headers: { Accept: PROTOBUF, 'If-None-Match': String(first.headers.etag) } });
    assert.equal(again.status, 304);
    assert.equal(again.body, '');
    const stale = await server.request('GET', '/openapi/v2', { headers: { Accept: PROTOBUF, 'If-None-Match': '"0"' } });
    assert.equal(stale.status, 200);
  });

  test('an Accept with neither JSON nor the v2 protobuf type is 406', async () => {
    const r = await server.request('GET', '/openapi/v2', { headers: { Accept: 'application/com.github.proto-openapi.spec.v3@v1.0+protobuf' } });
    assert.equal(r.status, 406);
  });
});
