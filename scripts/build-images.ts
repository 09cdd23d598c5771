// `npm run images [-- --out DIR] [--busybox PATH]`: builds the local image tarballs (busybox, the nginx
// stand-in, the pause image) into ./images from the host's busybox-static, one line per image.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildImages } from '../src/kubelet/images/build-images.ts';
import { BusyboxMissingError } from '../src/kubelet/images/busybox-rootfs.ts';

const { values } = parseArgs({
  options: { out: { type: 'string', default: 'images' }, busybox: { type: 'string' } },
});

const started = Date.now();
try {
  await buildImages(resolve(values.out!), { busyboxPath: values.busybox, log: (line) => console.log(line) });
  console.log(`done in ${Date.now() - started} ms`);
} catch (err) {
  if (err instanceof BusyboxMissingError) {
    console.error(`build-images: ${err.message}`);
    process.exit(1);
  }
  throw err;
}
