// The CRI v1 schema taken from containerd: every method the runtime calls exists in the generated
// descriptor, and the extractor tells apart the two files containerd registers as "api.proto".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { extractFileDescriptors } from '../../scripts/lib/go-descriptors.ts';
import { criServices } from '../../src/kubelet/cri/cri-schema.ts';

const CALLED = {
  RuntimeService: ['Version', 'RunPodSandbox', 'StopPodSandbox', 'RemovePodSandbox', 'PodSandboxStatus', 'ListPodSandbox', 'CreateContainer', 'StartContainer', 'StopContainer', 'RemoveContainer', 'ListContainers', 'ContainerStatus', 'ExecSync', 'Exec', 'Attach', 'ListContainerStats', 'Status'],
  ImageService: ['ListImages', 'ImageStatus', 'PullImage', 'RemoveImage', 'ImageFsInfo'],
} as const;

test('the generated descriptor has every CRI method the runtime calls', () => {
  const services = criServices();
  for (const [service, methods] of Object.entries(CALLED)) {
    const defined = Object.keys(services[service as keyof typeof CALLED].service);
    for (const m of methods) assert.ok(defined.includes(m), `${service}.${m}`);
  }
});

test('containerd embeds runtime.v1alpha2 and runtime.v1 both as "api.proto": keyBy keeps both', (t) => {
  if (!existsSync('/usr/bin/containerd')) return t.skip('containerd is not installed');
  const byPackage = extractFileDescriptors('/usr/bin/containerd', { raw: false, keyBy: (d) => `${d.descriptor.package}:${d.name}`, filter: (n) => n === 'api.proto' });
  assert.deepEqual([...byPackage.keys()].sort(), ['runtime.v1:api.proto', 'runtime.v1alpha2:api.proto']);
  const byName = extractFileDescriptors('/usr/bin/containerd', { raw: false, filter: (n) => n === 'api.proto' });
  assert.deepEqual([...byName.keys()], ['api.proto'], 'the default key is still the file name (first one found wins)');
});
