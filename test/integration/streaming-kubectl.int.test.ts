// Real kubectl against the streaming protocols (src/kubelet/streaming), served by a small HTTPS
// stand-in for the API server: it answers kubectl's discovery and pod GETs, and hands the
// exec/attach/portforward upgrades to serveRemoteCommand/servePortForward with a `run` that spawns
// a local process and a `connect` to a local TCP echo server. Every kubectl version on the machine
// is driven: ≤1.29 (and Debian's 1.20) speak SPDY/3.1, ≥1.30 WebSocket v5 for exec, ≥1.31 SPDY
// tunneled in a WebSocket for port-forward.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runProcess } from '../../conformance/framework/process.ts';
import { createCertificateAuthority, issueCertificate } from '../../src/certs/index.ts';
import type { ExecResult, StreamIO } from '../../src/kubelet/runtime/runtime-service.ts';
import { servePortForward, serveRemoteCommand } from '../../src/kubelet/streaming/index.ts';
import { kubectl, kubectlBinaries, kubectlVersionSync, spawnKubectl, waitFor, type KubectlBinary } from '../helpers/index.ts';

const T = { timeout: 60_000 };
/** The port our echo server stands for; any other port refuses connections. */
const ECHO_PORT = 80;

interface StandIn {
  kubeconfig: string;
  upgrades: string[];
  close(): Promise<void>;
}

const POD = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'default', uid: '0b5d3c8e-1111-4222-8333-444455556666', creationTimestamp: '2024-01-01T00:00:00Z' },
  spec: { containers: [{ name: 'c', image: 'busybox', stdin: true }], nodeName: 'n1' },
  status: { phase: 'Running', podIP: '10.244.0.10', containerStatuses: [{ name: 'c', ready: true, restartCount: 0, image: 'busybox', imageID: '', state: { running: { startedAt: '2024-01-01T00:00:00Z' } } }] },
};

function flag(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  return v === '1' || v === 'true';
}

/** Runs the exec's command as a local process, wired to the session's streams. */
async function runLocal(command: string[], io: StreamIO): Promise<ExecResult> {
  const child = spawn(command[0]!, command.slice(1), { stdio: 'pipe' });
  const spawned = new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  child.stdin.on('error', () => {});
  await spawned;
  if (io.stdin) io.stdin.pipe(child.stdin);
  else child.stdin.end();
  if (io.stdout) child.stdout.pipe(io.stdout, { end: false });
  else child.stdout.resume();
  if (io.stderr) child.stderr.pipe(io.stderr, { end: false });
  else child.stderr.resume();
  const [code] = (await once(child, 'close')) as [number | null];
  io.stdin?.unpipe(child.stdin);
  return { exitCode: code ?? 137 };
}

/** A pseudo-command answered by the stand-in itself: prints the first terminal size kubectl sends. */
const TERMINAL_SIZE = 'k8ts-terminal-size';

async function reportTerminalSize(io: StreamIO): Promise<ExecResult> {
  for await (const { width, height } of io.resize ?? []) {
    io.stdout?.write(`tty=${io.tty} stderr=${io.stderr !== undefined} size=${width}x${height}\n`);
    break;
  }
  return { exitCode: 0 };
}

