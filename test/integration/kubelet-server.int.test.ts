// The kubelet's HTTPS endpoint over real TLS: only clients with a certificate from the cluster CA get
// in; health, pods, summary and container logs read from real files; exec over a real WebSocket.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request, type RequestOptions } from 'node:https';
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { runningPod, startTestKubelet, testCerts, type TestCerts, type TestKubelet } from './kubelet-server-fixtures.ts';

const T = { timeout: 30_000 };

let dir: string;
let certs: TestCerts;
let kubelet: TestKubelet;
let logFile: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'k8ts-kubelet-server-'));
  certs = await testCerts();
  kubelet = await startTestKubelet(certs, async () => ({
    node: { nodeName: 'n', startTime: '2024-05-01T00:00:00Z', cpu: { time: '2024-05-01T10:00:00Z', usageNanoCores: 5, usageCoreNanoSeconds: 7 } },
    pods: [],
  }));
  logFile = join(dir, 'c.log');
  await writeFile(logFile, '2024-05-01T10:00:00.000000001Z stdout F hello\n2024-05-01T10:00:01Z stderr F world\n');
  kubelet.runtime.add({ id: 'c1', sandboxId: 's1', pod: { name: 'p', namespace: 'default', uid: 'u1' }, name: 'c', state: 'CONTAINER_RUNNING', logPath: logFile });
  kubelet.pods.set('p', runningPod('default', 'p', 'u1', [{ name: 'c', id: 'c1' }]));
  const waiting = runningPod('default', 'w', 'u2', [{ name: 'c', id: 'c2' }]);
  (waiting.status as any).containerStatuses[0].state = { waiting: { reason: 'ContainerCreating' } };
  delete (waiting.status as any).containerStatuses[0].containerID;
  kubelet.pods.set('w', waiting);
});

after(async () => {
  await kubelet?.server.close();
  await rm(dir, { recursive: true, force: true });
});

interface Answer { status: number; body: string; headers: Record<string, unknown> }

function get(path: string, who: 'client' | 'stranger' | 'anonymous' = 'client', extra: RequestOptions = {}): Promise<Answer> {
  const cred = who === 'anonymous' ? {} : { cert: certs[who].cert, key: certs[who].key };
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: kubelet.server.port, path, ca: certs.ca.cert, ...cred, agent: false, ...extra }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString(), headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('authentication', () => {
  test('a certificate from the cluster CA is accepted', T, async () => {
    assert.deepEqual(await pick(get('/healthz')), { status: 200, body: 'ok' });
  });

  test('anonymous clients and certificates from another CA get 401 Unauthorized', T, async () => {
    assert.deepEqual(await pick(get('/healthz', 'anonymous')), { status: 401, body: 'Unauthorized' });
    assert.deepEqual(await pick(get('/pods', 'stranger')), { status: 401, body: 'Unauthorized' });
  });

  test('an anonymous upgrade is refused before any protocol switch', T, async () => {
    const ws = new WebSocket(`wss://127.0.0.1:${kubelet.server.port}/exec/default/p/c?command=echo&output=1`, ['v5.channel.k8s.io'], { ca: certs.ca.cert });
    const status = await new Promise<number>((resolve) => {
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode!));
      ws.on('open', () => resolve(101));
      ws.on('error', () => {});
    });
    assert.equal(status, 401);
  });
});

describe('endpoints', () => {
  test('/pods lists the kubelet\'s pods; /stats/summary is the summary', T, async () => {
    const pods = JSON.parse((await get('/pods')).body);
    assert.equal(pods.kind, 'PodList');
    assert.deepEqual(pods.items.map((p: any) => p.metadata.name).sort(), ['p', 'w']);
    const summary = JSON.parse((await get('/stats/summary')).body);
    assert.equal(summary.node.cpu.usageNanoCores, 5);
  });

  test('unknown paths are 404', T, async () => {
    assert.equal((await get('/nothing')).status, 404);
  });
});

