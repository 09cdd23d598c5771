// Deployment revisions are int64 (strconv.ParseInt(v, 10, 64) upstream): a revision above 2^53 must
// still order, increment and compare exactly, as upstream's RollingUpdateDeployment conformance test
// checks by adopting a ReplicaSet at revision 3546343826724305832.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Deployment, ReplicaSet } from '../../src/controllers/deployment/types.ts';
import { lastRevision, maxRevision, parseRevision, setNewReplicaSetAnnotations } from '../../src/controllers/deployment/util/annotations.ts';
import { byRevision } from '../../src/controllers/deployment/util/replica-sets.ts';

const BIG = '3546343826724305832';

function rs(name: string, revision?: string, created = '2025-01-01T12:00:00Z'): ReplicaSet {
  return {
    metadata: { name, uid: name, creationTimestamp: created, annotations: revision === undefined ? undefined : { 'deployment.kubernetes.io/revision': revision } },
    spec: { replicas: 0 },
  };
}

test('maxRevision + 1 past 2^53 is exact, and unparseable or out-of-int64 revisions count as 0', () => {
  const max = maxRevision([rs('a', '7'), rs('b', BIG), rs('c', 'x'), rs('d')]);
  assert.equal(String(max + 1n), '3546343826724305833');
  assert.equal(maxRevision([rs('a', '9223372036854775808'), rs('b', '2')]), 2n, 'above int64 max is a parse error');
  assert.equal(parseRevision('9223372036854775807'), 9223372036854775807n);
  assert.equal(parseRevision('1.5'), undefined);
});

test('lastRevision and byRevision tell apart revisions that are equal as JS numbers', () => {
  const lo = rs('lo', '3546343826724305832', '2025-01-01T12:00:05Z');
  const hi = rs('hi', '3546343826724305833', '2025-01-01T12:00:00Z');
  assert.equal(Number(lo.metadata.annotations!['deployment.kubernetes.io/revision']), Number(hi.metadata.annotations!['deployment.kubernetes.io/revision']));
  assert.equal(lastRevision([hi, lo]), 3546343826724305832n);
  assert.deepEqual([hi, lo].sort(byRevision).map((r) => r.metadata.name), ['lo', 'hi']);
});

test('setNewReplicaSetAnnotations raises a big revision by one and keeps the old one in history', () => {
  const d: Deployment = { metadata: { name: 'web' }, spec: { replicas: 1, template: { spec: { containers: [{ name: 'c', image: 'i' }] } } } };
  const adopted = rs('old', BIG);
  assert.equal(setNewReplicaSetAnnotations(d, adopted, '3546343826724305833', true), true);
  assert.equal(adopted.metadata.annotations!['deployment.kubernetes.io/revision'], '3546343826724305833');
  assert.equal(adopted.metadata.annotations!['deployment.kubernetes.io/revision-history'], BIG);
  // The same revision again (equal as JS numbers, not as int64) is no change.
  assert.equal(setNewReplicaSetAnnotations(d, adopted, '3546343826724305833', true), false);
});
