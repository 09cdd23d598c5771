// /healthz, /livez, /readyz with ?verbose and per-check paths, in kube-apiserver's text format.
import type { Request, Response } from 'express';

export type HealthCheck = { name: string; check: () => boolean };

export function healthHandler(kind: 'healthz' | 'livez' | 'readyz', checks: HealthCheck[]) {
  return (req: Request, res: Response): void => {
    const sub = req.path.split('/').filter(Boolean)[1];
    const selected = sub ? checks.filter((c) => c.name === sub) : checks;
    if (sub && selected.length === 0) { res.status(404).type('text/plain').end('404 page not found\n'); return; }
    const results = selected.map((c) => ({ name: c.name, ok: safe(c.check) }));
    const ok = results.every((r) => r.ok);
    res.status(ok ? 200 : 500).setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (sub) { res.end(ok ? 'ok' : 'internal server error'); return; }
    if ('verbose' in req.query || !ok) {
      const lines = results.map((r) => `[${r.ok ? '+' : '-'}]${r.name} ${r.ok ? 'ok' : 'failed: reason withheld'}`);
      lines.push(ok ? `${kind} check passed` : `${kind} check failed`);
      res.end(lines.join('\n') + '\n');
      return;
    }
    res.end('ok');
  };
}

function safe(f: () => boolean): boolean {
  try { return f(); } catch { return false; }
}
