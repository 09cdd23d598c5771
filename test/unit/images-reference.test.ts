import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { familiarName, formatImageReference, parseImageReference } from '../../src/kubelet/images/image-reference.ts';

describe('image references, normalized as Docker and containerd do', () => {
  const cases: [string, string, string][] = [
    ['busybox', 'docker.io/library/busybox:latest', 'busybox:latest'],
    ['busybox:1.36', 'docker.io/library/busybox:1.36', 'busybox:1.36'],
    ['library/nginx', 'docker.io/library/nginx:latest', 'nginx:latest'],
    ['docker.io/library/nginx:latest', 'docker.io/library/nginx:latest', 'nginx:latest'],
    ['index.docker.io/library/nginx', 'docker.io/library/nginx:latest', 'nginx:latest'],
    ['someone/app:v1', 'docker.io/someone/app:v1', 'someone/app:v1'],
    ['k8ts.local/pause:3.10', 'k8ts.local/pause:3.10', 'k8ts.local/pause:3.10'],
    ['registry.k8s.io/pause:3.10', 'registry.k8s.io/pause:3.10', 'registry.k8s.io/pause:3.10'],
    ['localhost/app', 'localhost/app:latest', 'localhost/app:latest'],
    ['127.0.0.1:5000/team/app:2', '127.0.0.1:5000/team/app:2', '127.0.0.1:5000/team/app:2'],
  ];
  for (const [input, full, familiar] of cases) {
    test(`${input} → ${full}`, () => {
      const ref = parseImageReference(input);
      assert.equal(formatImageReference(ref), full);
      assert.equal(familiarName(ref), familiar);
    });
  }

  test('a digest reference keeps its digest and gets no default tag', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    assert.deepEqual(parseImageReference(`busybox@${digest}`), { domain: 'docker.io', path: 'library/busybox', tag: undefined, digest });
  });

  test('an empty reference is an error, not docker.io/library/', () => {
    assert.throws(() => parseImageReference(''), /invalid reference format/);
  });
});
