// Repository-relative locations, found from this file so they work from any cwd.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const SRC_DIR = join(REPO_ROOT, 'src');

export function cacheDir(): string {
  return process.env.TMS_CACHE_DIR ?? join(REPO_ROOT, '.cache', 'runs');
}
