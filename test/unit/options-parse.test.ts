import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FlagError, parseCommandLine, parseGoDuration, type ServerOptions } from '../../src/options.ts';

const CWD = '/home/user/cluster';

function run(argv: string[]): ServerOptions {
  const parsed = parseCommandLine(argv, CWD);
  assert.equal(parsed.kind, 'run');
  return (parsed as { options: ServerOptions }).options;
}

describe('parseCommandLine', () => {
  test('no flags: HTTPS on 127.0.0.1:6443 with state, certs and kubeconfig under the working directory', () => {
    assert.deepEqual(run([]), {
      bindAddress: '127.0.0.1',
      securePort: 6443,
      dataDir: '/home/user/cluster/data',
      certsDir: '/home/user/cluster/certs',
      kubeconfigPath: '/home/user/cluster/kubeconfig/admin.kubeconfig',
      serviceClusterIPRange: '10.96.0.0/12',
      compactionIntervalMs: 300_000,
    });
  });

  const cases: Array<{ name: string; argv: string[]; want: Partial<ServerOptions> }> = [
    { name: '--port 0 picks a free port', argv: ['--port', '0'], want: { securePort: 0 } },
    { name: '--port=N form', argv: ['--port=8443'], want: { securePort: 8443 } },
    { name: '--secure-port is the upstream name', argv: ['--secure-port', '7443'], want: { securePort: 7443 } },
    { name: 'same value under both names', argv: ['--secure-port', '7443', '--port', '7443'], want: { securePort: 7443 } },
    { name: 'relative dirs resolve against the working directory', argv: ['--data-dir', 'T/data', '--certs-dir', '../c'],
      want: { dataDir: '/home/user/cluster/T/data', certsDir: '/home/user/c' } },
    { name: 'absolute paths are kept', argv: ['--kubeconfig', '/tmp/admin.kubeconfig', '--token-auth-file', '/etc/tokens.csv'],
      want: { kubeconfigPath: '/tmp/admin.kubeconfig', tokenAuthFile: '/etc/tokens.csv' } },
    { name: '--bind-address accepts IPv4 and IPv6', argv: ['--bind-address', '::1'], want: { bindAddress: '::1' } },
    { name: '--advertise-address', argv: ['--advertise-address', '10.0.0.5'], want: { advertiseAddress: '10.0.0.5' } },
    { name: '--service-cluster-ip-range', argv: ['--service-cluster-ip-range', '10.0.0.0/24'], want: { serviceClusterIPRange: '10.0.0.0/24' } },
    { name: '--compaction-interval takes a Go duration', argv: ['--compaction-interval', '1m30s'], want: { compactionIntervalMs: 90_000 } },
    { name: '--compaction-interval 0 disables compaction', argv: ['--compaction-interval=0'], want: { compactionIntervalMs: 0 } },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const got = run(c.argv);
      for (const [k, v] of Object.entries(c.want)) assert.deepEqual(got[k as keyof ServerOptions], v, k);
    });
  }

  test('--help and -h ask for usage', () => {
    assert.deepEqual(parseCommandLine(['--help'], CWD), { kind: 'help' });
    assert.deepEqual(parseCommandLine(['-h'], CWD), { kind: 'help' });
  });

  const errors: Array<{ argv: string[]; message: string }> = [
    { argv: ['--frobnicate'], message: 'unknown flag: --frobnicate' },
    { argv: ['--frobnicate=1'], message: 'unknown flag: --frobnicate' },
    { argv: ['--port'], message: 'flag needs an argument: --port' },
    { argv: ['--port', 'abc'], message: 'invalid argument "abc" for "--port" flag: must be a port number between 0 and 65535' },
    { argv: ['--secure-port', '70000'], message: 'invalid argument "70000" for "--secure-port" flag: must be a port number between 0 and 65535' },
    { argv: ['--secure-port', '1', '--port', '2'], message: 'conflicting values for --secure-port (1) and --port (2)' },
    { argv: ['--bind-address', 'localhost'], message: 'invalid argument "localhost" for "--bind-address" flag: failed to parse IP: "localhost"' },
    { argv: ['--advertise-address', 'node-1'], message: 'invalid argument "node-1" for "--advertise-address" flag: failed to parse IP: "node-1"' },
    { argv: ['--service-cluster-ip-range', '10.96.0.0'], message: 'invalid argument "10.96.0.0" for "--service-cluster-ip-range" flag: invalid CIDR address: 10.96.0.0' },
    { argv: ['--compaction-interval', '5'], message: 'invalid argument "5" for "--compaction-interval" flag: time: missing unit in duration "5"' },
    { argv: ['serve'], message: 'unexpected argument "serve": k8ts takes flags only' },
  ];
  for (const e of errors) {
    test(`rejects ${e.argv.join(' ')}`, () => {
      assert.throws(() => parseCommandLine(e.argv, CWD), (err: unknown) => {
        assert.ok(err instanceof FlagError);
        assert.equal(err.message, e.message);
        return true;
      });
    });
  }
});

describe('parseGoDuration', () => {
  const ok: Array<[string, number]> = [
    ['5m', 300_000], ['1h', 3_600_000], ['1h30m', 5_400_000], ['1.5h', 5_400_000], ['300ms', 300],
    ['2s500ms', 2500], ['0', 0], ['0s', 0], ['.5s', 500], ['1500us', 2], ['1000000ns', 1],
  ];
  for (const [input, ms] of ok) test(`${input} = ${ms} ms`, () => assert.equal(parseGoDuration(input), ms));

  const bad: Array<[string, RegExp]> = [['', /invalid duration/], ['5', /missing unit/], ['5x', /invalid duration/], ['m', /invalid duration/], ['-5m', /must not be negative/]];
  for (const [input, message] of bad) test(`rejects "${input}"`, () => assert.throws(() => parseGoDuration(input), message));
});
