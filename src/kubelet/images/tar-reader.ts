// Lists a tar's entries with the offset of each one's data, reading only the headers, so the local
// registry can serve a blob straight out of an image tarball. Knows ustar, pax path/size records and
// GNU long names: what our writer, `docker save` and other image tools produce.
import { open } from 'node:fs/promises';
import { posix } from 'node:path';

export interface TarIndexEntry {
  /** Normalized: no leading "./" or "/", no trailing slash. */
  path: string;
  type: 'file' | 'dir' | 'symlink' | 'link' | 'other';
  /** Where the entry's data starts in the archive. */
  offset: number;
  size: number;
  linkTarget: string;
}

type ReadAt = (offset: number, length: number) => Promise<Buffer>;

const BLOCK = 512;

function field(h: Buffer, offset: number, length: number): string {
  const end = h.indexOf(0, offset);
  return h.toString('utf8', offset, end === -1 || end > offset + length ? offset + length : end);
}

function numeric(h: Buffer, offset: number, length: number): number {
  // GNU base-256 for sizes past 8 GiB: high bit of the first byte set.
  if (h[offset]! & 0x80) {
    let value = 0;
    for (let i = offset + 1; i < offset + length; i++) value = value * 256 + h[i]!;
    return value;
  }
  const text = field(h, offset, length).trim();
  return text === '' ? 0 : parseInt(text, 8);
}

function normalize(path: string): string {
  const clean = posix.normalize(path.replace(/^\/+/, ''));
  return clean === '.' ? '' : clean.replace(/^\.\//, '').replace(/\/$/, '');
}

/** pax records: "<len> key=value\n" repeated. */
function paxRecords(data: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  let pos = 0;
  while (pos < data.length) {
    const space = data.indexOf(0x20, pos);
    if (space === -1) break;
    const len = parseInt(data.toString('ascii', pos, space), 10);
    if (!(len > 0)) break;
    const record = data.toString('utf8', space + 1, pos + len - 1);
    const eq = record.indexOf('=');
    if (eq > 0) out.set(record.slice(0, eq), record.slice(eq + 1));
    pos += len;
  }
  return out;
}

export async function indexTar(readAt: ReadAt, totalSize: number): Promise<TarIndexEntry[]> {
  const entries: TarIndexEntry[] = [];
  let pos = 0;
  let pax = new Map<string, string>();
  let longName: string | undefined;
  let longLink: string | undefined;
  while (pos + BLOCK <= totalSize) {
    const h = await readAt(pos, BLOCK);
    if (h.every((b) => b === 0)) break;
    const typeflag = String.fromCharCode(h[156] || 0x30);
    let size = numeric(h, 124, 12);
    const dataOffset = pos + BLOCK;
    if (typeflag === 'x' || typeflag === 'L' || typeflag === 'K') {
      const data = await readAt(dataOffset, size);
      if (typeflag === 'x') pax = paxRecords(data);
      else if (typeflag === 'L') longName = field(data, 0, data.length);
      else longLink = field(data, 0, data.length);
      pos = dataOffset + Math.ceil(size / BLOCK) * BLOCK;
      continue;
    }
    if (typeflag === 'g') { // global pax header: nothing we need
      pos = dataOffset + Math.ceil(size / BLOCK) * BLOCK;
      continue;
    }
    const magic = h.toString('ascii', 257, 262);
    const prefix = magic === 'ustar' ? field(h, 345, 155) : '';
    let path = longName ?? pax.get('path') ?? (prefix ? `${prefix}/${field(h, 0, 100)}` : field(h, 0, 100));
    if (pax.has('size')) size = Number(pax.get('size'));
    const linkTarget = longLink ?? pax.get('linkpath') ?? field(h, 157, 100);
    const type = typeflag === '0' || typeflag === '7' ? 'file'
      : typeflag === '5' ? 'dir' : typeflag === '2' ? 'symlink' : typeflag === '1' ? 'link' : 'other';
    path = normalize(path);
    entries.push({ path, type, offset: dataOffset, size: type === 'dir' ? 0 : size, linkTarget });
    pos = dataOffset + Math.ceil(size / BLOCK) * BLOCK;
    pax = new Map();
    longName = undefined;
    longLink = undefined;
  }
  return entries;
}

export async function indexTarFile(file: string): Promise<TarIndexEntry[]> {
  const fh = await open(file, 'r');
  try {
    const { size } = await fh.stat();
    return await indexTar(async (offset, length) => {
      const buf = Buffer.alloc(length);
      const { bytesRead } = await fh.read(buf, 0, length, offset);
      if (bytesRead !== length) throw new Error(`${file}: truncated tar at offset ${offset}`);
      return buf;
    }, size);
  } finally {
    await fh.close();
  }
}

export function indexTarBuffer(tar: Buffer): Promise<TarIndexEntry[]> {
  return indexTar(async (offset, length) => {
    if (offset + length > tar.length) throw new Error(`truncated tar at offset ${offset}`);
    return tar.subarray(offset, offset + length);
  }, tar.length);
}
