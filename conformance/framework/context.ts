// What a scenario gets: its own fresh namespace, clients built from the kubeconfig alone, kubectl, raw
// HTTP, watches, and deferred clean-up. Nothing here knows which server is on the other end.
import { randomBytes } from 'node:crypto';
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import type { KubectlRunner } from './kubectl.ts';
import type { RawRequester } from './raw.ts';
import { openWatch, type EventStream } from './watch.ts';
import { describeError } from './errors.ts';
import { poll } from './poll.ts';

type ApiConstructor<T> = new (...args: any[]) => T;

export interface ClusterTraits {
  /** The cluster runs a ServiceAccount controller (there is a "default" SA in "default"): pods need it. */
  createsDefaultServiceAccount: boolean;
}

export interface ScenarioContext {
  /** A namespace created for this scenario (conformance-<random>), deleted afterwards. */
  readonly namespace: string;
  readonly kc: KubeConfig;
  /** A typed client-node API (CoreV1Api, AppsV1Api, …), cached per scenario. */
  api<T>(ctor: ApiConstructor<T>): T;
  kubectl: KubectlRunner;
  raw: RawRequester;
  /** Opens a watch; it is stopped when the scenario ends. */
  watch(path: string, query?: Record<string, string | number | boolean | undefined>): Promise<EventStream>;
  /** Another fresh namespace (for cross-namespace checks), deleted afterwards. */
  createNamespace(prefix?: string): Promise<string>;
  /** Runs at the end, last registered first, whether the scenario passed or not. */
  defer(fn: () => unknown): void;
  /** `prefix-<8 hex>`. */
  uniqueName(prefix: string): string;
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

export interface ContextDeps {
  kc: KubeConfig;
  kubectl: KubectlRunner;
  raw: RawRequester;
  traits: ClusterTraits;
}

export interface OwnedContext extends ScenarioContext {
  /** Runs deferred clean-ups and deletes the namespaces; never throws. Returns clean-up errors. */
  close(): Promise<string[]>;
}

export async function createContext(deps: ContextDeps): Promise<OwnedContext> {
  const apis = new Map<unknown, unknown>();
  const cleanups: (() => unknown)[] = [];
  const core = deps.kc.makeApiClient(CoreV1Api);

  const createNamespace = async (prefix = 'conformance'): Promise<string> => {
    const name = uniqueName(prefix);
    await core.createNamespace({ body: { metadata: { name } } });
    cleanups.push(async () => {
      try {
        await core.deleteNamespace({ name });
      } catch (err) {
        // Already gone is fine; anything else is reported.
        if ((err as { code?: number }).code !== 404) throw err;
      }
    });
    if (deps.traits.createsDefaultServiceAccount) {
      // Pod creation is refused until the ServiceAccount controller has made "default" (as the e2e
      // framework waits for it too).
      await poll(async () => {
        try {
          await core.readNamespacedServiceAccount({ name: 'default', namespace: name });
          return true;
        } catch {
          return false;
        }
      }, { timeoutMs: 30_000, what: `ServiceAccount default in ${name}` });
    }
    return name;
  };

  const namespace = await createNamespace();
  const ctx: OwnedContext = {
    namespace,
    kc: deps.kc,
    api<T>(ctor: ApiConstructor<T>): T {
      let api = apis.get(ctor) as T | undefined;
      if (!api) {
        api = deps.kc.makeApiClient(ctor as any) as T;
        apis.set(ctor, api);
      }
      return api;
    },
    kubectl: deps.kubectl,
    raw: deps.raw,
    async watch(path, query) {
      const w = await openWatch(deps.kc, path, query);
      cleanups.push(() => w.stop());
      return w;
    },
    createNamespace,
    defer: (fn) => cleanups.push(fn),
    uniqueName,
    async close() {
      const errors: string[] = [];
      for (const fn of cleanups.reverse()) {
        try {
          await fn();
        } catch (err) {
          errors.push(describeError(err));
        }
      }
      return errors;
    },
  };
  return ctx;
}
