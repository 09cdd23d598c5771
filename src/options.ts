// Command-line flags → a typed ServerOptions. Flags are read here (and in main.ts) only; every other
// module receives plain options. Flag names follow kube-apiserver where one exists.
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

export interface ServerOptions {
  /** IP address to listen on (--bind-address). */
  bindAddress: string;
  /** HTTPS port (--secure-port / --port); 0 picks a free port. */
  securePort: number;
  /** LevelDB state directory, absolute. */
  dataDir: string;
  /** Certificate directory, absolute. */
  certsDir: string;
  /** Where the admin kubeconfig is written, absolute. */
  kubeconfigPath: string;
  /** Static token CSV (token,user,uid,"group1,group2"), absolute; undefined = no token authentication. */
  tokenAuthFile?: string;
  /** CIDR services get their cluster IPs from; its first address is the kubernetes service IP. */
  serviceClusterIPRange: string;
  /** How often storage compacts old revisions; 0 disables compaction. */
  compactionIntervalMs: number;
  /** One line per event; defaults to stderr with the `k8ts:` prefix. */
  log?: (message: string) => void;
}

export type ParsedCommandLine = { kind: 'help' } | { kind: 'run'; options: ServerOptions };

/** A bad command line: main prints the message on one line and exits 2. */
export class FlagError extends Error {
  override name = 'FlagError';
}

export const DEFAULT_SERVICE_CLUSTER_IP_RANGE = '10.96.0.0/12';

export function defaultServerOptions(cwd: string = process.cwd()): ServerOptions {
  return {
    bindAddress: '127.0.0.1',
    securePort: 6443,
    dataDir: resolve(cwd, 'data'),
    certsDir: resolve(cwd, 'certs'),
    kubeconfigPath: resolve(cwd, 'kubeconfig', 'admin.kubeconfig'),
    serviceClusterIPRange: DEFAULT_SERVICE_CLUSTER_IP_RANGE,
    compactionIntervalMs: 5 * 60_000,
  };
}

export const USAGE = `Usage: npm start -- [flags]   (or: node --import tsx src/main.ts [flags])

A Kubernetes-compatible API server.

Flags:
      --bind-address ip                    The IP address on which to listen for the --secure-port port. (default 127.0.0.1)
      --certs-dir string                   Directory for the cluster CA, serving and admin certificates. (default ./certs)
      --compaction-interval duration       The interval of compaction requests; 0 disables compaction. (default 5m0s)
      --data-dir string                    Directory for the LevelDB state. (default ./data)
  -h, --help                               help for k8ts
      --kubeconfig string                  Where to write the admin kubeconfig. (default ./kubeconfig/admin.kubeconfig)
      --port int                           Alias of --secure-port.
      --secure-port int                    The port on which to serve HTTPS; 0 picks a free port. (default 6443)
      --service-cluster-ip-range string    A CIDR notation IP range from which to assign service cluster IPs. (default 10.96.0.0/12)
      --token-auth-file string             If set, the file that will be used to secure the secure port of the API server via token authentication.
`;

const FLAGS = {
  'bind-address': { type: 'string' },
  'certs-dir': { type: 'string' },
  'compaction-interval': { type: 'string' },
  'data-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  kubeconfig: { type: 'string' },
  port: { type: 'string' },
  'secure-port': { type: 'string' },
  'service-cluster-ip-range': { type: 'string' },
  'token-auth-file': { type: 'string' },
} as const;

