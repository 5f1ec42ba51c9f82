// Golden-image comparison in the spirit of pytest-mpl.
//
// Modes (env): TMS_GOLDEN=check|update (default check; UPDATE_GOLDEN=1 = update).
// TMS_GOLDEN_FILTER=<substring> limits updating to matching names (others are checked).
// Goldens are never created silently: a missing golden fails with the command that creates it,
// and under CI nothing is ever written to golden/ (update mode throws).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pixelmatch from 'pixelmatch';

// pngjs ships no type declarations; type the small part we use.
interface DecodedPng {
  width: number;
  height: number;
  data: Buffer;
}
const { PNG } = createRequire(import.meta.url)('pngjs') as {
  PNG: {
    new (opts: { width: number; height: number }): DecodedPng;
    sync: { read(buf: Buffer): DecodedPng; write(png: DecodedPng): Buffer };
  };
};

export interface GoldenOptions {
  /** pass when at most this many pixels differ (default 0) */
  maxDiffPixels?: number;
  /** golden directory (default: $TMS_GOLDEN_DIR or <repo>/golden) */
  goldenDir?: string;
  /** failure artifacts directory (default: $TMS_ARTIFACTS_DIR or <repo>/.artifacts) */
  artifactsDir?: string;
  /** command shown to (re)create the golden; defaults to one built from the name */
  updateCommand?: string;
}

export interface GoldenResult {
  pass: boolean;
  message: string;
  /** differing pixels; for a size mismatch, the larger image's pixel count */
  diffPixels: number;
  /** true when this call wrote the golden (update mode) */
  updated: boolean;
  paths: { golden: string; meta: string; expected?: string; actual?: string; diff?: string };
}

/** Repo root: the nearest ancestor of this file holding a package.json. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('golden: no package.json above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
  return dir;
}

export function goldenMode(env = process.env): 'check' | 'update' {
  const m = env.TMS_GOLDEN || (env.UPDATE_GOLDEN && env.UPDATE_GOLDEN !== '0' ? 'update' : 'check');
  if (m !== 'check' && m !== 'update') throw new Error(`TMS_GOLDEN must be "check" or "update", got "${m}"`);
  return m;
}

const isCI = (env = process.env) => !!env.CI && env.CI !== 'false' && env.CI !== '0';

export function updateCommandFor(name: string): string {
  return `TMS_GOLDEN=update TMS_GOLDEN_FILTER='${name}' npx vitest run -t '${name}'`;
}

/** Atomic write: readers (and a crash mid-write) never see a partial file. */
function writeAtomic(path: string, data: Buffer | string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/** Stable JSON for the sidecar; typed arrays become plain arrays. */
function metaJson(name: string, png: DecodedPng, bytes: Buffer, meta: object | undefined): string {
  const sidecar = {
    name,
    width: png.width,
    height: png.height,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    meta: meta ?? null,
  };
  const replacer = (_k: string, v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as Float32Array) : v);
  return JSON.stringify(sidecar, replacer, 2) + '\n';
}

function decode(png: Buffer, what: string): DecodedPng {
  try {
    return PNG.sync.read(png);
  } catch (e) {
    throw new Error(`golden: ${what} is not a valid PNG (${(e as Error).message})`);
  }
}

