// Child process for the kill -9 durability test: creates keys with several concurrent writers
// and prints "<key> <resourceVersion>" for each create only after the store acknowledged it.
// Usage: node --import tsx test/helpers/storage-writer.ts <dir> <run name> [concurrency]

import { openLevelStorage } from '../../src/storage/level/index.ts';

const [dir, run, concurrency = '16'] = process.argv.slice(2);
if (!dir || !run) throw new Error('usage: storage-writer.ts <dir> <run name> [concurrency]');

const store = await openLevelStorage(dir);
process.stdout.write(`READY ${store.currentRevision()}\n`);
let next = 0;
await Promise.all(Array.from({ length: Number(concurrency) }, async () => {
  for (;;) {
    const name = `${run}-${next++}`;
    const key = `/registry/configmaps/default/${name}`;
    const obj = await store.create(key, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: { payload: 'x'.repeat(200) } });
    // Pipes are written synchronously on Linux, so a printed line was acknowledged before the kill.
    process.stdout.write(`${key} ${obj.metadata.resourceVersion}\n`);
  }
}));
