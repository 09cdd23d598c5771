// A small ustar writer for image layers and image archives. Every header field is fixed (uid/gid 0,
// one mtime, no user names) so the same entries always give the same bytes, hence the same digests.

export type TarEntry =
  | { type: 'dir'; path: string; mode?: number }
  | { type: 'file'; path: string; data: Buffer; mode?: number }
  | { type: 'symlink'; path: string; target: string }
  | { type: 'link'; path: string; target: string };

/** 2024-01-01T00:00:00Z: the mtime of every entry and the images' "created" time. */
export const FIXED_MTIME_SECONDS = 1_704_067_200;

const BLOCK = 512;

function writeString(header: Buffer, value: string, offset: number, length: number, field: string): void {
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length > length) throw new Error(`tar: ${field} too long: ${value}`);
  bytes.copy(header, offset);
}

/** Octal, zero-padded, NUL-terminated, as ustar numeric fields are. */
function writeOctal(header: Buffer, value: number, offset: number, length: number): void {
  const text = value.toString(8).padStart(length - 1, '0');
  if (text.length > length - 1) throw new Error(`tar: value ${value} does not fit ${length} bytes`);
  header.write(`${text}\0`, offset, 'ascii');
}

/** ustar keeps 100 bytes of name plus a 155-byte prefix, split at a slash. */
function splitName(path: string): { name: string; prefix: string } {
  if (Buffer.byteLength(path) <= 100) return { name: path, prefix: '' };
  for (let i = path.lastIndexOf('/'); i > 0; i = path.lastIndexOf('/', i - 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100 && name !== '') return { name, prefix };
  }
  throw new Error(`tar: path too long for ustar: ${path}`);
}

function header(entry: TarEntry, size: number): Buffer {
  const h = Buffer.alloc(BLOCK);
  const path = entry.type === 'dir' && !entry.path.endsWith('/') ? `${entry.path}/` : entry.path;
  const { name, prefix } = splitName(path);
  const defaultMode = entry.type === 'dir' ? 0o755 : entry.type === 'file' ? 0o644 : 0o777;
  const mode = 'mode' in entry && entry.mode !== undefined ? entry.mode : defaultMode;
  writeString(h, name, 0, 100, 'name');
  writeOctal(h, mode, 100, 8);
  writeOctal(h, 0, 108, 8); // uid
  writeOctal(h, 0, 116, 8); // gid
  writeOctal(h, size, 124, 12);
  writeOctal(h, FIXED_MTIME_SECONDS, 136, 12);
  h.fill(0x20, 148, 156); // checksum counts as spaces while summing
  const typeflag = { file: '0', link: '1', symlink: '2', dir: '5' }[entry.type];
  h.write(typeflag, 156, 'ascii');
  if (entry.type === 'symlink' || entry.type === 'link') writeString(h, entry.target, 157, 100, 'link target');
  h.write('ustar\0', 257, 'ascii');
  h.write('00', 263, 'ascii');
  writeOctal(h, 0, 329, 8); // devmajor
  writeOctal(h, 0, 337, 8); // devminor
  writeString(h, prefix, 345, 155, 'prefix');
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return h;
}

/** The whole archive in memory: entries in the order given, then the two zero blocks that end a tar. */
export function writeTar(entries: readonly TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const data = entry.type === 'file' ? entry.data : undefined;
    parts.push(header(entry, data?.length ?? 0));
    if (data && data.length > 0) {
      parts.push(data);
      const pad = (BLOCK - (data.length % BLOCK)) % BLOCK;
      if (pad) parts.push(Buffer.alloc(pad));
    }
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}
