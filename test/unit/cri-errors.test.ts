// CRI failures as the kubelet reports them: containerd's text without grpc-js's "5 NOT_FOUND: "
// prefix, a code the kubelet can branch on, and Go's "rpc error: code = … desc = …" form for the
// messages upstream prints it in; and the image names `ctr images import` reports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Metadata, status } from '@grpc/grpc-js';
import { CriError, toRuntimeError } from '../../src/kubelet/cri/cri-errors.ts';
import { parseImportOutput } from '../../src/kubelet/cri/ctr-import.ts';
import { RuntimeError } from '../../src/kubelet/runtime/runtime-service.ts';

function serviceError(code: status, details: string): Error {
  return Object.assign(new Error(`${code} ${status[code]}: ${details}`), { code, details, metadata: new Metadata() });
}

const cases = [
  { code: status.NOT_FOUND, details: 'an error occurred when try to find container "abc": not found', want: 'NotFound', go: 'NotFound' },
  { code: status.UNAVAILABLE, details: 'connection refused', want: 'Unavailable', go: 'Unavailable' },
  { code: status.DEADLINE_EXCEEDED, details: 'Deadline exceeded', want: 'DeadlineExceeded', go: 'DeadlineExceeded' },
  { code: status.UNKNOWN, details: 'failed to create containerd task: boom', want: 'Unknown', go: 'Unknown' },
  { code: status.INVALID_ARGUMENT, details: 'tty and stderr cannot both be true', want: 'Unknown', go: 'InvalidArgument' },
] as const;

for (const c of cases) {
  test(`grpc ${status[c.code]} becomes RuntimeError ${c.want} with containerd's message`, () => {
    const err = toRuntimeError(serviceError(c.code, c.details), 'RuntimeService.X');
    assert.ok(err instanceof RuntimeError && err instanceof CriError);
    assert.equal(err.message, c.details);
    assert.equal(err.code, c.want);
    assert.equal(err.rpcError, `rpc error: code = ${c.go} desc = ${c.details}`);
  });
}

test('ctr import output lists the images it created', () => {
  const out = [
    'unpacking docker.io/library/busybox:latest (sha256:19b0089f3973ebd432428010eeba0647bb7ea6140e684cd5b8acf3bc623da096)...done',
    'unpacking docker.io/library/busybox:1.36 (sha256:19b0089f3973ebd432428010eeba0647bb7ea6140e684cd5b8acf3bc623da096)...done',
    '',
  ].join('\n');
  assert.deepEqual(parseImportOutput(out), ['docker.io/library/busybox:latest', 'docker.io/library/busybox:1.36']);
});
