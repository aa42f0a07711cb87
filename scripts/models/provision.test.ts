/**
 * Model provisioning on real model files (../shared), from a folder and from a URL served on loopback, with
 * a corrupt file, a missing file and no source at all. Never reaches the public hosts: the "public location"
 * is replaced by a loopback port nobody listens on.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCatalog } from '../../src/models/catalog';
import { serveDirectory, type StaticServer } from '../../src/test-support/static-server';
import { CATALOG_FILE, MANIFEST, provisionAll, provisionModel } from './provision.mjs';

const SHARED = resolve(import.meta.dirname, '../../../shared');
const DARKNET = MANIFEST.models.find((m: { id: string }) => m.id === 'darknet_tiny');
const MOBILENET = MANIFEST.models.find((m: { id: string }) => m.id === 'mobilenet_v1_0.75');
const pinned = (file: string) =>
  new Map(readFileSync(join(import.meta.dirname, file), 'utf8').trim().split('\n').map((l) => l.split(/\s+/).reverse() as [string, string]));

/** Where the catalog would be served: its entries resolve against it. */
const CATALOG_URL = 'http://site.example/models/catalog.json';

let work: string;
let server: StaticServer;
let deadUrl: string;

/** A context writing into a fresh output folder; `log` lines are collected. */
function context(env: Record<string, string> = {}, sharedDir = join(work, 'no-shared')) {
  const lines: string[] = [];
  const outRoot = mkdtempSync(join(work, 'out-'));
  return { outRoot, sharedDir, cacheDir: join(work, 'cache'), env, log: (l: string) => lines.push(l), lines };
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'provision-test-'));
  // Served copies of Tiny Darknet: intact, one byte flipped in one shard, one shard missing.
  // Each is served with Darknet's class list next to it, as a deployer would put it.
  for (const variant of ['intact', 'corrupt', 'incomplete']) {
    cpSync(join(SHARED, 'models/darknet_tiny'), join(work, 'www', variant), { recursive: true });
    cpSync(join(SHARED, 'labels/darknet_imagenet1k_wnids.txt'), join(work, 'www', variant, 'labels.txt'));
  }
  const shard = join(work, 'www/corrupt/group19-shard1of1');
  const bytes = readFileSync(shard);
  bytes[1000] ^= 0xff;
  writeFileSync(shard, bytes);
  unlinkSync(join(work, 'www/incomplete/group7-shard1of1'));
  server = await serveDirectory(join(work, 'www'));
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
  const { port } = probe.address() as { port: number };
  await new Promise((done) => probe.close(done));
  deadUrl = `http://127.0.0.1:${port}/mobilenet/`;
});

