// The printed table (one row per scenario as it finishes, then totals and a count per SIG) and the
// JSON report.
import { sigOf } from './scenario.ts';
import type { ScenarioResult } from './runner.ts';

export interface Report {
  serverVersion: string;
  kubectlVersion: string;
  server: string;
  started: string;
  durationMs: number;
  totals: { pass: number; fail: number; skip: number; total: number };
  scenarios: ScenarioResult[];
}

const REASON_WIDTH = 160;

function oneLine(s: string): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > REASON_WIDTH ? `${flat.slice(0, REASON_WIDTH - 1)}…` : flat;
}

export function formatRow(r: ScenarioResult): string {
  const time = `${(r.durationMs / 1000).toFixed(2)}s`.padStart(7);
  const row = `${r.status.padEnd(4)} ${time}  ${r.upstream}`;
  return r.error ? `${row}\n              ${r.status === 'SKIP' ? 'skipped' : 'reason'}: ${oneLine(r.error)}` : row;
}

export function tableHeader(): string {
  return `${'STATUS'.padEnd(4)}    TIME  UPSTREAM TEST`;
}

export function totalsOf(results: ScenarioResult[]): Report['totals'] {
  const count = (s: string) => results.filter((r) => r.status === s).length;
  return { pass: count('PASS'), fail: count('FAIL'), skip: count('SKIP'), total: results.length };
}

export function formatTotals(results: ScenarioResult[], durationMs: number): string {
  const t = totalsOf(results);
  const bySig = new Map<string, { pass: number; total: number }>();
  for (const r of results) {
    const sig = sigOf(r.upstream);
    const entry = bySig.get(sig) ?? { pass: 0, total: 0 };
    entry.total++;
    if (r.status === 'PASS') entry.pass++;
    bySig.set(sig, entry);
  }
  const sigs = [...bySig].sort(([a], [b]) => a.localeCompare(b)).map(([sig, c]) => `${sig} ${c.pass}/${c.total}`).join(', ');
  return [
    `${t.pass} passed, ${t.fail} failed, ${t.skip} skipped (${t.total} scenarios) in ${(durationMs / 1000).toFixed(1)}s`,
    `passed per SIG: ${sigs}`,
  ].join('\n');
}
