// Kubernetes protobuf bodies → the JSON object Go would print for the same struct. Bodies are written
// field by field with protobufjs' Writer, using the field numbers of k8s.io/api's generated.proto.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import protobuf from 'protobufjs';
import { decodeProtobufObject, ProtobufDecodeError, ProtobufObjectError } from '../../src/protobuf/decode-object.ts';
import { formatDuration, formatMicroTime, formatTime } from '../../src/protobuf/go-json.ts';
import { messageForKind, SCHEMA_SOURCE } from '../../src/protobuf/schema.ts';
import { builtinResources } from '../../src/registry/builtin.ts';
import { apiVersionOfDef } from '../../src/registry/types.ts';

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);
const LEN = 2;
const VARINT = 0;

/** A message as [field number, value] pairs: strings, numbers (varint), booleans, bytes, nested messages. */
type Field = [number, string | number | boolean | Uint8Array | Field[]];

function message(fields: Field[]): Uint8Array {
  const w = protobuf.Writer.create();
  for (const [num, v] of fields) {
    if (typeof v === 'string') w.uint32((num << 3) | LEN).string(v);
    else if (typeof v === 'number') w.uint32((num << 3) | VARINT).int64(v);
    else if (typeof v === 'boolean') w.uint32((num << 3) | VARINT).bool(v);
    else if (v instanceof Uint8Array) w.uint32((num << 3) | LEN).bytes(v);
    else w.uint32((num << 3) | LEN).bytes(message(v));
  }
  return w.finish();
}

function envelope(apiVersion: string, kind: string, raw: Uint8Array): Buffer {
  return Buffer.concat([MAGIC, message([[1, [[1, apiVersion], [2, kind]]], [2, raw], [3, ''], [4, '']])]);
}

/** ObjectMeta as gogo writes it: every value field, even empty; creationTimestamp as an empty Time. */
function objectMeta(name: string, extra: Field[] = []): Field[] {
  return [[1, name], [2, ''], [3, ''], [4, ''], [5, ''], [6, ''], [7, 0], [8, []], ...extra];
}

const entry = (k: string, v: string | Uint8Array | Field[]): Field[] => [[1, k], [2, v]];
const decode = (body: Buffer, defaults?: { apiVersion: string; kind: string }) => decodeProtobufObject(body, defaults).object;

