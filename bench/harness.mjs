/**
 * What `npm run bench` and `npm run soak` share around their measurements: paths, progress logging,
 * command-line parsing, the machine facts of a run, the JSON results file and the exit code.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CHROMIUM_PATH, FAKE_CAMERA } from '../scripts/chromium-args.mjs';

export const ROOT = resolve(import.meta.dirname, '..');
/** Builds, results (git-ignored). */
export const OUT = join(ROOT, 'bench-results');
export const MEDIA = resolve(ROOT, '../shared/media');

/** Progress lines on stderr (the report goes to stdout): `[bench 21:04:05] …`. */
export function logger(name) {
  return (...args) => console.error(`[${name} ${new Date().toISOString().slice(11, 19)}]`, ...args);
}

export class UsageError extends Error {}

/** `node:util` parseArgs, strict; a wrong option is a UsageError that carries the usage text. */
export function parseCli(argv, options, usage) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(`${error.message}\n${usage}`);
  }
}

/** A whole number ≥ 0 from an option's text, or `fallback` when it was not given. */
export function wholeNumber(values, key, fallback = null) {
  if (values[key] === undefined) return fallback;
  const n = Number(values[key]);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${key} needs a whole number`);
  return n;
}

/** Fails early when the browser, the fake camera's video or one of `files` is missing. */
export function requireFiles(files = []) {
  for (const file of [CHROMIUM_PATH, FAKE_CAMERA, ...files]) if (!existsSync(file)) throw new Error(`missing ${file}`);
}

function versionOf(read) {
  try {
    return read();
  } catch {
    return 'unknown';
  }
}

/** The machine a run was made on; the load average says how noisy its figures are. */
export function machineInfo() {
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    cpuModel: cpus[0]?.model?.replace(/\s+/g, ' ').trim() ?? 'unknown CPU',
    totalMemory: os.totalmem(),
    loadAverage: os.loadavg(),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    chromium: versionOf(() => execFileSync(CHROMIUM_PATH, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()),
    playwright: versionOf(() => JSON.parse(readFileSync(join(ROOT, 'node_modules/@playwright/test/package.json'), 'utf8')).version),
  };
}

/** Writes bench-results/<kind>-<start time>.json and returns its path relative to the project. */
export function writeResults(kind, startedAt, data) {
  mkdirSync(OUT, { recursive: true });
  const file = join(OUT, `${kind}-${startedAt.toISOString().replace(/[:.]/g, '-').replace('Z', '')}.json`);
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  return relative(ROOT, file);
}

/** Runs an entry point: its resolved number is the exit code; a UsageError prints only its message. */
export function runMain(name, main) {
  main().then(
    (code) => process.exit(code),
    (error) => {
      console.error(error instanceof UsageError ? error.message : `${name} failed: ${error instanceof Error ? error.stack : error}`);
      process.exit(1);
    },
  );
}
