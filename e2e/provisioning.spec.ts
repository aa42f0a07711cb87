/**
 * A deployment where one model could not be provisioned: `npm run models` (the real script) writes the models
 * of a copy of the production build, with MobileNet's source unreachable. The command still succeeds, the app
 * still serves, shows MobileNet as unavailable with the reason, and classifies with ResNet-50.
 * The copy is served by its own `vite preview` on E2E_PORT + 1 (the production headers, as in playwright.config).
 */
import { expect, test } from '@playwright/test';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(import.meta.dirname, '..');
const DIST = path.resolve(ROOT, process.env.E2E_DIST ?? 'dist');
const PORT = Number(process.env.E2E_PORT ?? 4173) + 1;
const SITE_URL = `http://127.0.0.1:${PORT}/`;
const DOG = path.resolve(ROOT, '../shared/media/dog.jpg');
/** Keras ImageNet indices of the two Welsh corgi classes (Pembroke, Cardigan). */
const CORGI_CLASSES = [263, 264];

/** A loopback URL nobody listens on: the "public location" of MobileNet, unreachable. */
async function deadUrl(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
  const { port } = probe.address() as { port: number };
  await new Promise((done) => probe.close(done));
  return `http://127.0.0.1:${port}/mobilenet_v1_0.75_224/`;
}

let site: string;
let provisionOutput: string;
let preview: ChildProcess | undefined;

test.beforeAll(async () => {
  test.setTimeout(300_000);
  site = mkdtempSync(path.join(tmpdir(), 'provisioning-e2e-'));
  cpSync(DIST, site, { recursive: true, filter: (from) => path.relative(DIST, from).split(path.sep)[0] !== 'models' });
  const env = { ...process.env, MOBILENET_SOURCE: await deadUrl() };
  const { stdout } = await promisify(execFile)('node', ['scripts/provision-models.mjs', '--out', path.join(site, 'models')], { cwd: ROOT, env });
  provisionOutput = stdout;
  const vite = path.join(ROOT, 'node_modules/vite/bin/vite.js');
  preview = spawn(process.execPath, [vite, 'preview', '--host', '127.0.0.1', '--port', String(PORT), '--strictPort', '--outDir', site], {
    cwd: ROOT,
    stdio: 'ignore',
  });
  await expect
    .poll(() => fetch(SITE_URL).then((r) => r.status, () => 0), { timeout: 60_000 })
    .toBe(200);
});

test.afterAll(() => {
  preview?.kill();
  if (site) rmSync(site, { recursive: true, force: true });
});

test('with MobileNet missing, provisioning succeeds, the app starts on ResNet-50 by itself and marks MobileNet unavailable', async ({ page }) => {
  // The command succeeded (execFile rejects otherwise) and said clearly what is missing and how to provide it.
  expect(provisionOutput).toMatch(/mobilenet_v1_0\.75 \(MobileNet v1 0\.75, 10\.5 MB\) is NOT available: cannot reach http:\/\/127\.0\.0\.1:\d+\//);
  expect(provisionOutput).toContain('set MOBILENET_SOURCE to a folder or URL');
  expect(provisionOutput).toContain('available: resnet50, darknet_tiny');

  await page.goto(SITE_URL);
  const select = page.getByTestId('model.select');
  const mobilenet = select.locator('option[value="mobilenet_v1_0.75"]');
  await expect(mobilenet).toHaveJSProperty('disabled', true);
  await expect(mobilenet).toHaveText(/MobileNet v1 0\.75 \(unavailable\)/);
  await expect(mobilenet).toHaveAttribute('title', /^MobileNet v1 0\.75 is not installed: cannot reach http:\/\/127\.0\.0\.1:\d+\//);
  await expect(select.locator('option[value="resnet50"]')).toHaveJSProperty('disabled', false);

  // MobileNet is the default model: the app starts with the one that is there instead, and says nothing failed.
  await expect(page.getByTestId('model.status')).toHaveAttribute('data-model', 'resnet50');
  await expect(select).toHaveValue('resnet50');
  await expect(page.getByTestId('model.status')).toHaveAttribute('data-state', 'ready', { timeout: 180_000 });

  await page.getByTestId('source.file').setInputFiles(DOG);
  const result = page.locator('[data-testid="result"][data-source-name="dog.jpg"][data-state="done"][data-model="resnet50"]');
  await expect(result).toHaveCount(1, { timeout: 120_000 });
  const classes = await result.getByTestId('prediction').evaluateAll((items) => items.map((item) => Number((item as HTMLElement).dataset.classIndex)));
  expect(classes.length).toBeGreaterThanOrEqual(5);
  expect(classes.slice(0, 5).some((index) => CORGI_CLASSES.includes(index))).toBe(true);
});
