// Small helpers the e2e suite has too (retry.RetryOnConflict, list-then-watch).
import { ApiException } from '@kubernetes/client-node';

/** retry.RetryOnConflict with DefaultRetry's five attempts: re-run fn while the server answers 409. */
export async function retryOnConflict<T>(fn: () => Promise<T>, attempts = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof ApiException && err.code === 409) || i >= attempts) throw err;
      await new Promise((r) => setTimeout(r, 10 * i));
    }
  }
}

/** Label selector string from a map (labels.SelectorFromSet(...).String()). */
export function selectorOf(labels: Record<string, string>): string {
  return Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** JSON with sorted keys, dates as RFC 3339 and undefined dropped: two objects print alike iff equal. */
export function canonicalJSON(value: unknown): string {
  const norm = (v: unknown): unknown => {
    if (v instanceof Date) return v.toISOString();
    if (Array.isArray(v)) return v.map(norm);
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) {
        const x = (v as Record<string, unknown>)[k];
        if (x !== undefined) out[k] = norm(x);
      }
      return out;
    }
    return v;
  };
  return JSON.stringify(norm(value));
}
