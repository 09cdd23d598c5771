// The node IPAM range allocator's subnet set: node subnets handed out in order, taken ones skipped,
// released ones reused only after the rest, and a full set says so.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CidrSet } from '../../src/controllers/nodeipam/cidr-set.ts';

describe('CidrSet', () => {
  test('10.244.0.0/16 in /24s: next free in order, skipping subnets nodes already have', () => {
    const s = new CidrSet('10.244.0.0/16', 24);
    assert.equal(s.occupy('10.244.1.0/24'), true);
    assert.equal(s.allocateNext(), '10.244.0.0/24');
    assert.equal(s.allocateNext(), '10.244.2.0/24');
  });
  test('a released subnet is handed out again only after the ones not used yet', () => {
    const s = new CidrSet('10.0.0.0/29', 30);
    assert.equal(s.allocateNext(), '10.0.0.0/30');
    assert.equal(s.allocateNext(), '10.0.0.4/30');
    assert.equal(s.allocateNext(), undefined);
    s.release('10.0.0.0/30');
    assert.equal(s.allocateNext(), '10.0.0.0/30');
  });
  test('subnets outside the cluster CIDR or of another size are not its own', () => {
    const s = new CidrSet('10.244.0.0/16', 24);
    assert.equal(s.occupy('10.245.0.0/24'), false);
    assert.equal(s.occupy('10.244.0.0/25'), false);
    assert.equal(s.occupy('10.244.0.128/24'), false);
  });
  test('bad flags are refused with the flag named', () => {
    assert.throws(() => new CidrSet('nope', 24), /invalid --cluster-cidr "nope"/);
    assert.throws(() => new CidrSet('10.244.0.0/16', 8), /--node-cidr-mask-size 8 must be between/);
  });
});
