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
      { components: ['apiserver', 'controller-manager', 'scheduler'], leaderElect: true, leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 },
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
    { argv: ['--components=apiserver,kubelet'], message: 'invalid argument "apiserver,kubelet" for "--components" flag: unknown component "kubelet" (known: apiserver, controller-manager, scheduler, simulated-nodes)' },
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
