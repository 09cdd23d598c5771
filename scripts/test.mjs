#!/usr/bin/env node
// `npm test`: runs every test/**/*.test.ts with Node's built-in runner. Node 20 cannot glob for
// --test, so files are listed here. The spec reporter goes to stdout for people; a TAP copy goes to a
// temp file so the closing counts can be printed even when stdout is a pipe, and the very last line is
// a plain "N passed, N failed, N skipped" that CI parses.
//
// Usage: node scripts/test.mjs [filter…] [-- node-test-flags…]
//   filters are substrings of file paths (e.g. `npm test -- kubectl-basics`); arguments starting with
//   "-" are passed to `node --test` (e.g. `--test-name-pattern=apply`).
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));

function findTests(dir) {
  let out = [];
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries.sort()) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out = out.concat(findTests(full));
    else if (name.endsWith('.test.ts')) out.push(full);
  }
  return out;
}

const args = process.argv.slice(2).filter((a) => a !== '--');
const filters = args.filter((a) => !a.startsWith('-'));
const nodeFlags = args.filter((a) => a.startsWith('-'));

let files = findTests(join(root, 'test')).map((f) => relative(root, f));
if (filters.length > 0) files = files.filter((f) => filters.some((p) => f.includes(p)));
if (files.length === 0) {
  console.error(`no test files found${filters.length ? ` matching ${filters.join(', ')}` : ''}`);
  console.log('0 passed, 0 failed');
  process.exit(1);
}

const tapDir = mkdtempSync(join(tmpdir(), 'k8ts-test-'));
const tapFile = join(tapDir, 'report.tap');
const given = (flag) => nodeFlags.some((f) => f.startsWith(flag));
const runnerArgs = [
  '--import', 'tsx',
  '--test',
  ...(given('--test-concurrency') ? [] : ['--test-concurrency=2']),
  // Safety net so a hung test (a watch that never ends) cannot stall CI; it also bounds suites, hence
  // generous. Test files set tighter per-test timeouts themselves.
  ...(given('--test-timeout') ? [] : ['--test-timeout=900000']),
  '--test-reporter=spec', '--test-reporter-destination=stdout',
  '--test-reporter=tap', `--test-reporter-destination=${tapFile}`,
  ...nodeFlags,
  ...files,
];

const child = spawn(process.execPath, runnerArgs, { cwd: root, stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));

child.on('exit', (code, signal) => {
  let tap = '';
  try {
    tap = readFileSync(tapFile, 'utf8');
  } catch {
    // runner died before writing anything
  }
  rmSync(tapDir, { recursive: true, force: true });
  // The runner's closing block: "# tests N", "# suites N", "# pass N", "# fail N", "# cancelled N", …
  const summary = {};
  const lines = [];
  for (const line of tap.split('\n')) {
    const m = /^# (tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) (\S+)$/.exec(line);
    if (m) {
      summary[m[1]] = Number(m[2]);
      lines.push(line);
    }
  }
  console.log('');
  for (const line of lines) console.log(line);
  const passed = summary.pass ?? 0;
  const failed = (summary.fail ?? 0) + (summary.cancelled ?? 0);
  const skipped = (summary.skipped ?? 0) + (summary.todo ?? 0);
  const exitCode = code ?? (signal ? 1 : 0);
  // A crash before any summary is a failure even though no test reported one.
  const failedShown = lines.length === 0 && exitCode !== 0 ? Math.max(failed, 1) : failed;
  console.log(`${passed} passed, ${failedShown} failed${skipped ? `, ${skipped} skipped` : ''}`);
  process.exit(exitCode);
});
