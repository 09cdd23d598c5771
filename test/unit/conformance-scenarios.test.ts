// The conformance runner's own contract: scenario names are unique and carry upstream test names
// exactly as the conformance list spells them; the command line parses as documented.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { FlagError, parseRunFlags } from '../../conformance/framework/flags.ts';
import { allScenarios } from '../../conformance/scenarios/index.ts';

/** The v1.26 conformance list kept next to the repository (see the shared conformance README). */
const UPSTREAM_LIST = fileURLToPath(new URL('../../../shared/conformance/conformance-v1.26.yaml', import.meta.url));

// A test promoted again lists every release ("v1.16, v1.21"); the first is when it joined.
const minor = (release: string) => Number(/^v1\.(\d+)(?:, v1\.\d+)*$/.exec(release)?.[1] ?? NaN);

test('scenario names are unique and every upstream name is a [Conformance] test of a SIG', () => {
  const scenarios = allScenarios();
  assert.equal(new Set(scenarios.map((s) => s.name)).size, scenarios.length);
  for (const s of scenarios) {
    assert.match(s.upstream.codename, /^\[sig-[a-z-]+\] .+ \[Conformance\]$/, s.name);
    assert.match(s.upstream.file, /^test\/e2e\/.+\.go$/, s.name);
    assert.ok(minor(s.upstream.release) >= 9, `${s.name}: release ${s.upstream.release}`);
  }
});

test('scenarios up to v1.26 match the upstream v1.26 list exactly (codename, testname, release, file)', { skip: existsSync(UPSTREAM_LIST) ? false : `no upstream list at ${UPSTREAM_LIST}` }, () => {
  const list = parse(readFileSync(UPSTREAM_LIST, 'utf8')) as { codename: string; testname: string; release: string; file: string }[];
  const byCodename = new Map(list.map((t) => [t.codename, t]));
  for (const s of allScenarios()) {
    const entry = byCodename.get(s.upstream.codename);
    if (minor(s.upstream.release) > 26) {
      assert.equal(entry, undefined, `${s.name} claims a release after v1.26 but is in the v1.26 list`);
      continue;
    }
    assert.ok(entry, `${s.upstream.codename} is not in the v1.26 conformance list`);
    assert.deepEqual({ testname: s.upstream.testname, release: s.upstream.release, file: s.upstream.file }, { testname: entry.testname, release: entry.release, file: entry.file }, s.name);
  }
});

test('flags: --kubeconfig (or KUBECONFIG) is required; paths resolve from the working directory', () => {
  assert.throws(() => parseRunFlags([], {}, '/home/user'), FlagError);
  const opts = parseRunFlags(['--kubeconfig', 'k/admin.kubeconfig', '--focus', 'Watchers', '--json', 'out.json'], {}, '/home/user');
  assert.ok(opts !== 'help');
  assert.equal(opts.kubeconfig, '/home/user/k/admin.kubeconfig');
  assert.equal(opts.jsonPath, '/home/user/out.json');
  assert.equal(opts.kubectl, 'kubectl');
  assert.ok(opts.focus?.test('[sig-api-machinery] Watchers should …'));
  const fromEnv = parseRunFlags([], { KUBECONFIG: '/etc/kube/config' }, '/home/user');
  assert.ok(fromEnv !== 'help');
  assert.equal(fromEnv.kubeconfig, '/etc/kube/config');
  assert.equal(fromEnv.jsonPath, '/home/user/conformance-report.json');
  assert.throws(() => parseRunFlags([], { KUBECONFIG: '/a:/b' }, '/home/user'), /several files/);
  assert.throws(() => parseRunFlags(['--focus', '('], {}, '/home/user'), FlagError);
  assert.throws(() => parseRunFlags(['--nope'], {}, '/home/user'), FlagError);
  assert.equal(parseRunFlags(['--help'], {}, '/home/user'), 'help');
  const list = parseRunFlags(['--list'], {}, '/work');
  assert.ok(list !== 'help' && list.list);
});
