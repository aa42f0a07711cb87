#!/usr/bin/env node
/**
 * `npm run models`: places the models listed in scripts/models/models.json and the ImageNet class index in
 * public/models/ (git-ignored; `--out DIR` to write elsewhere), verified against the checksums pinned in
 * scripts/models/, and writes public/models/catalog.json, the list of models the app offers. Sources and messages: see
 * scripts/models/provision.mjs. Idempotent: a model already verified is only checked by size.
 * Exits 0 when at least one model is in place; a missing model is reported, not fatal.
 */
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { provisionAll } from './models/provision.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { out: { type: 'string' } } });

const { exitCode } = await provisionAll({
  outRoot: values.out ? resolve(values.out) : join(root, 'public', 'models'),
  sharedDir: resolve(root, '..', 'shared'),
  cacheDir: join(root, '.cache'),
  env: process.env,
  log: (line) => process.stdout.write(`[models] ${line}\n`),
});
process.exitCode = exitCode;
