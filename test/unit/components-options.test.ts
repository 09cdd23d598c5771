// --components and the leader-election flags of `npm start`.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FlagError, USAGE, parseCommandLine, type ComponentOptions } from '../../src/options.ts';

function components(argv: string[]): ComponentOptions {
  const parsed = parseCommandLine(argv, '/tmp');
  assert.equal(parsed.kind, 'run');
  return (parsed as { components: ComponentOptions }).components;
}

describe('component flags', () => {
  test('default: every component, leader election on with upstream durations', () => {
    const got = components([]);
    assert.deepEqual(
      { components: got.components, leaderElect: got.leaderElect, leaseDurationMs: got.leaseDurationMs, renewDeadlineMs: got.renewDeadlineMs, retryPeriodMs: got.retryPeriodMs },
      { components: ['apiserver', 'controller-manager', 'scheduler', 'kubelet'], leaderElect: true, leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 },
    );
  });

  const cases: { argv: string[]; want: Partial<ComponentOptions> }[] = [
    { argv: ['--components=apiserver'], want: { components: ['apiserver'] } },
    { argv: ['--components', 'controller-manager,scheduler'], want: { components: ['controller-manager', 'scheduler'] } },
    { argv: ['--components=scheduler, scheduler'], want: { components: ['scheduler'] } },
    { argv: ['--leader-elect=false'], want: { leaderElect: false } },
    { argv: ['--leader-elect'], want: { leaderElect: true } },
    { argv: ['--leader-elect=true', '--leader-elect-lease-duration=3s', '--leader-elect-renew-deadline=2s', '--leader-elect-retry-period=500ms'],
      want: { leaseDurationMs: 3000, renewDeadlineMs: 2000, retryPeriodMs: 500 } },
  ];
  for (const c of cases) {
    test(c.argv.join(' '), () => {
      const got = components(c.argv);
      for (const [k, v] of Object.entries(c.want)) assert.deepEqual(got[k as keyof ComponentOptions], v, k);
    });
  }

  const errors: { argv: string[]; message: string }[] = [
    { argv: ['--components=apiserver,kube-proxy'], message: 'invalid argument "apiserver,kube-proxy" for "--components" flag: unknown component "kube-proxy" (known: apiserver, controller-manager, scheduler, kubelet, simulated-nodes)' },
    { argv: ['--components='], message: 'invalid argument "" for "--components" flag: name at least one component' },
    { argv: ['--leader-elect=maybe'], message: 'invalid argument "maybe" for "--leader-elect" flag: strconv.ParseBool: parsing "maybe": invalid syntax' },
    { argv: ['--leader-elect-renew-deadline=20s'], message: 'leaseDuration must be greater than renewDeadline' },
    { argv: ['--leader-elect-retry-period=9s'], message: 'renewDeadline must be greater than retryPeriod*JitterFactor' },
  ];
  for (const e of errors) {
    test(`rejects ${e.argv.join(' ')}`, () => {
      assert.throws(() => parseCommandLine(e.argv, '/tmp'), (err: unknown) => err instanceof FlagError && err.message === e.message);
    });
  }

  test('the help text documents the flags', () => {
    for (const flag of ['--components', '--leader-elect ', '--leader-elect-lease-duration', '--leader-elect-renew-deadline', '--leader-elect-retry-period']) {
      assert.ok(USAGE.includes(flag), flag);
    }
  });
});

describe('kubelet and node IPAM flags', () => {
  test('defaults: auto runtime, ./images, port 10250, 110 pods, 10.244.0.0/16 cut into /24s', () => {
    const got = components([]);
    assert.equal(got.kubelet.containerRuntime, 'auto');
    assert.equal(got.kubelet.kubeletPort, 10250);
    assert.equal(got.kubelet.maxPods, 110);
    assert.equal(got.kubelet.podInfraContainerImage, 'k8ts.local/pause:3.10');
    assert.match(got.kubelet.imagesDir, /images$/);
    assert.deepEqual([got.allocateNodeCIDRs, got.clusterCIDR, got.nodeCIDRMaskSize], [true, '10.244.0.0/16', 24]);
  });
  test('docker with an endpoint path becomes a unix:// URL', () => {
    const got = components(['--container-runtime=docker', '--container-runtime-endpoint', '/var/run/docker.sock']);
    assert.equal(got.kubelet.containerRuntime, 'docker');
    assert.equal(got.kubelet.containerRuntimeEndpoint, 'unix:///var/run/docker.sock');
  });
  for (const [argv, message] of [
    [['--container-runtime=rkt'], 'invalid argument "rkt" for "--container-runtime" flag: must be containerd, docker or auto'],
    [['--container-runtime-endpoint', 'tcp://x:1'], 'invalid argument "tcp://x:1" for "--container-runtime-endpoint" flag: must be unix:///path/to/socket'],
    [['--node-cidr-mask-size', '8'], 'invalid argument "8" for "--node-cidr-mask-size" flag: must be between the --cluster-cidr prefix length and 30'],
    [['--cluster-cidr', 'fd00::/64'], 'invalid argument "fd00::/64" for "--cluster-cidr" flag: an IPv4 CIDR is required'],
    [['--node-ip', 'x'], 'invalid argument "x" for "--node-ip" flag: failed to parse IP: "x"'],
  ] as const) {
    test(`${argv.join(' ')} → ${message}`, () => {
      assert.throws(() => parseCommandLine([...argv]), (err: Error) => err.message === message);
    });
  }
});
