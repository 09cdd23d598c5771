// Where the last n lines of a log file start (upstream pkg/util/tail.FindTailLineStartIndex): counted
// by newlines from the end, so a last line still being written (no newline yet) is not counted.
import type { FileHandle } from 'node:fs/promises';

const BLOCK_SIZE = 1024;
const NEWLINE = 0x0a;

/** The byte offset of the last n lines' start; 0 for n < 0 (the whole file). */
export async function findTailLineStartIndex(file: FileHandle, n: number): Promise<number> {
  if (n < 0) return 0;
  const { size } = await file.stat();
  let count = 0;
  let left = size;
  let block = Buffer.alloc(0);
  for (let right = size; right > 0 && count <= n; right -= BLOCK_SIZE) {
    left = Math.max(0, right - BLOCK_SIZE);
    block = Buffer.alloc(right - left);
    await file.read(block, 0, block.length, left);
    for (const byte of block) if (byte === NEWLINE) count++;
  }
  // The first block read holds more newlines than needed: skip past the surplus ones.
  let offset = 0;
  for (; count > n; count--) offset = block.indexOf(NEWLINE, offset) + 1;
  return left + offset;
}