export function parseCommandLine(argv: string[], cwd: string = process.cwd()): ParsedCommandLine {
  const values = parseFlags(argv);
  if (values.help) return { kind: 'help' };

  const options = defaultServerOptions(cwd);
  const port = values['secure-port'] ?? values.port;
  if (values['secure-port'] !== undefined && values.port !== undefined && values['secure-port'] !== values.port) {
    throw new FlagError(`conflicting values for --secure-port (${values['secure-port']}) and --port (${values.port})`);
  }
  if (port !== undefined) options.securePort = parsePort(port, values['secure-port'] !== undefined ? 'secure-port' : 'port');
  if (values['bind-address'] !== undefined) {
    const addr = values['bind-address'];
    if (!isIP(addr)) throw new FlagError(`invalid argument "${addr}" for "--bind-address" flag: failed to parse IP: "${addr}"`);
    options.bindAddress = addr;
  }
  if (values['data-dir'] !== undefined) options.dataDir = resolve(cwd, nonEmpty(values['data-dir'], 'data-dir'));
  if (values['certs-dir'] !== undefined) options.certsDir = resolve(cwd, nonEmpty(values['certs-dir'], 'certs-dir'));
  if (values.kubeconfig !== undefined) options.kubeconfigPath = resolve(cwd, nonEmpty(values.kubeconfig, 'kubeconfig'));
  if (values['token-auth-file'] !== undefined) options.tokenAuthFile = resolve(cwd, nonEmpty(values['token-auth-file'], 'token-auth-file'));
  if (values['service-cluster-ip-range'] !== undefined) {
    const cidr = values['service-cluster-ip-range'];
    if (!isCIDR(cidr)) throw new FlagError(`invalid argument "${cidr}" for "--service-cluster-ip-range" flag: invalid CIDR address: ${cidr}`);
    options.serviceClusterIPRange = cidr;
  }
  if (values['compaction-interval'] !== undefined) {
    const d = values['compaction-interval'];
    try {
      options.compactionIntervalMs = parseGoDuration(d);
    } catch (err) {
      throw new FlagError(`invalid argument "${d}" for "--compaction-interval" flag: ${(err as Error).message}`);
    }
  }
  return { kind: 'run', options };
}

function parseFlags(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: FLAGS, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw translateParseArgsError(err, argv);
  }
}

// parseArgs' messages name the option in its own words; we answer in pflag's, which users of
// kube-apiserver recognise.
function translateParseArgsError(err: unknown, argv: string[]): FlagError {
  const e = err as { code?: string; message?: string };
  const quoted = /'([^']*)'/.exec(e.message ?? '')?.[1] ?? '';
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return new FlagError(`unknown flag: ${quoted.split('=')[0] || argv.join(' ')}`);
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return new FlagError(`flag needs an argument: ${quoted.split(' ')[0]}`);
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return new FlagError(`unexpected argument "${quoted}": k8ts takes flags only`);
    default:
      return new FlagError(e.message ?? String(err));
  }
}

function parsePort(value: string, flag: string): number {
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new FlagError(`invalid argument "${value}" for "--${flag}" flag: must be a port number between 0 and 65535`);
  }
  return n;
}

function nonEmpty(value: string, flag: string): string {
  if (value === '') throw new FlagError(`invalid argument "" for "--${flag}" flag: must not be empty`);
  return value;
}

export function isCIDR(value: string): boolean {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(value);
  if (!m) return false;
  const family = isIP(m[1]!);
  const bits = Number(m[2]);
  return family !== 0 && bits <= (family === 4 ? 32 : 128);
}

const DURATION_UNITS_MS: Record<string, number> = {
  ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000,
};

/** Go's time.ParseDuration ("5m", "1h30m", "1.5s", "0"), in milliseconds. */
export function parseGoDuration(value: string): number {
  let s = value;
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') throw new Error(`time: invalid duration "${value}"`);
  let total = 0;
  const re = /^(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/;
  while (s !== '') {
    const m = re.exec(s);
    if (!m) {
      if (/^(\d+(?:\.\d*)?|\.\d+)$/.test(s)) throw new Error(`time: missing unit in duration "${value}"`);
      throw new Error(`time: invalid duration "${value}"`);
    }
    total += Number(m[1]) * DURATION_UNITS_MS[m[2]!]!;
    s = s.slice(m[0].length);
  }
  if (sign < 0) throw new Error(`time: invalid duration "${value}": must not be negative`);
  return Math.round(total);
}
