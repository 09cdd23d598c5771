// The config a kubelet-started containerd runs with, read back by containerd itself (`containerd
// config dump`), and the registry hosts.toml: everything under the data dir, oom_score_adj clamped,
// pulls of docker.io / registry.k8s.io / k8ts.local sent to the local registry over plain HTTP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { containerdConfigToml, registryHostsToml } from '../../src/kubelet/containerd/containerd-config.ts';

const options = {
  dir: '/data/node-1/containerd', socketPath: '/data/node-1/containerd/containerd.sock', sandboxImage: 'k8ts.local/pause:3.10',
  cniConfDir: '/data/node-1/cni/net.d', cniBinDir: '/usr/lib/cni', snapshotter: 'overlayfs' as const, registryConfigPath: '/data/node-1/containerd/certs.d',
};

test('containerd reads our config: its own root, state and socket, the CRI settings the kubelet needs', async (t) => {
  if (!existsSync('/usr/bin/containerd')) return t.skip('containerd is not installed');
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-cri-config-'));
  try {
    await writeFile(join(dir, 'config.toml'), containerdConfigToml(options));
    const { stdout } = await promisify(execFile)('/usr/bin/containerd', ['--config', join(dir, 'config.toml'), 'config', 'dump']);
    for (const line of [
      'root = "/data/node-1/containerd/root"',
      'state = "/data/node-1/containerd/state"',
      'address = "/data/node-1/containerd/containerd.sock"',
      'sandbox_image = "k8ts.local/pause:3.10"',
      'restrict_oom_score_adj = true',
      'netns_mounts_under_state_dir = true',
      'bin_dir = "/usr/lib/cni"',
      'conf_dir = "/data/node-1/cni/net.d"',
      'snapshotter = "overlayfs"',
      'config_path = "/data/node-1/containerd/certs.d"',
    ]) assert.ok(stdout.split('\n').some((l) => l.trim() === line), `containerd config dump has ${line}`);
    assert.match(stdout, /disabled_plugins = \[.*"io\.containerd\.snapshotter\.v1\.btrfs".*\]/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('hosts.toml makes the mirror the only host, with a [host] table containerd 1.6 requires', () => {
  const toml = registryHostsToml('http://127.0.0.1:5000');
  assert.match(toml, /^server = "http:\/\/127\.0\.0\.1:5000"$/m);
  // Without a [host] table containerd 1.6 logs "failed to decode hosts.toml: invalid `host` tree" and
  // silently pulls from the real registry.
  assert.match(toml, /^\[host\."http:\/\/127\.0\.0\.1:5000"\]$/m);
  assert.match(toml, /capabilities = \["pull", "resolve"\]/);
});
