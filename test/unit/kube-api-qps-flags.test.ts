// --kube-api-qps / --kube-api-burst: the client rate limit of controller-manager and scheduler, each
// its own bucket; unset, each keeps its upstream binary's default.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CLIENT_RATE_LIMIT_DEFAULTS } from '../../src/components/run-components.ts';
import { FlagError, USAGE, parseCommandLine, type ComponentOptions } from '../../src/options.ts';

function components(argv: string[]): ComponentOptions {
  const parsed = parseCommandLine(argv, '/tmp');
  assert.equal(parsed.kind, 'run');
  return (parsed as { components: ComponentOptions }).components;
}

test('unset: each component keeps its upstream default (kube-controller-manager 20/30, kube-scheduler 50/100)', () => {
  const got = components([]);
  assert.equal(got.kubeAPIQPS, undefined);
  assert.equal(got.kubeAPIBurst, undefined);
  assert.deepEqual(CLIENT_RATE_LIMIT_DEFAULTS, { 'controller-manager': { qps: 20, burst: 30 }, scheduler: { qps: 50, burst: 100 } });
});

test('--kube-api-qps 100 --kube-api-burst=200', () => {
  const got = components(['--kube-api-qps', '100', '--kube-api-burst=200']);
  assert.equal(got.kubeAPIQPS, 100);
  assert.equal(got.kubeAPIBurst, 200);
  assert.equal(components(['--kube-api-qps=12.5']).kubeAPIQPS, 12.5);
});

for (const [argv, message] of [
  [['--kube-api-qps=fast'], 'invalid argument "fast" for "--kube-api-qps" flag: strconv.ParseFloat: parsing "fast": invalid syntax'],
  [['--kube-api-qps=0'], 'invalid argument "0" for "--kube-api-qps" flag: must be a positive number'],
  [['--kube-api-burst=1.5'], 'invalid argument "1.5" for "--kube-api-burst" flag: strconv.ParseInt: parsing "1.5": invalid syntax'],
  [['--kube-api-burst=0'], 'invalid argument "0" for "--kube-api-burst" flag: must be at least 1'],
] as const) {
  test(`rejects ${argv.join(' ')}`, () => {
    assert.throws(() => parseCommandLine([...argv], '/tmp'), (err: unknown) => err instanceof FlagError && err.message === message);
  });
}

test('--help lists both flags with their per-binary defaults', () => {
  assert.match(USAGE, /--kube-api-qps float32 .*\(default 20 for controller-manager, 50 for scheduler\)/);
  assert.match(USAGE, /--kube-api-burst int32 .*\(default 30 for controller-manager, 100 for scheduler\)/);
});
