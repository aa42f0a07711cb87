/**
 * Models as data: a deployer adds models by adding files and catalog entries, no code change. A copy of the
 * production build gets Tiny Darknet's files copied elsewhere on the site (one copy intact, one with a damaged
 * shard) and four extra entries in its models/catalog.json: the intact copy, the damaged copy, an entry on
 * another site, and a malformed entry. Served on E2E_PORT + 1 (support/site-copy.ts).
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test as base } from './fixtures';
import { CORGI_CLASSES, DARKNET_TINY, DOG, MOBILENET } from './support/media';
import { SITE_COPY_URL, withSiteCopy } from './support/site-copy';

const ELSEWHERE = 'tiny_elsewhere';
const DAMAGED = 'tiny_damaged';
const FOREIGN = 'tiny_foreign';
const MALFORMED = 'tiny_malformed';
const FOREIGN_SITE = 'https://models.example.com';

/** The copy of the build with the extra files and catalog entries; its catalog file, for changing it. */
const test = base.extend<object, { site: { catalogFile: string } }>({
  site: [
    async ({}, use) => {
      await withSiteCopy(
        { withModels: true },
        async (site) => {
          const tiny = path.join(site, 'models', DARKNET_TINY);
          cpSync(tiny, path.join(site, 'elsewhere/tiny'), { recursive: true });
          cpSync(tiny, path.join(site, 'elsewhere/tiny-damaged'), { recursive: true });
          const shard = path.join(site, 'elsewhere/tiny-damaged/group19-shard1of1');
          const bytes = readFileSync(shard);
          bytes[1000] ^= 0xff;
          writeFileSync(shard, bytes);
          const catalogFile = path.join(site, 'models/catalog.json');
          const catalog = JSON.parse(readFileSync(catalogFile, 'utf8')) as { models: Record<string, unknown>[] };
          const entry = catalog.models.find((model) => model.id === DARKNET_TINY);
          catalog.models.push(
            // Any path on the site: from its root, and relative to the catalog.
            { ...entry, id: ELSEWHERE, displayName: 'Tiny Darknet (elsewhere)', url: '/elsewhere/tiny/model.json' },
            { ...entry, id: DAMAGED, displayName: 'Tiny Darknet (damaged copy)', url: '../elsewhere/tiny-damaged/model.json' },
            { ...entry, id: FOREIGN, displayName: 'Tiny Darknet (other site)', url: `${FOREIGN_SITE}/tiny/model.json` },
            { ...entry, id: MALFORMED, displayName: 'Tiny Darknet (malformed)', inputSize: 'big' },
          );
          writeFileSync(catalogFile, JSON.stringify(catalog, null, 2));
          return { catalogFile };
        },
        use,
      );
    },
    { scope: 'worker', timeout: 300_000, auto: true },
  ],
});

test.use({ baseURL: SITE_COPY_URL });

test('an entry elsewhere on the site is listed, loads and classifies; a foreign one is refused without a request; a malformed one is skipped with a notice', async ({ app, photos, page }) => {
  const requested: string[] = [];
  page.context().on('request', (request) => requested.push(request.url()));
  await app.goto();

  // The malformed entry: skipped, and the notice names it and the field.
  await expect(app.notice('error', `The model entry "${MALFORMED}" in models/catalog.json was skipped: "inputSize" must be a whole number of pixels from 32 to 1024 (it is "big").`)).toBeVisible();
  await expect(app.modelOption(MALFORMED)).toHaveCount(0);

  // The foreign entry: listed as unavailable, with the refusal in plain words.
  const refusal = `Tiny Darknet (other site) was refused: its files are on another site (${FOREIGN_SITE}), and this app loads models only from its own site (${new URL(SITE_COPY_URL).origin}).`;
  await expect(app.notice('error', refusal)).toBeVisible();
  await expect(app.modelOption(FOREIGN)).toHaveJSProperty('disabled', true);
  await expect(app.modelOption(FOREIGN)).toHaveAttribute('data-available', 'false');
  await expect(app.modelOption(FOREIGN)).toHaveAttribute('title', refusal);

  // The others work: the catalog's default starts; the new entry is offered and shown in the zoo.
  await app.waitReady(MOBILENET);
  await expect(app.modelOption(ELSEWHERE)).toHaveText('Tiny Darknet (elsewhere)');
  await expect(app.modelOption(ELSEWHERE)).toHaveAttribute('data-available', 'true');
  const facts = await app.zooFacts(ELSEWHERE);
  expect(facts).toMatchObject({ Size: '4.2 MB', 'ImageNet top-5': '—', Input: '224×224' });

  await app.selectModel(ELSEWHERE);
  await photos.upload(DOG);
  await photos.waitDone(1, ELSEWHERE);
  const classes = (await photos.readPredictions('dog.jpg')).map((prediction) => prediction.classIndex);
  expect(classes.slice(0, 5).some((index) => CORGI_CLASSES.includes(index))).toBe(true);

  // Its files came from where the entry says, checked against the SHA256SUMS there; nothing left the site.
  expect(requested).toContain(`${SITE_COPY_URL}elsewhere/tiny/model.json`);
  expect(requested).toContain(`${SITE_COPY_URL}elsewhere/tiny/SHA256SUMS`);
  expect(requested).toContain(`${SITE_COPY_URL}elsewhere/tiny/labels.txt`);
  const foreign = requested.filter((url) => /^https?:/.test(url) && new URL(url).origin !== new URL(SITE_COPY_URL).origin);
  expect(foreign).toEqual([]);
});

test('a damaged copy elsewhere on the site is caught by its checksums; the other models keep working', async ({ app }) => {
  await app.open(MOBILENET);
  await app.modelSelect.selectOption(DAMAGED);
  await expect(app.status).toHaveAttribute('data-model', DAMAGED);
  await expect(app.status).toHaveAttribute('data-state', 'error', { timeout: 120_000 });
  await expect(app.modelError).toContainText('Tiny Darknet (damaged copy) could not be loaded');
  await expect(app.modelError).toContainText('group19-shard1of1 is corrupt or incomplete (its SHA-256 checksum does not match)');
  await app.selectModel(DARKNET_TINY);
});

test('a remembered model the catalog no longer lists: the first available one starts, and a notice says so', async ({ site, app, page }) => {
  await app.open(ELSEWHERE);
  const original = readFileSync(site.catalogFile, 'utf8');
  try {
    // The deployer removes the entry; the user comes back.
    const catalog = JSON.parse(original) as { models: { id: string }[] };
    writeFileSync(site.catalogFile, JSON.stringify({ ...catalog, models: catalog.models.filter((model) => model.id !== ELSEWHERE) }));
    await page.reload();
    await app.waitReady(MOBILENET);
    await expect(app.notice('info', `The model "${ELSEWHERE}" is not offered here. Using MobileNet v1 0.75 instead.`)).toBeVisible();
    await expect(app.modelOption(ELSEWHERE)).toHaveCount(0);
  } finally {
    writeFileSync(site.catalogFile, original);
  }
});
