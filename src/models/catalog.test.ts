import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILT_IN_MODELS } from '../test-support/model-files';
import { serveDirectory, type StaticServer } from '../test-support/static-server';
import { CatalogError, checkModelUrl, fetchCatalog, readCatalog } from './catalog';

const CATALOG_URL = 'https://class.example.org/app/models/catalog.json';

/** A valid entry (Tiny Darknet's facts under another id), to break one field at a time. */
const entry = (changes: Record<string, unknown> = {}) => ({
  id: 'tiny_copy',
  displayName: 'Tiny copy',
  url: 'tiny_copy/model.json',
  inputSize: 224,
  preprocess: 'unit',
  output: 'logits',
  outputWnids: 'labels.txt',
  featureLayer: 'leaky_re_lu_15',
  classifierLayer: 'conv2d_16',
  zoo: { sizeMB: 4.2, top1: 0.587, top5: null, parameters: 1_046_488, depth: 52 },
  available: true,
  ...changes,
});

describe('checkModelUrl: any path on the same site, nothing from another', () => {
  it.each([
    ['resnet50/model.json', 'https://class.example.org/app/models/resnet50/model.json'],
    ['/elsewhere/x/model.json', 'https://class.example.org/elsewhere/x/model.json'],
    ['../other/model.json', 'https://class.example.org/app/other/model.json'],
    ['https://class.example.org/x/model.json', 'https://class.example.org/x/model.json'],
  ])('%s → %s', (url, href) => {
    expect(checkModelUrl(url, CATALOG_URL)).toEqual({ ok: true, href });
  });

  it.each([
    ['https://models.example.com/x/model.json', 'https://models.example.com'],
    ['//cdn.example.net/x/model.json', 'https://cdn.example.net'],
    ['http://class.example.org/x/model.json', 'http://class.example.org'],
    ['https://class.example.org:8443/x/model.json', 'https://class.example.org:8443'],
  ])('%s is on another site (%s)', (url, origin) => {
    const check = checkModelUrl(url, CATALOG_URL);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.reason).toBe(`its files are on another site (${origin}), and this app loads models only from its own site (https://class.example.org)`);
  });

  it.each(['data:application/json,{}', 'javascript:alert(1)', 'blob:https://class.example.org/1234'])('%s is not a web address on this site', (url) => {
    const check = checkModelUrl(url, CATALOG_URL);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.reason).toContain('is not a web address on this site');
  });
});

