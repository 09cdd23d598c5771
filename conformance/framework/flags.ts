// `npm run conformance -- [flags]`: the command line, parsed into typed options.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

export interface RunOptions {
  kubeconfig: string;
  kubectl: string;
  focus?: RegExp;
  jsonPath: string;
  list: boolean;
}

export const USAGE = `Usage: npm run conformance -- --kubeconfig FILE [flags]

Runs behaviour scenarios named after upstream Kubernetes [Conformance] tests against the cluster in
the kubeconfig (k8ts or any real cluster), prints a PASS/FAIL/SKIP table and writes a JSON report.
Each scenario works in a fresh namespace (conformance-<random>) and removes what it created.

Flags:
  --kubeconfig FILE   kubeconfig of the cluster under test (default: $KUBECONFIG)
  --kubectl BIN       kubectl binary (default: kubectl on PATH)
  --focus REGEX       run only scenarios whose name or upstream test name matches
  --json FILE         where to write the JSON report (default: ./conformance-report.json)
  --list              print the scenarios and exit
  -h, --help          this text

Exit status: 0 when no scenario failed, 1 when one did, 2 on a bad command line.
`;

export class FlagError extends Error {
  override name = 'FlagError';
}

export function parseRunFlags(argv: string[], env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): RunOptions | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        kubeconfig: { type: 'string' },
        kubectl: { type: 'string' },
        focus: { type: 'string' },
        json: { type: 'string' },
        list: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new FlagError((err as Error).message);
  }
  if (values.help) return 'help';
  const list = values.list ?? false;
  let kubeconfig = values.kubeconfig ?? env.KUBECONFIG ?? '';
  if (!kubeconfig && !list) throw new FlagError('--kubeconfig FILE is required (or set KUBECONFIG)');
  if (kubeconfig.includes(':') && !values.kubeconfig && !/^[A-Za-z]:\\/.test(kubeconfig)) {
    throw new FlagError('KUBECONFIG lists several files; pass the one to test with --kubeconfig FILE');
  }
  let focus: RegExp | undefined;
  if (values.focus !== undefined) {
    try {
      focus = new RegExp(values.focus);
    } catch (err) {
      throw new FlagError(`--focus: ${(err as Error).message}`);
    }
  }
  if (kubeconfig) kubeconfig = resolve(cwd, kubeconfig);
  return {
    kubeconfig,
    kubectl: values.kubectl ?? 'kubectl',
    focus,
    jsonPath: resolve(cwd, values.json ?? 'conformance-report.json'),
    list,
  };
}
