// Single probe attempts against real servers on 127.0.0.1 (HTTP, HTTPS, TCP, gRPC health) and a
// scripted runtime for exec, checking the outcome and the text that ends up in the Unhealthy event.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as createHttpServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import * as grpc from '@grpc/grpc-js';
import type { V1Container, V1Probe } from '@kubernetes/client-node';
import type { KObject } from '../../src/apimachinery/types.ts';
import { RuntimeError } from '../../src/kubelet/runtime/runtime-service.ts';
import { runProbe } from '../../src/kubelet/prober/run-probe.ts';
import { HEALTH_CHECK_PATH, healthCodec } from '../../src/kubelet/prober/grpc-health.ts';
import { fakeExecRuntime } from './kubelet-prober-fake-runtime.ts';

const pod: KObject = { metadata: { name: 'web', namespace: 'shop', uid: 'u1' }, spec: { containers: [] } };
const container: V1Container = { name: 'app', ports: [{ name: 'http', containerPort: 0 }], env: [{ name: 'FILE', value: '/tmp/healthy' }] };

let http: Server;
let httpPort = 0;
const seen: IncomingHttpHeaders[] = [];
let closedPort = 0;

before(async () => {
  http = createHttpServer((req, res) => {
    seen.push(req.headers);
    const url = new URL(req.url!, 'http://x');
    if (url.pathname === '/ok') res.end('fine');
    else if (url.pathname === '/fail') { res.statusCode = 500; res.end('secret detail'); }
    else if (url.pathname === '/hop') { res.statusCode = 302; res.setHeader('Location', '/ok'); res.end(); }
    else if (url.pathname === '/away') { res.statusCode = 302; res.setHeader('Location', 'http://example.invalid/'); res.end('moved'); }
    else if (url.pathname === '/slow') setTimeout(() => res.end('late'), 3000).unref();
    else { res.statusCode = 404; res.end(); }
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  httpPort = (http.address() as AddressInfo).port;
  container.ports![0]!.containerPort = httpPort;
  // A port nothing listens on: bind, read the number, close.
  const tmp = createTcpServer();
  await new Promise<void>((r) => tmp.listen(0, '127.0.0.1', r));
  closedPort = (tmp.address() as AddressInfo).port;
  await new Promise((r) => tmp.close(r));
});
after(() => { http.closeAllConnections(); http.close(); });

const probeCtx = { pod, container, containerId: 'c1', podIP: '127.0.0.1' };

describe('httpGet probes', () => {
  const run = (httpGet: V1Probe['httpGet'], timeoutSeconds = 1) => runProbe({ httpGet, timeoutSeconds }, { ...probeCtx, runtime: fakeExecRuntime(async () => ({ exitCode: 0 })) });

  test('2xx succeeds; the request carries kube-probe/<version>, Accept */* and the probe headers', async () => {
    seen.length = 0;
    const r = await run({ port: 'http', path: '/ok?x=1', httpHeaders: [{ name: 'x-custom', value: 'v' }, { name: 'Host', value: 'svc.local' }] });
    assert.deepEqual(r, { result: 'success', output: 'fine' });
    assert.match(seen[0]!['user-agent']!, /^kube-probe\/1\.\d+$/);
    assert.equal(seen[0]!.accept, '*/*');
    assert.equal(seen[0]!['x-custom'], 'v');
    assert.equal(seen[0]!.host, 'svc.local');
  });

  test('an error status fails without the body in the message', async () => {
    assert.deepEqual(await run({ port: httpPort, path: '/fail' }), { result: 'failure', output: 'HTTP probe failed with statuscode: 500' });
  });

  test('same-host redirects are followed; another host is a warning that still passes', async () => {
    assert.deepEqual(await run({ port: httpPort, path: '/hop' }), { result: 'success', output: 'fine' });
    assert.deepEqual(await run({ port: httpPort, path: '/away' }), { result: 'success', warning: true, output: 'Probe terminated redirects, Response body: moved' });
  });

  test('connection refused and timeouts as Go words them', async () => {
    assert.deepEqual(await run({ port: closedPort, path: '/healthz' }), {
      result: 'failure', output: `Get "http://127.0.0.1:${closedPort}/healthz": dial tcp 127.0.0.1:${closedPort}: connect: connection refused`,
    });
    assert.deepEqual(await run({ port: httpPort, path: '/slow' }, 1), {
      result: 'failure', output: `Get "http://127.0.0.1:${httpPort}/slow": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
    });
  });

  test('HTTPS against a plain HTTP server', async () => {
    const r = await run({ port: httpPort, path: '/ok', scheme: 'HTTPS' });
    assert.deepEqual(r, { result: 'failure', output: `Get "https://127.0.0.1:${httpPort}/ok": http: server gave HTTP response to HTTPS client` });
  });

  test('an unknown named port cannot run: unknown, with strconv\'s text', async () => {
    assert.deepEqual(await run({ port: 'metrics', path: '/' }), { result: 'unknown', output: 'strconv.Atoi: parsing "metrics": invalid syntax' });
  });
});

describe('tcpSocket probes', () => {
  test('a listening port succeeds; a closed one fails', async () => {
    const runtime = fakeExecRuntime(async () => ({ exitCode: 0 }));
    assert.equal((await runProbe({ tcpSocket: { port: httpPort } }, { ...probeCtx, runtime })).result, 'success');
    assert.deepEqual(await runProbe({ tcpSocket: { port: closedPort } }, { ...probeCtx, runtime }), {
      result: 'failure', output: `dial tcp 127.0.0.1:${closedPort}: connect: connection refused`,
    });
  });
});

describe('exec probes', () => {
  test('exit 0 passes, otherwise fails with the output; $(VAR) from literal env', async () => {
    const runtime = fakeExecRuntime(async (_id, cmd) => cmd[1] === '/tmp/healthy'
      ? { exitCode: 1, stderr: "cat: can't open '/tmp/healthy': No such file or directory\n" }
      : { exitCode: 0, stdout: 'ok' });
    const r = await runProbe({ exec: { command: ['cat', '$(FILE)'] }, timeoutSeconds: 3 }, { ...probeCtx, runtime });
    assert.deepEqual(r, { result: 'failure', output: "cat: can't open '/tmp/healthy': No such file or directory\n" });
    assert.deepEqual(runtime.calls[0], { containerId: 'c1', cmd: ['cat', '/tmp/healthy'], timeoutSeconds: 3 });
    assert.deepEqual(await runProbe({ exec: { command: ['true'] } }, { ...probeCtx, runtime }), { result: 'success', output: 'ok' });
  });

  test('a timed-out command fails; a runtime error is unknown', async () => {
    const slow = fakeExecRuntime(async () => { throw new RuntimeError('deadline', 'DeadlineExceeded'); });
    assert.deepEqual(await runProbe({ exec: { command: ['sleep', '10'] }, timeoutSeconds: 1 }, { ...probeCtx, runtime: slow }), {
      result: 'failure', output: 'command timed out: "sleep 10" timed out after 1s',
    });
    const broken = fakeExecRuntime(async () => { throw new RuntimeError('container is not created or running', 'NotFound'); });
    assert.deepEqual(await runProbe({ exec: { command: ['true'] } }, { ...probeCtx, runtime: broken }), { result: 'unknown', output: 'container is not created or running' });
  });
});

describe('grpc probes', () => {
  let server: grpc.Server;
  let port = 0;
  const statuses: Record<string, number> = { '': 1, sick: 2 };
  before(async () => {
    server = new grpc.Server();
    server.addService({
      Check: {
        path: HEALTH_CHECK_PATH, requestStream: false, responseStream: false, originalName: 'check',
        requestSerialize: healthCodec.encodeRequest, requestDeserialize: healthCodec.decodeRequest,
        responseSerialize: healthCodec.encodeResponse, responseDeserialize: healthCodec.decodeResponse,
      },
    } as grpc.ServiceDefinition, {
      Check: (call: grpc.ServerUnaryCall<{ service: string }, { status: number }>, cb: grpc.sendUnaryData<{ status: number }>) => {
        const s = statuses[call.request.service];
        if (s === undefined) cb({ code: grpc.status.NOT_FOUND, details: 'unknown service' });
        else cb(null, { status: s });
      },
    });
    port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
  });
  after(() => server.forceShutdown());

  const run = (grpcAction: V1Probe['grpc']) => runProbe({ grpc: grpcAction, timeoutSeconds: 1 }, { ...probeCtx, runtime: fakeExecRuntime(async () => ({ exitCode: 0 })) });

  test('SERVING passes; NOT_SERVING and errors fail with upstream texts', async () => {
    assert.deepEqual(await run({ port }), { result: 'success', output: 'service healthy' });
    assert.deepEqual(await run({ port, service: 'sick' }), { result: 'failure', output: 'service unhealthy (responded with "NOT_SERVING")' });
    assert.deepEqual(await run({ port, service: 'nope' }), { result: 'failure', output: 'error: health rpc probe failed: rpc error: code = NotFound desc = unknown service' });
  });

  test('a server without the health service, and nothing listening', async () => {
    const bare = new grpc.Server();
    const barePort = await new Promise<number>((resolve, reject) => bare.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
    try {
      const r = await run({ port: barePort });
      assert.equal(r.result, 'failure');
      assert.match(r.output, /^error: this server does not implement the grpc health protocol \(grpc\.health\.v1\.Health\): /);
    } finally {
      bare.forceShutdown();
    }
    assert.deepEqual(await run({ port: closedPort }), {
      result: 'failure', output: `timeout: failed to connect service "127.0.0.1:${closedPort}" within 1s: context deadline exceeded`,
    });
  });
});
