import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorMessage, isStatusError } from '../../src/apimachinery/errors.ts';
import type { KObject } from '../../src/apimachinery/types.ts';
import { configMapResource } from '../../src/registry/core/configmap.ts';
import { secretResource } from '../../src/registry/core/secret.ts';
import type { RequestContext } from '../../src/registry/types.ts';

const ctx: RequestContext = { namespace: 'default', dryRun: false, now: () => new Date('2024-01-01T00:00:00Z') };
const now = new Date('2024-01-01T00:00:05Z');
const meta = (name: string) => ({ name, namespace: 'default', creationTimestamp: '2024-01-01T00:00:00Z' });

test('configmap keys are validated with upstream messages', () => {
  const cm: KObject = { metadata: meta('c'), data: { 'good.key': 'v', 'bad key': 'v', '..': 'v' } };
  assert.deepEqual(configMapResource.strategy.validate!(cm, ctx).map(fieldErrorMessage), [
    `data[bad key]: Invalid value: "bad key": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
    `data[..]: Invalid value: "..": must not be '..'`,
  ]);
});

test('configmaps over 1 MiB are rejected as a whole', () => {
  const cm: KObject = { metadata: meta('c'), data: { big: 'x'.repeat(1024 * 1024 + 1) } };
  assert.deepEqual(configMapResource.strategy.validate!(cm, ctx).map(fieldErrorMessage), ['[]: Too long: must have at most 1048576 bytes']);
});

test('immutable configmaps and secrets keep their data', () => {
  const old: KObject = { metadata: meta('c'), data: { a: '1' }, immutable: true };
  const next: KObject = { metadata: meta('c'), data: { a: '2' }, immutable: true };
  assert.deepEqual(configMapResource.strategy.validateUpdate!(next, old, ctx).map(fieldErrorMessage), [
    'data: Forbidden: field is immutable when `immutable` is set',
  ]);
  const oldSecret: KObject = { metadata: meta('s'), type: 'Opaque', data: { a: 'MQ==' }, immutable: true };
  const nextSecret: KObject = { metadata: meta('s'), type: 'Opaque', data: { a: 'Mg==' }, immutable: true };
  assert.deepEqual(secretResource.strategy.validateUpdate!(nextSecret, oldSecret, ctx).map(fieldErrorMessage), [
    'data: Forbidden: field is immutable when `immutable` is set',
  ]);
});

test('secrets: type defaults to Opaque, stringData is merged into data', () => {
  const s: KObject = { metadata: meta('s'), data: { a: 'eA==' }, stringData: { a: 'hello', b: 'world' } };
  secretResource.strategy.defaults!(s);
  secretResource.strategy.prepareForCreate!(s, ctx);
  assert.equal(s.type, 'Opaque');
  assert.equal(s.stringData, undefined);
  assert.deepEqual(s.data, { a: Buffer.from('hello').toString('base64'), b: Buffer.from('world').toString('base64') });
  assert.deepEqual(secretResource.table!.cells(s, now), ['s', 'Opaque', 2, '5s']);
  assert.deepEqual(secretResource.selectableFields!(s), { type: 'Opaque' });
});

test('secret data that is not base64 is a 400 as from the decoder', () => {
  const s: KObject = { metadata: meta('s'), data: { a: 'not base64!' } };
  secretResource.strategy.defaults!(s);
  try {
    secretResource.strategy.prepareForCreate!(s, ctx);
    assert.fail('expected an error');
  } catch (e) {
    assert.ok(isStatusError(e, 'BadRequest'));
    assert.equal(e.message, 'Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 3');
  }
});

test('well-known secret types require their keys; type is immutable', () => {
  const tls: KObject = { metadata: meta('t'), type: 'kubernetes.io/tls', data: { 'tls.crt': 'eA==' } };
  assert.deepEqual(secretResource.strategy.validate!(tls, ctx).map(fieldErrorMessage), ['data[tls.key]: Required value']);
  const old: KObject = { metadata: meta('s'), type: 'Opaque', data: {} };
  const next: KObject = { metadata: meta('s'), type: 'kubernetes.io/tls', data: {} };
  assert.deepEqual(secretResource.strategy.validateUpdate!(next, old, ctx).map(fieldErrorMessage), [
    'type: Invalid value: "kubernetes.io/tls": field is immutable',
  ]);
});

test('configmap DATA cell counts data and binaryData', () => {
  const cm: KObject = { metadata: meta('c'), data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } };
  assert.deepEqual(configMapResource.table!.cells(cm, now), ['c', 3, '5s']);
});

test('each well-known secret type requires its keys (ValidateSecret)', () => {
  const cases: [type: string, data: Record<string, string>, want: string[], annotations?: Record<string, string>][] = [
    ['Opaque', {}, []],
    ['kubernetes.io/tls', {}, ['data[tls.crt]: Required value', 'data[tls.key]: Required value']],
    ['kubernetes.io/tls', { 'tls.crt': 'eA==', 'tls.key': 'eA==' }, []],
    ['kubernetes.io/dockercfg', {}, ['data[.dockercfg]: Required value']],
    ['kubernetes.io/dockerconfigjson', {}, ['data[.dockerconfigjson]: Required value']],
    ['kubernetes.io/ssh-auth', {}, ['data[ssh-privatekey]: Required value']],
    ['kubernetes.io/basic-auth', {}, ['data[username]: Required value', 'data[password]: Required value']],
    ['kubernetes.io/basic-auth', { password: 'eA==' }, []],
    ['kubernetes.io/service-account-token', {}, ['metadata.annotations[kubernetes.io/service-account.name]: Required value']],
    ['kubernetes.io/service-account-token', {}, [], { 'kubernetes.io/service-account.name': 'default' }],
  ];
  for (const [type, data, want, annotations] of cases) {
    const secret: KObject = { metadata: { ...meta('s'), annotations }, type, data };
    assert.deepEqual(secretResource.strategy.validate!(secret, ctx).map(fieldErrorMessage), want, `${type} ${JSON.stringify(data)}`);
  }
});