describe('protobuf object decoding', () => {
  test('the schema covers every served kind', () => {
    assert.match(SCHEMA_SOURCE, /^kubectl v1\.\d+\.\d+/);
    const missing = builtinResources().filter((d) => !messageForKind(apiVersionOfDef(d), d.kind)).map((d) => `${apiVersionOfDef(d)} ${d.kind}`);
    assert.deepEqual(missing, []);
  });

  test('ConfigMap: strings, base64 bytes, empty values kept in maps, zero time as null', () => {
    const raw = message([
      [1, objectMeta('cm', [[11, entry('app', 'web')]])],
      [2, entry('a', '1')], [2, entry('empty', '')],
      [3, entry('bin', Uint8Array.from([0, 1, 2, 255]))],
    ]);
    assert.deepEqual(decode(envelope('v1', 'ConfigMap', raw)), {
      kind: 'ConfigMap', apiVersion: 'v1',
      metadata: { name: 'cm', creationTimestamp: null, labels: { app: 'web' } },
      data: { a: '1', empty: '' },
      binaryData: { bin: 'AAEC/w==' },
    });
  });

  test('value fields drop their zeros as omitempty does; pointer fields keep them', () => {
    const container = message([[1, 'nginx'], [2, 'nginx'], [6, [[1, ''], [2, 0], [3, 80], [4, ''], [5, '']]], [8, []]]);
    const raw = message([
      [1, objectMeta('web')],
      [2, [[1, 0], [2, [[1, entry('app', 'web')]]], [3, [[1, objectMeta('')], [2, [[2, container]]]]], [4, []], [5, 0], [7, false]]],
      [3, []],
    ]);
    const d = decode(envelope('apps/v1', 'Deployment', raw)) as any;
    assert.equal(d.spec.replicas, 0, 'replicas is a pointer: 0 was set by the client');
    assert.equal('minReadySeconds' in d.spec, false);
    assert.equal('paused' in d.spec, false);
    assert.deepEqual(d.spec.strategy, {}, 'a value struct prints as {}');
    assert.deepEqual(d.spec.template.spec.containers, [{ name: 'nginx', image: 'nginx', ports: [{ containerPort: 80 }], resources: {} }]);
    assert.deepEqual(d.status, {});
  });

  test('a value field Go prints without omitempty keeps its zero (PriorityClass.value)', () => {
    const raw = message([[1, objectMeta('pc')], [2, 0], [3, false], [4, '']]);
    assert.deepEqual(decode(envelope('scheduling.k8s.io/v1', 'PriorityClass', raw)), {
      kind: 'PriorityClass', apiVersion: 'scheduling.k8s.io/v1', metadata: { name: 'pc', creationTimestamp: null }, value: 0,
    });
  });

  test('IntOrString, Quantity, Time, MicroTime and Duration print their Go JSON forms', () => {
    const svc = message([[1, objectMeta('s')], [2, [[1, [[1, 'http'], [3, 80], [4, [[1, 0], [2, 8080], [3, '']]]]], [1, [[3, 81], [4, [[1, 1], [2, 0], [3, 'web']]]]]]]]);
    const ports = (decode(envelope('v1', 'Service', svc)) as any).spec.ports;
    assert.deepEqual(ports.map((p: any) => p.targetPort), [8080, 'web']);

    const quota = message([[1, objectMeta('q')], [2, [[1, entry('cpu', [[1, '500m']])], [1, entry('memory', [[1, '1Gi']])]]]]);
    assert.deepEqual((decode(envelope('v1', 'ResourceQuota', quota)) as any).spec.hard, { cpu: '500m', memory: '1Gi' });

    const meta = objectMeta('t').filter(([n]) => n !== 8);
    const event = message([[1, [...meta, [8, [[1, 1_700_000_000], [2, 5]]]]], [2, [[1, 'Pod']]], [10, [[1, 1_700_000_001], [2, 123_456_789]]]]);
    const ev = decode(envelope('v1', 'Event', event)) as any;
    assert.equal(ev.metadata.creationTimestamp, '2023-11-14T22:13:20Z');
    assert.equal(ev.eventTime, '2023-11-14T22:13:21.123456Z');

    assert.deepEqual([1, 1_500, 300_000_000, 1e9, 60e9, 3600e9, 3661.5e9, -2e9, 0].map((n) => formatDuration(BigInt(n))),
      ['1ns', '1.5µs', '300ms', '1s', '1m0s', '1h0m0s', '1h1m1.5s', '-2s', '0s']);
    assert.equal(formatTime(0n), '1970-01-01T00:00:00Z');
    assert.equal(formatMicroTime(0n, 1000), '1970-01-01T00:00:00.000001Z');
  });

  test('inline structs (Volume.volumeSource) merge into their parent; RawExtension holds JSON', () => {
    const pod = message([[1, objectMeta('p')], [2, [[1, [[1, 'cfg'], [2, [[19, [[1, [[1, 'my-config']]]]]]]]]]]]);
    assert.deepEqual((decode(envelope('v1', 'Pod', pod)) as any).spec.volumes, [{ name: 'cfg', configMap: { name: 'my-config' } }]);

    const revision = message([[1, objectMeta('r')], [2, [[1, Buffer.from('{"spec":{"x":1}}')]]], [3, 2]]);
    assert.deepEqual((decode(envelope('apps/v1', 'ControllerRevision', revision)) as any).data, { spec: { x: 1 } });
  });

  test('unknown fields are skipped; packed numbers are read', () => {
    const w = protobuf.Writer.create();
    w.uint32((1 << 3) | LEN).bytes(message(objectMeta('r')));
    w.uint32((99 << 3) | VARINT).uint32(7);
    const role = message([[1, objectMeta('r')]]);
    assert.deepEqual(decode(envelope('rbac.authorization.k8s.io/v1', 'Role', Buffer.concat([w.finish(), role]))), {
      kind: 'Role', apiVersion: 'rbac.authorization.k8s.io/v1', metadata: { name: 'r', creationTimestamp: null },
    });
    // PodSecurityContext.supplementalGroups (field 4, repeated int64) written packed.
    const packed = protobuf.Writer.create().uint32((4 << 3) | LEN).fork().int64(1000).int64(2000).ldelim().finish();
    const pod = message([[1, objectMeta('p')], [2, [[14, packed]]]]);
    assert.deepEqual((decode(envelope('v1', 'Pod', pod)) as any).spec.securityContext.supplementalGroups, [1000, 2000]);
  });

  test('an envelope without apiVersion/kind takes the expected ones', () => {
    const body = Buffer.concat([MAGIC, message([[2, message([[1, objectMeta('x')]])]])]);
    assert.deepEqual(decode(body, { apiVersion: 'v1', kind: 'ServiceAccount' }), { kind: 'ServiceAccount', apiVersion: 'v1', metadata: { name: 'x', creationTimestamp: null } });
  });

  const failures: Array<[string, Buffer, RegExp, boolean]> = [
    ['empty', Buffer.alloc(0), /^empty data$/, false],
    ['bad magic', Buffer.from('{"kind":"ConfigMap"}'), /^provided data does not appear to be a protobuf message, expected prefix \[107 56 115 0\]$/, false],
    ['magic only', MAGIC, /^empty body$/, false],
    ['truncated envelope', envelope('v1', 'ConfigMap', message([[1, objectMeta('x')]])).subarray(0, 20), /^unexpected EOF$/, false],
    ['truncated object', envelope('v1', 'ConfigMap', message([[1, objectMeta('x')]]).subarray(0, 10)), /^unexpected EOF$/, true],
    ['wrong wire type', envelope('v1', 'ConfigMap', message([[1, 5]])), /^proto: wrong wireType = 0 for field Metadata$/, true],
    ['unknown kind', envelope('v1', 'Bogus', message([])), /^no kind "Bogus" is registered for version "v1"/, true],
    ['time out of range', envelope('v1', 'ConfigMap', message([[1, [[8, [[1, 1e15]]]]]])), /^Time\.MarshalJSON: year outside of range \[0,9999\]$/, true],
  ];
  for (const [name, body, message, objectLevel] of failures) {
    test(`corrupt body: ${name}`, () => {
      assert.throws(() => decode(body), (err: unknown) => {
        assert.ok(err instanceof ProtobufDecodeError, String(err));
        assert.match(err.message, message);
        assert.equal(err instanceof ProtobufObjectError, objectLevel, 'errors after the envelope name the kind');
        return true;
      });
    });
  }
});
