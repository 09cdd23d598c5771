// Entry point: flags → ServerOptions → startServer, then the lines a user needs to reach the cluster.
// SIGTERM/SIGINT shut down in order and exit 0. Expected failures print one line and no stack.
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { FlagError, USAGE, parseCommandLine, type ParsedCommandLine } from './options.ts';

const log = (message: string) => process.stderr.write(`k8ts: ${message}\n`);

let parsed: ParsedCommandLine;
try {
  // Under `npm start` the script runs in the package directory; INIT_CWD is where the user typed it.
  // (Only then: a process merely started from within another npm script inherits a stale INIT_CWD.)
  const launchedByNpmStart = process.env.npm_lifecycle_event === 'start' && process.env.INIT_CWD;
  parsed = parseCommandLine(process.argv.slice(2), launchedByNpmStart ? process.env.INIT_CWD! : process.cwd());
} catch (err) {
  if (!(err instanceof FlagError)) throw err;
  log(`${err.message} (see --help)`);
  process.exit(2);
}
if (parsed.kind === 'help') {
  process.stdout.write(USAGE);
  process.exit(0);
}

let stop: (() => Promise<void>) | undefined;
let stopRequested = false;
const onSignal = (signal: NodeJS.Signals) => {
  if (stopRequested) {
    log(`received ${signal} again, exiting without a clean shutdown`);
    process.exit(1);
  }
  stopRequested = true;
  log(`received ${signal}, shutting down`);
  if (stop) void shutdown(stop);
};
process.on('SIGTERM', onSignal);
process.on('SIGINT', onSignal);

async function shutdown(close: () => Promise<void>): Promise<void> {
  try {
    await close();
    log('stopped');
    process.exit(0);
  } catch (err) {
    log(`shutdown failed: ${(err as Error).message}`);
    process.exit(1);
  }
}

// Loaded after flag parsing so --help and flag errors answer without loading the server.
// Components other than the apiserver are clients of it: they connect with the kubeconfig the
// in-process apiserver just wrote, or with --kubeconfig when this process runs no apiserver.
const { components } = parsed;
const clientComponents = components.components.filter((c) => c !== 'apiserver');
try {
  let kubeconfigPath = parsed.options.kubeconfigPath;
  let closeApiserver: (() => Promise<void>) | undefined;
  if (components.components.includes('apiserver')) {
    const { startServer } = await import('./server.ts');
    const running = await startServer({ ...parsed.options, log });
    stop = closeApiserver = running.close;
    kubeconfigPath = running.kubeconfigPath;
    process.stdout.write(
      `k8ts API server listening on ${running.url}\n` +
      'To use it with kubectl:\n\n' +
      `export KUBECONFIG=${running.kubeconfigPath}\n` +
      'kubectl get ns\n',
    );
  }
  if (clientComponents.length > 0) {
    const { startClientComponents } = await import('./components/run-components.ts');
    let started: ReturnType<typeof startClientComponents>;
    try {
      started = startClientComponents({
        components: clientComponents, kubeconfigPath, log,
        leaderElect: components.leaderElect,
        leaderElection: { leaseDurationMs: components.leaseDurationMs, renewDeadlineMs: components.renewDeadlineMs, retryPeriodMs: components.retryPeriodMs },
        kubeAPI: { qps: components.kubeAPIQPS, burst: components.kubeAPIBurst },
        controllerFlags: {
          nodeMonitorGracePeriodMs: components.nodeMonitorGracePeriodMs, terminatedPodGCThreshold: components.terminatedPodGCThreshold,
          allocateNodeCIDRs: components.allocateNodeCIDRs, clusterCIDR: components.clusterCIDR, nodeCIDRMaskSize: components.nodeCIDRMaskSize,
          localPathRoot: join(parsed.options.dataDir, 'local-path'),
        },
        simulatedNodes: { count: components.simulatedNodes, capacity: components.simulatedNodeCapacity, qps: components.simulatedKubeletAPIQPS },
        kubelet: { flags: components.kubelet, dataDir: parsed.options.dataDir, required: components.kubeletRequired },
      });
    } catch (err) {
      await closeApiserver?.();
      throw Object.assign(new Error(`cannot start ${clientComponents.join(', ')} with kubeconfig ${kubeconfigPath}: ${(err as Error).message}`), { name: 'StartupError' });
    }
    stop = async () => {
      await started.stop();
      await closeApiserver?.();
    };
    log(`started ${started.names.join(', ')} (API server ${started.server})`);
    // A kubelet that was asked for by name must come up; one started by default may find no runtime.
    if (components.kubeletRequired && started.kubeletReady) {
      const k = await started.kubeletReady;
      if ('unavailable' in k) throw Object.assign(new Error(`kubelet: ${k.unavailable}`), { name: 'StartupError' });
    }
  }
  log(`ready in ${Math.round(performance.now())} ms since process start (pid ${process.pid})`);
  if (stopRequested) await shutdown(stop!);
} catch (err) {
  if ((err as Error)?.name === 'StartupError') {
    log((err as Error).message);
  } else {
    log(`start-up failed: ${(err as Error).stack ?? String(err)}`);
  }
  process.exit(1);
}