export async function compareGolden(
  name: string,
  png: Buffer,
  meta?: object,
  opts: GoldenOptions = {},
): Promise<GoldenResult> {
  // Names may contain '/' (sub-folders) but must stay inside the golden dir.
  if (!/^[\w.\-/]+$/.test(name) || name.split('/').includes('..') || isAbsolute(name))
    throw new Error(`golden: invalid name "${name}" (use letters, digits, . _ - /)`);
  const root = repoRoot();
  const goldenDir = resolve(opts.goldenDir || process.env.TMS_GOLDEN_DIR || join(root, 'golden'));
  const artDir = resolve(opts.artifactsDir || process.env.TMS_ARTIFACTS_DIR || join(root, '.artifacts'), name);
  const paths: GoldenResult['paths'] = {
    golden: join(goldenDir, `${name}.png`),
    meta: join(goldenDir, `${name}.json`),
  };
  const rel = (p: string) => { // short paths in messages when inside cwd
    const r = relative(process.cwd(), p);
    return r.startsWith('..') || isAbsolute(r) ? p : r;
  };
  const cmd = opts.updateCommand ?? updateCommandFor(name);
  const actual = decode(png, 'actual image');

  const filter = process.env.TMS_GOLDEN_FILTER;
  if (goldenMode() === 'update' && (!filter || name.includes(filter))) {
    if (isCI())
      throw new Error(`golden: refusing to write goldens under CI (TMS_GOLDEN=update with CI=${process.env.CI}). ` +
        `Update goldens locally and commit them.`);
    const was = existsSync(paths.meta) ? goldenEngine(paths.meta) : undefined;
    if (was !== undefined && engineOf(meta) !== undefined && was !== engineOf(meta))
      throw new Error(`golden: "${name}" was made with engine ${was}; refusing to replace it from ${engineOf(meta)} ` +
        `(goldens are per engine: update it with ${was}, or delete ${rel(paths.golden)} and its .json first)`);
    // Keep the existing file when pixels are unchanged, so re-encoding never churns git.
    const old = existsSync(paths.golden) ? readFileSync(paths.golden) : undefined;
    let unchanged = false;
    try {
      unchanged = old !== undefined && pixelDiff(decode(old, 'golden'), actual, null) === 0;
    } catch { /* unreadable old golden: overwrite it */ }
    if (!unchanged) writeAtomic(paths.golden, png);
    writeAtomic(paths.meta, metaJson(name, actual, unchanged ? old! : png, meta));
    rmSync(artDir, { recursive: true, force: true });
    return { pass: true, updated: true, diffPixels: 0, paths,
      message: `golden "${name}" ${unchanged ? 'unchanged' : 'written'}: ${rel(paths.golden)}` };
  }

  if (!existsSync(paths.golden)) {
    return { pass: false, updated: false, diffPixels: -1, paths,
      message: `golden "${name}" is missing (${rel(paths.golden)}). Create it with:\n  ${cmd}\n` +
        `then inspect the image and commit it with its .json sidecar.` };
  }

  const expected = decode(readFileSync(paths.golden), `golden ${paths.golden}`);
  const maxDiff = opts.maxDiffPixels ?? 0;
  const sameSize = expected.width === actual.width && expected.height === actual.height;
  const madeWith = goldenEngine(paths.meta);
  const runWith = engineOf(meta);
  if (madeWith !== undefined && runWith !== undefined && madeWith !== runWith && sameSize) {
    // A golden pins one engine's bits. Another engine draws other data (or sums in another order), so its
    // figure is another picture of the same claim: the claim's checks judge it, the pixels are not compared.
    return { pass: true, updated: false, diffPixels: 0, paths,
      message: `golden "${name}" was made with engine ${madeWith}; this run used ${runWith}: size checked, pixels not compared` };
  }
  const diffImg = sameSize ? new PNG({ width: actual.width, height: actual.height }) : null;
  const diffPixels = sameSize
    ? pixelDiff(expected, actual, diffImg!.data)
    : Math.max(expected.width * expected.height, actual.width * actual.height);
  if (sameSize && diffPixels <= maxDiff) {
    rmSync(artDir, { recursive: true, force: true }); // stale artifacts from an earlier failure
    return { pass: true, updated: false, diffPixels, paths, message: `golden "${name}" matches (${diffPixels} px differ)` };
  }

  rmSync(artDir, { recursive: true, force: true }); // no stale diff.png from an earlier run
  paths.expected = join(artDir, 'expected.png');
  paths.actual = join(artDir, 'actual.png');
  writeAtomic(paths.expected, readFileSync(paths.golden));
  writeAtomic(paths.actual, png);
  if (diffImg) {
    paths.diff = join(artDir, 'diff.png');
    writeAtomic(paths.diff, PNG.sync.write(diffImg));
  }
  const what = sameSize
    ? `${diffPixels} pixels differ (allowed ${maxDiff})`
    : `size differs: expected ${expected.width}×${expected.height}, got ${actual.width}×${actual.height}`;
  const files = [paths.expected, paths.actual, paths.diff].filter(Boolean).map((p) => rel(p!));
  return { pass: false, updated: false, diffPixels, paths,
    message: `golden "${name}" mismatch: ${what}.\n  see: ${files.join(', ')}\n` +
      `If the change is intended, update with:\n  ${cmd}` };
}

/** The engine recorded in a golden's sidecar (meta.engine), if any. */
function goldenEngine(metaPath: string): string | undefined {
  try {
    return engineOf((JSON.parse(readFileSync(metaPath, 'utf8')) as { meta?: unknown }).meta);
  } catch {
    return undefined;
  }
}

const engineOf = (meta: unknown): string | undefined => {
  const e = (meta as { engine?: unknown } | null | undefined)?.engine;
  return typeof e === 'string' ? e : undefined;
};

/** pixelmatch with the fixed threshold; anti-aliasing differences are ignored (its default). */
function pixelDiff(a: DecodedPng, b: DecodedPng, out: Buffer | null): number {
  if (a.width !== b.width || a.height !== b.height) return a.width * a.height || 1;
  return pixelmatch(a.data, b.data, out, a.width, a.height, { threshold: 0.1 });
}
