// The flags of the simulated nodes and of the node lifecycle / PodGC controllers, as main reads them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FlagError, parseCommandLine, type ComponentOptions } from '../../src/options.ts';

function components(argv: string[]): ComponentOptions {
  const parsed = parseCommandLine(argv, '/tmp');
  assert.equal(parsed.kind, 'run');
  return (parsed as { components: ComponentOptions }).components;
}

test('without --simulated-nodes the default components leave the simulated nodes out', () => {
  const c = components([]);
  assert.deepEqual(c.components, ['apiserver', 'controller-manager', 'scheduler', 'kubelet']);
  assert.equal(c.simulatedNodes, 0);
  assert.deepEqual(c.simulatedNodeCapacity, { cpu: '4', memory: '16Gi', pods: '110' });
  assert.equal(c.simulatedKubeletAPIQPS, 50);
  assert.equal(c.nodeMonitorGracePeriodMs, 40_000);
  assert.equal(c.terminatedPodGCThreshold, 12_500);
});

test('--simulated-nodes N > 0 adds the simulated-nodes component in place of the kubelet; capacity and controller flags are read', () => {
  const c = components(['--simulated-nodes', '5', '--simulated-node-cpu=16', '--simulated-node-memory', '64Gi', '--simulated-node-pods', '250',
    '--simulated-kubelet-api-qps', '100', '--node-monitor-grace-period', '1m', '--terminated-pod-gc-threshold', '0']);
  assert.deepEqual(c.components, ['apiserver', 'controller-manager', 'scheduler', 'simulated-nodes']);
  assert.deepEqual([c.simulatedNodes, c.simulatedNodeCapacity, c.simulatedKubeletAPIQPS], [5, { cpu: '16', memory: '64Gi', pods: '250' }, 100]);
  assert.deepEqual([c.nodeMonitorGracePeriodMs, c.terminatedPodGCThreshold], [60_000, 0]);
});

test('an explicit --components list is kept as given', () => {
  assert.deepEqual(components(['--components=simulated-nodes', '--simulated-nodes=2']).components, ['simulated-nodes']);
  assert.deepEqual(components(['--components=apiserver', '--simulated-nodes=2']).components, ['apiserver']);
});

test('bad values are flag errors', () => {
  for (const [argv, msg] of [
    [['--simulated-nodes', 'x'], /invalid argument "x" for "--simulated-nodes" flag/],
    [['--simulated-nodes=-1'], /must be at least 0/],
    [['--simulated-node-cpu', '4x'], /invalid argument "4x" for "--simulated-node-cpu" flag/],
    [['--node-monitor-grace-period', '40'], /time: missing unit in duration "40"/],
    [['--simulated-kubelet-api-qps', '0'], /must be a positive number/],
  ] as const) {
    assert.throws(() => parseCommandLine([...argv], '/tmp'), (err: unknown) => err instanceof FlagError && msg.test(err.message), argv.join(' '));
  }
});
