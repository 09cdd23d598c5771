// The base layer of every local image: a statically linked busybox, a link per applet in /bin (as the
// official busybox image has them), and the few files a shell userland expects (/etc/passwd, /tmp).
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { TarEntry } from './tar-writer.ts';

export const DEFAULT_BUSYBOX_PATH = '/bin/busybox';

const PASSWD = `root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/bin/false
bin:x:2:2:bin:/bin:/bin/false
sys:x:3:3:sys:/dev:/bin/false
sync:x:4:100:sync:/bin:/bin/sync
mail:x:8:8:mail:/var/spool/mail:/bin/false
www-data:x:33:33:www-data:/var/www:/bin/false
operator:x:37:37:Operator:/var:/bin/false
nobody:x:65534:65534:nobody:/home:/bin/false
`;

const GROUP = `root:x:0:
daemon:x:1:
bin:x:2:
sys:x:3:
adm:x:4:
tty:x:5:
disk:x:6:
mail:x:8:
wheel:x:10:root
www-data:x:33:
operator:x:37:
staff:x:50:
users:x:100:
nogroup:x:65534:
`;

const DIRECTORIES: [string, number][] = [
  ['bin', 0o755], ['dev', 0o755], ['etc', 0o755], ['home', 0o755], ['proc', 0o755], ['root', 0o700],
  ['sys', 0o755], ['tmp', 0o1777], ['usr', 0o755], ['usr/bin', 0o755], ['usr/sbin', 0o755], ['var', 0o755],
  ['var/spool', 0o755], ['var/spool/mail', 0o755], ['var/www', 0o755],
];

export class BusyboxMissingError extends Error {
  override name = 'BusyboxMissingError';
}

/** True when the ELF file has no PT_INTERP program header, i.e. needs no dynamic loader in the image. */
function isStaticElf(elf: Buffer): boolean {
  if (elf.length < 64 || elf.readUInt32BE(0) !== 0x7f454c46) return false;
  const is64 = elf[4] === 2;
  const le = elf[5] === 1;
  const u16 = (o: number) => (le ? elf.readUInt16LE(o) : elf.readUInt16BE(o));
  const u32 = (o: number) => (le ? elf.readUInt32LE(o) : elf.readUInt32BE(o));
  const phoff = is64 ? Number(le ? elf.readBigUInt64LE(32) : elf.readBigUInt64BE(32)) : u32(28);
  const phentsize = u16(is64 ? 54 : 42);
  const phnum = u16(is64 ? 56 : 44);
  for (let i = 0; i < phnum; i++) {
    if (u32(phoff + i * phentsize) === 3 /* PT_INTERP */) return false;
  }
  return true;
}

export async function readStaticBusybox(busyboxPath = DEFAULT_BUSYBOX_PATH): Promise<{ binary: Buffer; applets: string[] }> {
  let binary: Buffer;
  try {
    binary = await readFile(busyboxPath);
  } catch {
    throw new BusyboxMissingError(`busybox-static is not installed: run scripts/install-runtime.sh (${busyboxPath} is missing)`);
  }
  if (!isStaticElf(binary)) {
    throw new BusyboxMissingError(`${busyboxPath} is not statically linked (the busybox package, not busybox-static): run scripts/install-runtime.sh`);
  }
  const { stdout } = await promisify(execFile)(busyboxPath, ['--list']);
  const applets = stdout.split('\n').map((s) => s.trim()).filter((s) => s && !s.includes('/') && s !== 'busybox').sort();
  for (const needed of ['sh', 'httpd', 'tar', 'sleep', 'hostname']) {
    if (!applets.includes(needed)) throw new BusyboxMissingError(`${busyboxPath} lacks the ${needed} applet: run scripts/install-runtime.sh`);
  }
  return { binary, applets };
}

export function busyboxRootfsEntries(busybox: { binary: Buffer; applets: string[] }): TarEntry[] {
  const entries: TarEntry[] = DIRECTORIES.map(([path, mode]) => ({ type: 'dir', path, mode }));
  entries.push({ type: 'file', path: 'bin/busybox', data: busybox.binary, mode: 0o755 });
  for (const applet of busybox.applets) entries.push({ type: 'symlink', path: `bin/${applet}`, target: 'busybox' });
  entries.push(
    { type: 'file', path: 'etc/group', data: Buffer.from(GROUP) },
    { type: 'file', path: 'etc/nsswitch.conf', data: Buffer.from('hosts: files dns\n') },
    { type: 'file', path: 'etc/passwd', data: Buffer.from(PASSWD) },
    // For "#!/usr/bin/env sh" scripts.
    { type: 'symlink', path: 'usr/bin/env', target: '/bin/env' },
  );
  return entries;
}
