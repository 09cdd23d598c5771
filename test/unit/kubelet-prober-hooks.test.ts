// Lifecycle hooks: exec through the runtime (upstream's failure message with the command's output),
// HTTP against a real server (only transport errors fail, kube-lifecycle user agent), sleep bounded
// by the grace-period signal.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { V1Container } from '@kubernetes/client-node';
import type { KObject } from '../../src/apimachinery/types.ts';
import { FakeClock } from '../../src/client/clock.ts';
import { runHandler } from '../../src/kubelet/hooks/index.ts';
import { fakeExecRuntime } from './kubelet-prober-fake-runtime.ts';

const pod: KObject = { metadata: { name: 'web', namespace: 'shop', uid: 'u-9' }, spec: { containers: [] } };
const container: V1Container = { name: 'app', ports: [{ name: 'admin', containerPort: 0 }] };

let server: Server;
let port = 0;
const requests: { url: string; headers: IncomingHttpHeaders }[] = [];
before(async () => {
  server = createServer((req, res) => {
    requests.push({ url: req.url!, headers: req.headers });
    res.statusCode = req.url === '/broken' ? 500 : 200;
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  container.ports![0]!.containerPort = port;
});
after(() => server.close());

describe('runHandler', () => {
  test('exec: success is empty; a failure carries the command, error and output', async () => {
    const runtime = fakeExecRuntime(async (_id, cmd) => (cmd.includes('exit 3') ? { exitCode: 3, stdout: 'draining\n', stderr: 'oops' } : { exitCode: 0 }));
    const ctx = { pod, container, containerId: 'c1', podIP: '127.0.0.1', runtime };
    assert.equal(await runHandler({ exec: { command: ['sh', '-c', 'echo hi'] } }, ctx), '');
    assert.equal(await runHandler({ exec: { command: ['sh', '-c', 'exit 3'] } }, ctx),
      'Exec lifecycle hook ([sh -c exit 3]) for Container "app" in Pod "web_shop(u-9)" failed - error: command \'sh -c exit 3\' exited with 3: oops, message: "draining\\noops"');
    assert.deepEqual(runtime.calls[0], { containerId: 'c1', cmd: ['sh', '-c', 'echo hi'], timeoutSeconds: 0 });
  });

  test('httpGet: any answer is success (even 500); a refused connection fails', async () => {
    const ctx = { pod, container, containerId: 'c1', podIP: '127.0.0.1', runtime: fakeExecRuntime(async () => ({ exitCode: 0 })) };
    requests.length = 0;
    assert.equal(await runHandler({ httpGet: { port: 'admin', path: '/shutdown' } }, ctx), '');
    assert.equal(await runHandler({ httpGet: { port, path: '/broken' } }, ctx), '');
    assert.deepEqual(requests.map((r) => r.url), ['/shutdown', '/broken']);
    assert.match(requests[0]!.headers['user-agent']!, /^kube-lifecycle\/1\.\d+$/);
    const refused = await runHandler({ httpGet: { port: 1, path: '/x' } }, ctx);
    assert.equal(refused, 'HTTP lifecycle hook (/x) for Container "app" in Pod "web_shop(u-9)" failed - error: Get "http://127.0.0.1:1/x": dial tcp 127.0.0.1:1: connect: connection refused');
  });

  test('httpGet over HTTPS to a plain HTTP server falls back to HTTP', async () => {
    const ctx = { pod, container, containerId: 'c1', podIP: '127.0.0.1', runtime: fakeExecRuntime(async () => ({ exitCode: 0 })) };
    requests.length = 0;
    assert.equal(await runHandler({ httpGet: { port, path: '/tls', scheme: 'HTTPS' } }, ctx), '');
    assert.deepEqual(requests.map((r) => r.url), ['/tls']);
  });

  test('sleep: finishes after its seconds, or fails when the grace period ends first', async () => {
    const clock = new FakeClock();
    const ctx = { pod, container, containerId: 'c1', podIP: '', runtime: fakeExecRuntime(async () => ({ exitCode: 0 })), clock };
    const done = runHandler({ sleep: { seconds: 5 } }, ctx);
    clock.step(5000);
    assert.equal(await done, '');
    const abort = new AbortController();
    const cut = runHandler({ sleep: { seconds: 30 } }, { ...ctx, signal: abort.signal });
    clock.step(1000);
    abort.abort();
    assert.equal(await cut, 'Sleep lifecycle hook (30) for Container "app" in Pod "web_shop(u-9)" failed - error: container terminated before sleep hook finished');
  });
});