afterAll(async () => {
  await server?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('provisioning a model', () => {
  it('from a URL: every pinned file is fetched, verified and placed; a second run fetches nothing', async () => {
    const ctx = context({ DARKNET_TINY_SOURCE: `${server.url}intact` });
    expect(await provisionModel(DARKNET, ctx)).toEqual({ available: true });
    const sums = pinned('darknet_tiny.sha256');
    expect(sums.size).toBe(33);
    for (const name of sums.keys()) {
      expect(readFileSync(join(ctx.outRoot, 'darknet_tiny', name)).equals(readFileSync(join(work, 'www/intact', name)))).toBe(true);
      expect(server.requests).toContain(`/intact/${name}`);
    }
    const served = server.requests.length;
    expect(await provisionModel(DARKNET, ctx)).toEqual({ available: true });
    expect(server.requests.length).toBe(served);
    expect(ctx.lines.at(-1)).toBe('darknet_tiny: already in place');
  });

  it('from a URL with a corrupt file: unavailable, naming the file and the checksum mismatch', async () => {
    const ctx = context({ DARKNET_TINY_SOURCE: `${server.url}corrupt/` });
    const result = await provisionModel(DARKNET, ctx);
    expect(result.available).toBe(false);
    expect(result.message).toMatch(/checksum mismatch for group19-shard1of1/);
    expect(result.message).toContain(pinned('darknet_tiny.sha256').get('group19-shard1of1'));
    expect(result.message).toContain('DARKNET_TINY_SOURCE');
    expect(existsSync(join(ctx.outRoot, 'darknet_tiny'))).toBe(false);
  });

  it('from a URL with a missing file: unavailable, naming the file', async () => {
    const ctx = context({ DARKNET_TINY_SOURCE: `${server.url}incomplete/` });
    const result = await provisionModel(DARKNET, ctx);
    expect(result.available).toBe(false);
    expect(result.message).toMatch(/group7-shard1of1 is missing from .*incomplete.*HTTP 404/);
  });

  it('from the ../shared folder when no variable is set', async () => {
    const ctx = context({}, SHARED);
    expect(await provisionModel(MOBILENET, ctx)).toEqual({ available: true });
    expect(ctx.lines[0]).toContain(`56 files from ${join(SHARED, 'models/mobilenet_v1_0.75_224')} verified`);
    const placed = readFileSync(join(ctx.outRoot, 'mobilenet_v1_0.75', 'SHA256SUMS'), 'utf8');
    expect(placed).toBe(readFileSync(join(import.meta.dirname, 'mobilenet_v1_0.75.sha256'), 'utf8'));
  });
});

describe('provisioning everything', () => {
  const LABELS_SOURCE = join(SHARED, 'labels/imagenet_class_index.json');

  it('with no reachable source for one model: one message for it, a valid catalog.json, exit code 0', async () => {
    const ctx = context({ LABELS_SOURCE, DARKNET_TINY_SOURCE: `${server.url}intact/` });
    const { exitCode } = await provisionAll(ctx, [{ ...MOBILENET, url: deadUrl }, DARKNET]);
    expect(exitCode).toBe(0);
    const reports = ctx.lines.filter((l) => l.includes('NOT available'));
    expect(reports).toHaveLength(1);
    const [report] = reports;
    expect(report).toMatch(/^mobilenet_v1_0\.75 \(MobileNet v1 0\.75, 10\.5 MB\) is NOT available: cannot reach http:\/\/127\.0\.0\.1:\d+\/mobilenet\/: fetch failed \(ECONNREFUSED\)\./);
    expect(report).toContain(`${join(ctx.sharedDir, 'models/mobilenet_v1_0.75_224')} (absent)`);
    expect(report).toContain('set MOBILENET_SOURCE to a folder or URL');
    expect(report).toContain('scripts/models/mobilenet_v1_0.75.sha256');
    // The file as the app reads it: every entry valid, MobileNet listed as unavailable with the reason.
    const catalog = readCatalog(JSON.parse(readFileSync(join(ctx.outRoot, CATALOG_FILE), 'utf8')), CATALOG_URL);
    expect(catalog.notices).toEqual([]);
    expect(catalog.models.map((m) => m.id)).toEqual(['mobilenet_v1_0.75', 'darknet_tiny']);
    const [mobilenet, darknet] = catalog.models;
    expect(darknet.unavailable).toBeUndefined();
    expect(darknet.url).toBe('http://site.example/models/darknet_tiny/model.json');
    expect(darknet).toMatchObject({ ...DARKNET.catalog, outputWnids: 'labels.txt', displayName: 'Tiny Darknet' });
    expect(mobilenet.unavailable).toMatch(/^MobileNet v1 0\.75 is not installed: cannot reach http/);
    expect(catalog.defaultId).toBe('mobilenet_v1_0.75');
    expect(existsSync(join(ctx.outRoot, 'imagenet_class_index.json'))).toBe(true);
  });

  it('keeps the entries a deployer added by hand, replaces the built-in ones, removes the old availability.json', async () => {
    const ctx = context({ LABELS_SOURCE, DARKNET_TINY_SOURCE: `${server.url}intact/` });
    const own = { id: 'my_net', displayName: 'My net', url: '/elsewhere/my_net/model.json', inputSize: 224, preprocess: 'unit', output: 'logits',
      featureLayer: 'f', classifierLayer: 'c', zoo: { sizeMB: 1, top1: null, top5: null, parameters: null, depth: null } };
    writeFileSync(join(ctx.outRoot, CATALOG_FILE), JSON.stringify({ models: [{ ...DARKNET, displayName: 'stale' }, own] }));
    writeFileSync(join(ctx.outRoot, 'availability.json'), '{"models":{}}');
    expect((await provisionAll(ctx, [DARKNET])).exitCode).toBe(0);
    const catalog = readCatalog(JSON.parse(readFileSync(join(ctx.outRoot, CATALOG_FILE), 'utf8')), CATALOG_URL);
    expect(catalog.notices).toEqual([]);
    expect(catalog.models.map((m) => [m.id, m.displayName])).toEqual([['darknet_tiny', 'Tiny Darknet'], ['my_net', 'My net']]);
    expect(catalog.models[1].url).toBe('http://site.example/elsewhere/my_net/model.json');
    expect(ctx.lines).toContain('kept 1 entry added by hand: my_net');
    expect(existsSync(join(ctx.outRoot, 'availability.json'))).toBe(false);
  });

  it('never overwrites a catalog it cannot read: says so and fails', async () => {
    const ctx = context({ LABELS_SOURCE, DARKNET_TINY_SOURCE: `${server.url}intact/` });
    writeFileSync(join(ctx.outRoot, CATALOG_FILE), '{"models": [ oops');
    expect((await provisionAll(ctx, [DARKNET])).exitCode).toBe(1);
    expect(readFileSync(join(ctx.outRoot, CATALOG_FILE), 'utf8')).toBe('{"models": [ oops');
    expect(ctx.lines.at(-1)).toMatch(/^NOT written: .*catalog\.json is not valid JSON .*fix or delete it/);
  });

  it('with no model at all: every model reported and exit code 1', async () => {
    const ctx = context({ LABELS_SOURCE, DARKNET_TINY_SOURCE: join(work, 'nowhere') });
    const { catalog, exitCode } = await provisionAll(ctx, [{ ...MOBILENET, url: deadUrl }, DARKNET]);
    expect(exitCode).toBe(1);
    expect(ctx.lines.filter((l) => l.includes('NOT available'))).toHaveLength(2);
    expect(catalog?.models.map((m: { available: boolean }) => m.available)).toEqual([false, false]);
    expect(catalog?.models[1].reason).toMatch(/source folder .*nowhere does not exist/);
  });
});