async function startStandIn(dir: string, echoPort: number): Promise<StandIn> {
  const ca = await createCertificateAuthority('streaming-test-ca');
  const serving = await issueCertificate(ca, { commonName: '127.0.0.1', usage: 'server', sans: { dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] } });
  const upgrades: string[] = [];
  const server = https.createServer({ cert: serving.cert, key: serving.key }, (req, res) => {
    const path = new URL(req.url ?? '/', 'https://x').pathname;
    const json = (body: unknown) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (path === '/api') return json({ kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] });
    if (path === '/apis') return json({ kind: 'APIGroupList', apiVersion: 'v1', groups: [] });
    if (path === '/api/v1') {
      return json({
        kind: 'APIResourceList', groupVersion: 'v1',
        resources: [
          { name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: ['get', 'list'], shortNames: ['po'] },
          { name: 'pods/attach', singularName: '', namespaced: true, kind: 'PodAttachOptions', verbs: ['create', 'get'] },
          { name: 'pods/exec', singularName: '', namespaced: true, kind: 'PodExecOptions', verbs: ['create', 'get'] },
          { name: 'pods/portforward', singularName: '', namespaced: true, kind: 'PodPortForwardOptions', verbs: ['create', 'get'] },
        ],
      });
    }
    if (path === '/api/v1/namespaces/default/pods/p') return json(POD);
    res.writeHead(404, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'the server could not find the requested resource', reason: 'NotFound', code: 404 }));
  });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'https://x');
    const m = /^\/api\/v1\/namespaces\/default\/pods\/p\/(exec|attach|portforward)$/.exec(url.pathname);
    // "kubectl/v1.32.4 (linux/amd64) …" or "kubectl.1.27/v1.27.16 …"
    const minor = /\/v1\.(\d+)\./.exec(req.headers['user-agent'] ?? '')?.[1] ?? '?';
    upgrades.push(`1.${minor} ${m?.[1] ?? url.pathname} ${req.headers.upgrade} ${req.headers['sec-websocket-protocol'] ?? req.headers['x-stream-protocol-version'] ?? ''}`);
    if (!m) return socket.destroy();
    const q = url.searchParams;
    if (m[1] === 'portforward') {
      const ports = q.getAll('ports').concat(q.getAll('port')).flatMap((p) => p.split(',')).map(Number);
      servePortForward(req, socket, head, ports, async (port) => {
        const conn = net.connect(port === ECHO_PORT ? echoPort : 1, '127.0.0.1');
        await once(conn, 'connect');
        return conn;
      }, { podName: 'p', uid: POD.metadata.uid });
      return;
    }
    const tty = flag(q, 'tty');
    const opts = { stdin: flag(q, 'stdin'), stdout: flag(q, 'stdout'), stderr: flag(q, 'stderr') && !tty, tty };
    const command = m[1] === 'exec' ? q.getAll('command') : ['sh', '-c', 'echo attached; cat'];
    serveRemoteCommand(req, socket, head, opts, (io) => (command[0] === TERMINAL_SIZE ? reportTerminalSize(io) : runLocal(command, io)));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as net.AddressInfo).port;
  const kubeconfig = join(dir, 'kubeconfig');
  await writeFile(kubeconfig, [
    'apiVersion: v1', 'kind: Config', 'current-context: t',
    'clusters:', `- name: t`, '  cluster:', `    server: https://127.0.0.1:${port}`, '    insecure-skip-tls-verify: true',
    'users:', '- name: u', '  user:', '    token: test',
    'contexts:', '- name: t', '  context:', '    cluster: t', '    user: u', '    namespace: default', '',
  ].join('\n'));
  return {
    kubeconfig,
    upgrades,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function startEchoServer(): Promise<net.Server> {
  const server = net.createServer((c) => c.pipe(c));
  server.listen(0, '127.0.0.1');
  return once(server, 'listening').then(() => server);
}

/** Sends `text` on a fresh connection to a local port and resolves with what comes back once `text.length` bytes arrived. */
async function roundTrip(port: number, text: string): Promise<string> {
  const c = net.connect(port, '127.0.0.1');
  await once(c, 'connect');
  let got = '';
  c.setEncoding('utf8').on('data', (d: string) => (got += d));
  c.write(text);
  try {
    await waitFor(() => got.length >= text.length, { timeoutMs: 15_000, message: `echo of ${JSON.stringify(text)} (got ${JSON.stringify(got)})` });
  } finally {
    c.destroy();
  }
  return got;
}

let dir: string;
let echo: net.Server;
let standIn: StandIn;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'k8ts-streaming-'));
  echo = await startEchoServer();
  standIn = await startStandIn(dir, (echo.address() as net.AddressInfo).port);
});
after(async () => {
  await standIn?.close();
  echo?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface Transport {
  minor: number;
  exec: string;
  portForward: string;
  /** The upgrades this version makes: "<kind> <Upgrade> <subprotocol or X-Stream-Protocol-Versions>". */
  execUpgrade: RegExp;
  portForwardUpgrade: RegExp;
}

function transportOf(k: KubectlBinary): Transport {
  const { minor } = kubectlVersionSync(k.bin);
  const wsExec = minor >= 30;
  const wsPortForward = minor >= 31;
  return {
    minor,
    exec: wsExec ? 'WebSocket v5' : 'SPDY',
    portForward: wsPortForward ? 'SPDY in WebSocket' : 'SPDY',
    // SPDY clients offer v5 from 1.29 on (the same as v4 over SPDY).
    execUpgrade: wsExec ? /^exec websocket v5\.channel\.k8s\.io$/ : /^exec SPDY\/3\.1 (v5\.channel\.k8s\.io, )?v4\.channel\.k8s\.io, v3\.channel\.k8s\.io, v2\.channel\.k8s\.io, channel\.k8s\.io$/,
    portForwardUpgrade: wsPortForward ? /^portforward websocket SPDY\/3\.1\+portforward\.k8s\.io$/ : /^portforward SPDY\/3\.1 portforward\.k8s\.io$/,
  };
}

for (const k of kubectlBinaries()) {
  const t = transportOf(k);
  const run = (args: string[], input?: string) => kubectl(args, { kubeconfig: standIn.kubeconfig, bin: k.bin, input, timeoutMs: 30_000 });

  describe(`${k.label} (exec over ${t.exec}, port-forward over ${t.portForward})`, () => {
    test('exec prints the command\'s stdout and exits 0', T, async () => {
      const r = await run(['exec', 'p', '--', 'echo', 'hi']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, 'hi\n');
    });

    test('exec -i: stdin reaches the command and its end ends the command', T, async () => {
      const r = await run(['exec', '-i', 'p', '--', 'sh'], 'echo in\nread x; echo "got $x"\n');
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, 'in\ngot \n');
    });

    test('exec -i: binary-safe bulk input and output', T, async () => {
      const line = 'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(7) + '\n';
      const input = line.repeat(4000); // ~1 MB, well past every buffer on the way
      const r = await run(['exec', '-i', 'p', '--', 'sh', '-c', 'wc -c; echo done >&2'], input);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.trim(), String(Buffer.byteLength(input)));
      assert.equal(r.stderr, 'done\n');
    });

    test('exec: a non-zero exit code becomes kubectl\'s, with upstream\'s message', T, async () => {
      const r = await run(['exec', 'p', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
      assert.equal(r.code, 3);
      assert.equal(r.stdout, 'out\n');
      assert.equal(r.stderr, 'err\ncommand terminated with exit code 3\n');
    });

    test('exec: a command that cannot start is an internal error', T, async () => {
      const r = await run(['exec', 'p', '--', 'no-such-command-k8ts']);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /Internal error occurred: error executing command in container: spawn no-such-command-k8ts ENOENT/);
    });

    test('exec -i: the command may end before its input does', T, async () => {
      const r = await run(['exec', '-i', 'p', '--', 'head', '-c', '5'], 'y\n'.repeat(500_000));
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, 'y\ny\ny');
    });

    test('cp: a file goes into the pod and comes back byte for byte (tar over exec)', T, async () => {
      const work = await mkdtemp(join(dir, 'cp-'));
      const original = join(work, 'original.bin');
      const content = randomBytes(300_000);
      await writeFile(original, content);
      await mkdir(join(work, 'pod'));
      const into = await run(['cp', original, `p:${join(work, 'pod', 'copied.bin')}`]);
      assert.equal(into.code, 0, into.stderr);
      assert.deepEqual(await readFile(join(work, 'pod', 'copied.bin')), content);
      const back = await run(['cp', `p:${join(work, 'pod', 'copied.bin')}`, join(work, 'back.bin')]);
      assert.equal(back.code, 0, back.stderr);
      assert.deepEqual(await readFile(join(work, 'back.bin')), content);
    });

    test('exec -it: a terminal session has no separate stderr, and the terminal\'s size reaches the command', T, async (tc) => {
      if (!existsSync('/usr/bin/script')) return tc.skip('util-linux script(1), which gives kubectl a terminal, is not installed');
      // script(1) runs kubectl on a pseudo-terminal of the given size.
      const inner = `stty cols 123 rows 45; ${k.bin} --kubeconfig=${standIn.kubeconfig} exec -it p -- ${TERMINAL_SIZE}`;
      const r = await runProcess('/usr/bin/script', ['-qec', inner, '/dev/null'], { timeoutMs: 30_000 });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /tty=true stderr=false size=123x45\r?\n/);
    });

    test('attach -i: the stream carries output and input', T, async () => {
      const r = await run(['attach', '-i', 'p'], 'hello\n');
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, 'attached\nhello\n');
    });

    test('port-forward: connections to the local port reach the pod port, several in turn', T, async () => {
      const pf = spawnKubectl(['port-forward', 'pod/p', `:${ECHO_PORT}`], { kubeconfig: standIn.kubeconfig, bin: k.bin });
      try {
        const line = await pf.waitForLine(/^Forwarding from 127\.0\.0\.1:\d+ -> 80$/, 20_000);
        const local = Number(/:(\d+) ->/.exec(line)![1]);
        assert.equal(await roundTrip(local, 'ping\n'), 'ping\n');
        const big = 'x'.repeat(200_000);
        assert.equal(await roundTrip(local, big), big);
        assert.equal(await roundTrip(local, 'again\n'), 'again\n');
      } finally {
        await pf.stop();
      }
    });

    test('port-forward: a port nobody listens on reports the kubelet\'s error', T, async () => {
      const pf = spawnKubectl(['port-forward', 'pod/p', ':81'], { kubeconfig: standIn.kubeconfig, bin: k.bin });
      try {
        const line = await pf.waitForLine(/^Forwarding from 127\.0\.0\.1:\d+ -> 81$/, 20_000);
        const local = Number(/:(\d+) ->/.exec(line)![1]);
        const c = net.connect(local, '127.0.0.1');
        c.on('error', () => {});
        await once(c, 'close');
        await pf.waitForStderr(/error forwarding port 81 to pod p, uid 0b5d3c8e-1111-4222-8333-444455556666: connect ECONNREFUSED 127\.0\.0\.1:1/, 15_000);
      } finally {
        await pf.stop();
      }
    });

    test(`spoke ${t.exec} for exec and ${t.portForward} for port-forward`, () => {
      const mine = [...new Set(standIn.upgrades.filter((u) => u.startsWith(`1.${t.minor} `)).map((u) => u.replace(/^\S+ /, '')))];
      assert.ok(mine.some((u) => t.execUpgrade.test(u)), mine.join('\n'));
      assert.ok(mine.some((u) => t.portForwardUpgrade.test(u)), mine.join('\n'));
      // Nothing fell back: every upgrade of this version was of the expected kind.
      assert.ok(mine.every((u) => t.execUpgrade.test(u) || t.portForwardUpgrade.test(u) || u.startsWith('attach ')), mine.join('\n'));
    });
  });
}
