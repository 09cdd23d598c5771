// The LevelDB storage backend: openLevelStorage(dir) is all the rest of the server needs.
import type { Storage } from '../interface.ts';
import { LevelStorage, type LevelStorageOptions } from './level-storage.ts';

export { LevelStorage, type LevelStorageOptions };

/** Open (or create) the store in dir; resolves once every object and the kept log are in memory. */
export async function openLevelStorage(dir: string, opts?: LevelStorageOptions): Promise<Storage> {
  return LevelStorage.open(dir, opts);
}
