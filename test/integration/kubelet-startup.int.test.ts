// How `npm start` treats the kubelet when no container runtime can be used: by default it says why in
// one line and serves the API without a node; when the kubelet is asked for by name it fails with
// that line and exit code 1.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kubectlOk, waitFor } from '../helpers/index.ts';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

function start(dir: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--port', '0', '--data-dir', join(dir, 'data'),
    '--certs-dir', join(dir, 'certs'), '--kubeconfig', join(dir, 'admin.kubeconfig'), '--leader-elect=false', '--images-dir', join(dir, 'images'), ...args],
  { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env });
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => { err += d; });
  child.stdout!.resume();
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stderr: () => err, exited };
}

describe('kubelet start-up without a runtime', { timeout: 120_000 }, () => {
  test('default components, containerd not on PATH: one line saying so, and the API is served without a node', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'k8ts-kubelet-none-'));
    // An empty PATH: no containerd, so the kubelet cannot start one (node itself is run by its path).
    const p = start(dir, [], { ...process.env, PATH: join(dir, 'empty-path') });
    try {
      const line = await waitFor(() => p.stderr().split('\n').find((l) => l.includes('kubelet: not started')), { timeoutMs: 60_000, message: 'the kubelet line' });
      assert.equal(process.getuid?.() === 0
        ? line === "k8ts: kubelet: not started: containerd is not installed (scripts/install-runtime.sh installs it from Debian's packages); serving the API without a node"
        : /kubelet: not started: not running as root/.test(line), true, line);
      const nodes = await kubectlOk(['get', 'nodes', '-o', 'name'], { kubeconfig: join(dir, 'admin.kubeconfig') });
      assert.equal(nodes.trim(), '');
    } finally {
      p.child.kill('SIGTERM');
      assert.equal(await p.exited, 0);
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('--container-runtime=docker at a socket where no dockerd answers: exit 1 with one line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'k8ts-kubelet-none-'));
    try {
      const p = start(dir, ['--components=apiserver,kubelet', '--container-runtime=docker', '--container-runtime-endpoint', `unix://${join(dir, 'no-docker.sock')}`]);
      assert.equal(await p.exited, 1);
      assert.match(p.stderr(), new RegExp(`k8ts: kubelet: no Docker engine at unix://${join(dir, 'no-docker.sock').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} \\(start dockerd, or pass --container-runtime-endpoint\\)`));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
