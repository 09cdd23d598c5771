// Where volume set-up reads API objects: ConfigMaps, Secrets, claims and volumes, and
// ServiceAccount tokens. The default reads through a KubeClient; the kubelet may pass informer-backed
// getters instead, and unit tests an in-memory source.
import type { V1ServiceAccountTokenProjection } from '@kubernetes/client-node';
import type { KObject } from '../../apimachinery/types.ts';
import { isNotFound, ApiError } from '../../client/api-error.ts';
import { realClock, type Clock } from '../../client/clock.ts';
import type { KubeClient } from '../../client/kube-client.ts';
import { GVR } from '../../client/resources.ts';
import type { ConfigMapData, SecretData } from '../env/environment.ts';

export interface VolumeObjectSource {
  /** undefined when not found. */
  getConfigMap(namespace: string, name: string): Promise<ConfigMapData | undefined>;
  getSecret(namespace: string, name: string): Promise<SecretData | undefined>;
  /** Rejects with the API's error (its message is shown in events). */
  getPersistentVolumeClaim(namespace: string, name: string): Promise<KObject>;
  getPersistentVolume(name: string): Promise<KObject>;
  /** The token a projected serviceAccountToken source writes. */
  serviceAccountToken(pod: KObject, source: V1ServiceAccountTokenProjection): Promise<string>;
  /** Drops what is cached for a pod that is gone (its tokens). */
  forgetPod?(podUID: string): void;
}

const SA_NAME_ANNOTATION = 'kubernetes.io/service-account.name';
const SA_TOKEN_TYPE = 'kubernetes.io/service-account-token';
/** How long a token read from a Secret (or the placeholder) is reused before looking again. */
const FALLBACK_TOKEN_TTL_MS = 60_000;

/**
 * Names the stand-in written when the cluster can mint no token: the API server serves no
 * TokenRequest (serviceaccounts/token) yet and the ServiceAccount has no token Secret.
 */
export function placeholderToken(namespace: string, serviceAccount: string): string {
  return `k8ts-placeholder-token:no-TokenRequest-API:${namespace}/${serviceAccount}`;
}

async function orUndefined<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** The TokenRequest subresource is not served (not found for an existing SA, or method not allowed). */
function tokenRequestUnavailable(err: unknown): boolean {
  return err instanceof ApiError && [404, 405, 501].includes(err.code);
}

export function clientObjectSource(client: KubeClient, opts: { clock?: Clock; log?: (m: string) => void } = {}): VolumeObjectSource {
  const clock = opts.clock ?? realClock;
  const log = opts.log ?? (() => {});
  const tokens = new Map<string, { token: string; refreshAt: number }>();
  const warned = new Set<string>();

  async function fetchToken(pod: KObject, source: V1ServiceAccountTokenProjection): Promise<{ token: string; ttlMs: number }> {
    const ns = pod.metadata.namespace ?? '';
    const sa = (pod.spec as { serviceAccountName?: string } | undefined)?.serviceAccountName || 'default';
    const sas = client.resource(GVR.serviceaccounts).namespace(ns);
    try {
      await sas.get(sa);
    } catch (err) {
      throw new Error(`failed to fetch token: ${(err as Error).message}`);
    }
    const expirationSeconds = source.expirationSeconds ?? 3600;
    try {
      const tr = await sas.createSubresource<{ status?: { token?: string } }>(sa, 'token', {
        apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest',
        spec: {
          audiences: source.audience ? [source.audience] : [], expirationSeconds,
          boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name, uid: pod.metadata.uid },
        },
      });
      if (tr.status?.token) return { token: tr.status.token, ttlMs: expirationSeconds * 800 };
    } catch (err) {
      if (!tokenRequestUnavailable(err)) throw new Error(`failed to fetch token: ${(err as Error).message}`);
    }
    // No TokenRequest API: the legacy token Secret of the ServiceAccount, if it has one.
    const secrets = await client.resource(GVR.secrets).namespace(ns).list();
    const secret = secrets.items.find((s) => s.type === SA_TOKEN_TYPE && s.metadata.annotations?.[SA_NAME_ANNOTATION] === sa
      && typeof (s.data as Record<string, string> | undefined)?.token === 'string');
    if (secret) return { token: Buffer.from((secret.data as Record<string, string>).token!, 'base64').toString('utf8'), ttlMs: FALLBACK_TOKEN_TTL_MS };
    const key = `${ns}/${sa}`;
    if (!warned.has(key)) {
      warned.add(key);
      log(`serviceAccountToken for ServiceAccount ${key}: the API server has no TokenRequest API and no token Secret exists; writing a placeholder token`);
    }
    return { token: placeholderToken(ns, sa), ttlMs: FALLBACK_TOKEN_TTL_MS };
  }

  return {
    getConfigMap: (ns, name) => orUndefined(client.resource(GVR.configmaps).namespace(ns).get(name)) as Promise<ConfigMapData | undefined>,
    getSecret: (ns, name) => orUndefined(client.resource(GVR.secrets).namespace(ns).get(name)) as Promise<SecretData | undefined>,
    getPersistentVolumeClaim: (ns, name) => client.resource(GVR.persistentvolumeclaims).namespace(ns).get(name),
    getPersistentVolume: (name) => client.resource(GVR.persistentvolumes).get(name),
    async serviceAccountToken(pod, source) {
      const key = `${pod.metadata.uid}|${source.audience ?? ''}|${source.expirationSeconds ?? ''}`;
      const cached = tokens.get(key);
      if (cached && clock.now() < cached.refreshAt) return cached.token;
      const { token, ttlMs } = await fetchToken(pod, source);
      tokens.set(key, { token, refreshAt: clock.now() + ttlMs });
      return token;
    },
    forgetPod(podUID) {
      for (const key of tokens.keys()) if (key.startsWith(`${podUID}|`)) tokens.delete(key);
    },
  };
}