describe('/containerLogs', () => {
  test('prints the log, with tailLines and timestamps', T, async () => {
    assert.deepEqual(await pick(get('/containerLogs/default/p/c')), { status: 200, body: 'hello\nworld\n' });
    assert.equal((await get('/containerLogs/default/p/c?tailLines=1')).body, 'world\n');
    assert.equal((await get('/containerLogs/default/p/c?tail=1&timestamps=true')).body, '2024-05-01T10:00:01.000000000Z world\n');
    assert.equal((await get('/containerLogs/default/p/c?limitBytes=3')).body, 'hel');
  });

  test('answers upstream\'s messages when there is nothing to read', T, async () => {
    assert.deepEqual(await pick(get('/containerLogs/default/nope/c')), { status: 404, body: 'pod "nope" does not exist' });
    assert.deepEqual(await pick(get('/containerLogs/default/p/x')), { status: 404, body: 'container "x" not found in pod "p"' });
    assert.deepEqual(await pick(get('/containerLogs/default/w/c')), { status: 400, body: 'container "c" in pod "w" is waiting to start: ContainerCreating' });
    assert.deepEqual(await pick(get('/containerLogs/default/p/c?previous=true')), { status: 400, body: 'previous terminated container "c" in pod "p" not found' });
    assert.equal((await get('/containerLogs/default/p/c?tailLines=-1')).status, 422);
  });

  test('follow streams new lines and ends when the container stops', T, async () => {
    const followed = join(dir, 'follow.log');
    await writeFile(followed, '2024-05-01T10:00:00Z stdout F one\n');
    kubelet.runtime.add({ id: 'f1', sandboxId: 's3', pod: { name: 'f', namespace: 'default', uid: 'u3' }, name: 'c', state: 'CONTAINER_RUNNING', logPath: followed });
    kubelet.pods.set('f', runningPod('default', 'f', 'u3', [{ name: 'c', id: 'f1' }]));
    let seen = '';
    const ended = new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: kubelet.server.port, path: '/containerLogs/default/f/c?follow=true', ca: certs.ca.cert, cert: certs.client.cert, key: certs.client.key, agent: false }, (res) => {
        res.setEncoding('utf8');
        res.on('data', (d: string) => { seen += d; });
        res.on('end', () => resolve(res.statusCode!));
      });
      req.on('error', reject);
      req.end();
    });
    await until(() => seen === 'one\n');
    await appendFile(followed, '2024-05-01T10:00:01Z stdout F two\n');
    await until(() => seen === 'one\ntwo\n');
    kubelet.runtime.containers.get('f1')!.state = 'CONTAINER_EXITED';
    assert.equal(await ended, 200);
    assert.equal(seen, 'one\ntwo\n');
  });
});

describe('/exec', () => {
  test('runs a command over WebSocket v5.channel.k8s.io and reports Success', T, async () => {
    const ws = new WebSocket(`wss://127.0.0.1:${kubelet.server.port}/exec/default/p/c?command=echo&command=hi&output=1`, ['v5.channel.k8s.io'], {
      ca: certs.ca.cert, cert: certs.client.cert, key: certs.client.key,
    });
    const frames: Buffer[] = [];
    ws.on('message', (d: Buffer) => frames.push(d));
    await new Promise((resolve, reject) => { ws.on('close', resolve); ws.on('error', reject); });
    const stdout = frames.filter((f) => f[0] === 1).map((f) => f.subarray(1).toString()).join('');
    const status = JSON.parse(frames.filter((f) => f[0] === 3).map((f) => f.subarray(1).toString()).join(''));
    assert.equal(stdout, 'hi\n');
    assert.equal(status.status, 'Success');
  });

  test('a container that is not running is reported before the upgrade', T, async () => {
    const ws = new WebSocket(`wss://127.0.0.1:${kubelet.server.port}/exec/default/p/nope?command=ls&output=1`, ['v5.channel.k8s.io'], {
      ca: certs.ca.cert, cert: certs.client.cert, key: certs.client.key,
    });
    const answer = await new Promise<{ status: number; body: string }>((resolve) => {
      ws.on('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (d: Buffer) => { body += d; });
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      });
      ws.on('error', () => {});
    });
    assert.deepEqual(answer, { status: 500, body: 'container not found ("nope")' });
  });
});

async function pick(p: Promise<Answer>): Promise<{ status: number; body: string }> {
  const { status, body } = await p;
  return { status, body };
}

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