describe('readCatalog', () => {
  it('reads the built-in entries provisioning writes, with no notice', () => {
    expect(BUILT_IN_MODELS.map((m) => m.id)).toEqual(['mobilenet_v1_0.75', 'resnet50', 'darknet_tiny']);
    expect(BUILT_IN_MODELS.every((m) => m.unavailable === undefined)).toBe(true);
  });

  it('resolves a valid entry against the catalog and keeps every field', () => {
    const catalog = readCatalog({ default: 'tiny_copy', models: [entry()] }, CATALOG_URL);
    expect(catalog.notices).toEqual([]);
    expect(catalog.defaultId).toBe('tiny_copy');
    const { available: _, ...fields } = entry();
    expect(catalog.models).toEqual([{ ...fields, url: 'https://class.example.org/app/models/tiny_copy/model.json' }]);
  });

  it('unknown zoo facts may be null or left out; "available" may be left out', () => {
    const { available: _, ...withoutAvailable } = entry({ zoo: { sizeMB: 3 } });
    const [spec] = readCatalog({ models: [withoutAvailable] }, CATALOG_URL).models;
    expect(spec.zoo).toEqual({ sizeMB: 3, top1: null, top5: null, parameters: null, depth: null });
    expect(spec.unavailable).toBeUndefined();
  });

  it.each([
    [{ id: undefined }, 'number 2', '"id" must be letters, digits, ".", "_" or "-" (no spaces) (missing)'],
    [{ id: 'my model' }, '"my model"', '"id" must be letters, digits, ".", "_" or "-" (no spaces) (it is "my model")'],
    [{ displayName: '' }, '"tiny_copy"', '"displayName" must be a non-empty text (it is "")'],
    [{ url: 42 }, '"tiny_copy"', '"url" must be a non-empty text (it is 42)'],
    [{ inputSize: '224' }, '"tiny_copy"', '"inputSize" must be a whole number of pixels from 32 to 1024 (it is "224")'],
    [{ preprocess: 'tf' }, '"tiny_copy"', '"preprocess" must be one of "caffe", "symmetric", "unit" (it is "tf")'],
    [{ output: undefined }, '"tiny_copy"', '"output" must be one of "softmax", "logits" (missing)'],
    [{ format: 'saved-model' }, '"tiny_copy"', '"format" must be one of "layers", "graph" (it is "saved-model")'],
    [{ featureLayer: null }, '"tiny_copy"', '"featureLayer" must be a non-empty text (it is null)'],
    [{ available: 'yes' }, '"tiny_copy"', '"available" must be true or false (it is "yes")'],
    [{ zoo: undefined }, '"tiny_copy"', '"zoo" must be an object with at least "sizeMB" (missing)'],
    [{ zoo: { sizeMB: 0 } }, '"tiny_copy"', '"zoo.sizeMB" must be a number above 0 (it is 0)'],
    [{ zoo: { sizeMB: 4, top1: 58.7 } }, '"tiny_copy"', '"zoo.top1" must be a fraction between 0 and 1 (0.75 for 75 %), or null when unknown (it is 58.7)'],
  ])('an entry with %j is skipped with a notice naming it and the field; the others are read', (changes, name, problem) => {
    const good = entry({ id: 'good' });
    const catalog = readCatalog({ models: [good, entry(changes)] }, CATALOG_URL);
    expect(catalog.notices).toEqual([`The model entry ${name} in models/catalog.json was skipped: ${problem}.`]);
    expect(catalog.models.map((m) => m.id)).toEqual(['good']);
  });

  it('"format": "graph" marks a graph model (node names in featureLayer/classifierLayer); "layers" or none, a layers model', () => {
    const graph = entry({ id: 'graph', format: 'graph', featureLayer: 'leaky_re_lu_15/LeakyRelu', classifierLayer: 'conv2d_16/BiasAdd' });
    const [asGraph, asLayers, plain] = readCatalog({ models: [graph, entry({ id: 'layers', format: 'layers' }), entry()] }, CATALOG_URL).models;
    expect(asGraph).toMatchObject({ format: 'graph', featureLayer: 'leaky_re_lu_15/LeakyRelu', classifierLayer: 'conv2d_16/BiasAdd' });
    expect(asLayers.format).toBeUndefined();
    expect(plain.format).toBeUndefined();
  });

  it('skips entries that are not objects, and a second entry with the same id', () => {
    const catalog = readCatalog({ models: ['resnet50', entry(), entry({ displayName: 'Again' })] }, CATALOG_URL);
    expect(catalog.notices).toEqual([
      'The model entry number 1 in models/catalog.json was skipped: is not an object.',
      'The model entry "tiny_copy" in models/catalog.json was skipped: an earlier entry has the same id.',
    ]);
    expect(catalog.models.map((m) => m.displayName)).toEqual(['Tiny copy']);
  });

  it('lists an entry on another site as unavailable, refused with a plain reason and a notice', () => {
    const catalog = readCatalog({ models: [entry({ url: 'https://models.example.com/tiny/model.json' })] }, CATALOG_URL);
    const refusal = 'Tiny copy was refused: its files are on another site (https://models.example.com), and this app loads models only from its own site (https://class.example.org).';
    expect(catalog.models[0].unavailable).toBe(refusal);
    expect(catalog.notices).toEqual([refusal]);
  });

  it('refuses a class list on another site too', () => {
    const catalog = readCatalog({ models: [entry({ outputWnids: 'https://models.example.com/labels.txt' })] }, CATALOG_URL);
    expect(catalog.models[0].unavailable).toMatch(/^Tiny copy was refused: its files are on another site \(https:\/\/models\.example\.com\)/);
  });

  it('an entry provisioning could not install is unavailable with its reason (no notice: the select says it)', () => {
    const catalog = readCatalog({ models: [entry({ available: false, reason: 'Tiny copy is not installed: file missing.' }), entry({ id: 'b', available: false })] }, CATALOG_URL);
    expect(catalog.models.map((m) => m.unavailable)).toEqual(['Tiny copy is not installed: file missing.', 'Tiny copy is not installed on this server.']);
    expect(catalog.notices).toEqual([]);
  });

  it('a default it does not list is ignored', () => {
    expect(readCatalog({ default: 'vgg16', models: [entry()] }, CATALOG_URL).defaultId).toBeUndefined();
  });

  it.each([[null], [[]], [{}], [{ models: {} }]])('%j is not a catalog at all', (json) => {
    expect(() => readCatalog(json, CATALOG_URL)).toThrow(CatalogError);
    expect(() => readCatalog(json, CATALOG_URL)).toThrow('The list of models (models/catalog.json) has no "models" list; run `npm run models` to write it again.');
  });
});

describe('fetchCatalog, from a real server', () => {
  let root: string;
  let server: StaticServer;
  const site = (name: string) => `${server.url}${name}/`;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'catalog-test-'));
    for (const [name, content] of [['good', JSON.stringify({ models: [entry()] })], ['garbled', '{"models": [']]) {
      mkdirSync(join(root, name, 'models'), { recursive: true });
      writeFileSync(join(root, name, 'models/catalog.json'), content);
    }
    server = await serveDirectory(root);
  });

  afterAll(async () => {
    await server?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('reads models/catalog.json next to the page, entries resolved against it', async () => {
    const catalog = await fetchCatalog(`${site('good')}index.html`);
    expect(catalog.models.map((m) => m.url)).toEqual([`${site('good')}models/tiny_copy/model.json`]);
  });

  it('a site without a catalog: says so and what to run', async () => {
    await expect(fetchCatalog(site('none'))).rejects.toThrow('This server offers no models yet: models/catalog.json is missing. Run `npm run models` (it writes it).');
  });

  it('a catalog that is not JSON: says so', async () => {
    await expect(fetchCatalog(site('garbled'))).rejects.toThrow('The list of models (models/catalog.json) is not valid JSON; run `npm run models` or fix the file.');
  });
});
