// The real server, in-process, on a free port with its own temp data and certs dirs: real LevelDB,
// real HTTPS, the kubeconfig a user would get. restart() keeps the dirs (and, when free, the port) to
// show that state survives.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultServerOptions, type ServerOptions } from '../../src/options.ts';
import { startServer } from '../../src/server.ts';
import { rawRequester, type RawRequester } from './raw-request.ts';

export interface TestServer {
  readonly url: string;
  readonly port: number;
  readonly kubeconfigPath: string;
  readonly dataDir: string;
  readonly certsDir: string;
  readonly options: ServerOptions;
  /** Raw HTTPS with the admin client certificate (see raw-request.ts). */
  request: RawRequester;
  close(): Promise<void>;
  /** Stop and start again on the same data and certs (same port when it is still free). */
  restart(): Promise<void>;
}

export interface TestServerOptions {
  /** Static tokens written to a token auth file: `token,user,uid,"group1,group2"` lines. */
  tokens?: { token: string; user: string; uid?: string; groups?: string[] }[];
  /** Other ServerOptions overrides. */
  overrides?: Partial<ServerOptions>;
}

type Running = Awaited<ReturnType<typeof startServer>>;

export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const root = await mkdtemp(join(tmpdir(), 'k8ts-test-'));
  const options: ServerOptions = {
    ...defaultServerOptions(root),
    bindAddress: '127.0.0.1',
    securePort: 0,
    dataDir: join(root, 'data'),
    certsDir: join(root, 'certs'),
    kubeconfigPath: join(root, 'kubeconfig', 'admin.kubeconfig'),
    compactionIntervalMs: 0,
    // Keep test output readable; a failing test prints what it saw itself.
    log: process.env.K8TS_TEST_LOG ? (m: string) => process.stderr.write(`k8ts: ${m}\n`) : () => {},
    ...opts.overrides,
  };
  if (opts.tokens) {
    const file = join(root, 'tokens.csv');
    await writeFile(file, opts.tokens.map((t) => `${t.token},${t.user},${t.uid ?? t.user},"${(t.groups ?? []).join(',')}"`).join('\n') + '\n');
    options.tokenAuthFile = file;
  }

  let running: Running | undefined = await startServer(options);
  let closed = false;
  const server: TestServer = {
    get url() {
      return running!.url;
    },
    get port() {
      return running!.port;
    },
    get kubeconfigPath() {
      return running!.kubeconfigPath;
    },
    dataDir: options.dataDir,
    certsDir: options.certsDir,
    options,
    request: (method, path, ro) => rawRequester(running!.kubeconfigPath)(method, path, ro),
    async close() {
      if (closed) return;
      closed = true;
      await running?.close();
      running = undefined;
      await rm(root, { recursive: true, force: true });
    },
    async restart() {
      const port = running!.port;
      await running!.close();
      running = undefined;
      try {
        running = await startServer({ ...options, securePort: port });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
        running = await startServer({ ...options, securePort: 0 });
      }
    },
  };
  return server;
}
