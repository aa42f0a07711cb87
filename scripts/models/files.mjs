/**
 * Low-level pieces of model provisioning: hashing, pinned checksum lists, reading a file from a folder or a
 * URL, and writing a model folder atomically with a stamp that makes the next run cheap.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A failure the user can act on: `what` went wrong, `how` to fix it. */
export class ProvisionError extends Error {
  constructor(what, how = '') {
    super(what);
    this.how = how;
  }
}

export function sha(algorithm, buffer, encoding = 'hex') {
  return createHash(algorithm).update(buffer).digest(encoding);
}

export const isUrl = (value) => /^https?:\/\//i.test(value);

/** `sha256  name` lines (sha256sum's format) → Map name → hex digest. */
export function parseSums(text) {
  const sums = new Map();
  for (const line of text.split('\n')) {
    const match = /^([0-9a-f]{64})\s+\*?(.+)$/.exec(line.trim());
    if (match) sums.set(match[2], match[1]);
  }
  return sums;
}

/** How long to wait for a server to answer before calling it unreachable (the body may take longer). */
const ANSWER_TIMEOUT_MS = 30_000;

/** One file of a source: `base` is a folder or a URL ending in `/`. */
export function readFromSource(base, name) {
  return readLocation(isUrl(base) ? new URL(name, base).href : join(base, name));
}

/** The bytes of a local path or an http(s) URL. */
export async function readLocation(location) {
  if (!isUrl(location)) return readFileSync(location);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`no answer within ${ANSWER_TIMEOUT_MS / 1000} s`)), ANSWER_TIMEOUT_MS);
  let response;
  try {
    response = await fetch(location, { signal: controller.signal });
  } catch (error) {
    const cause = error.cause?.code ?? error.cause?.message;
    throw Object.assign(new Error(cause ? `${error.message} (${cause})` : error.message), { unreachable: true });
  } finally {
    clearTimeout(timer);
  }
  if (!response.ok) throw new Error(`HTTP ${response.status} for ${location}`);
  return Buffer.from(await response.arrayBuffer());
}

/**
 * Reads every file of the pinned list from `base` and checks it against its sha256. Returns Map name → bytes.
 * Throws a ProvisionError naming the first file that is missing, unreadable or different.
 */
export async function fetchVerified(id, base, sums, sumsFile) {
  if (!isUrl(base) && !existsSync(base)) throw new ProvisionError(`${id}: source folder ${base} does not exist.`);
  const files = new Map();
  // model.json first: a wrong or unreachable location fails on it, with the clearest message.
  const names = [...sums.keys()].sort((a, b) => Number(b === 'model.json') - Number(a === 'model.json'));
  for (const name of names) {
    const expected = sums.get(name);
    let bytes;
    try {
      bytes = await readFromSource(base, name);
    } catch (error) {
      if (error.unreachable) throw new ProvisionError(`${id}: cannot reach ${base}: ${error.message}.`);
      const reason = error.code === 'ENOENT' ? 'file not found' : error.message;
      throw new ProvisionError(`${id}: ${name} is missing from ${base} (${reason}).`);
    }
    const actual = sha('sha256', bytes);
    if (actual !== expected) {
      throw new ProvisionError(
        `${id}: checksum mismatch for ${name} from ${base}: sha256 ${actual}, expected ${expected} (${sumsFile}); corrupt or a different file.`,
      );
    }
    files.set(name, bytes);
  }
  const manifest = JSON.parse(files.get('model.json')?.toString('utf8') ?? '{}').weightsManifest ?? [];
  for (const path of manifest.flatMap((group) => group.paths)) {
    if (!files.has(path)) throw new ProvisionError(`${id}: model.json names ${path}, which ${sumsFile} does not list.`);
  }
  return files;
}

const STAMP = '.provisioned.json';

/** True when `dir` holds a finished provisioning verified against exactly this checksum list. */
export function stampIsCurrent(dir, sumsText) {
  const stampPath = join(dir, STAMP);
  if (!existsSync(stampPath)) return false;
  try {
    const stamp = JSON.parse(readFileSync(stampPath, 'utf8'));
    if (stamp.checksums !== sha('sha256', sumsText)) return false;
    return Object.entries(stamp.files).every(
      ([name, size]) => existsSync(join(dir, name)) && statSync(join(dir, name)).size === size,
    );
  } catch {
    return false;
  }
}

/**
 * Writes the verified files into a temporary sibling folder, adds SHA256SUMS (served next to model.json: the
 * app checks every file it downloads against it) and the stamp, then renames it into place, so a failed run
 * leaves the previous folder untouched.
 */
export function writeModelDir(dir, files, sumsText, source) {
  const temp = `${dir}.tmp-${process.pid}`;
  rmSync(temp, { recursive: true, force: true });
  mkdirSync(temp, { recursive: true });
  const all = new Map(files).set('SHA256SUMS', Buffer.from(sumsText));
  for (const [name, bytes] of all) writeFileSync(join(temp, name), bytes);
  const sizes = Object.fromEntries([...all].map(([name, bytes]) => [name, bytes.length]));
  writeFileSync(join(temp, STAMP), JSON.stringify({ source, checksums: sha('sha256', sumsText), files: sizes }, null, 2));
  rmSync(dir, { recursive: true, force: true });
  renameSync(temp, dir);
}
