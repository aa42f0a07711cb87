/**
 * Reliability: faults in loading the model, in the compute backend and in the worker. Each one must
 * end in a clear state — an error that says why, or a recovery the user is told about — never in a
 * UI stuck on "loading".
 *
 * Each test has a fresh browser context, so no model is in IndexedDB yet and loading goes to the
 * network, where `context.route` (which also sees the inference worker's requests) injects the
 * fault. The service worker is blocked so that it cannot answer instead of the route.
 */
import { chromium, type BrowserContext, type Page, type Route } from '@playwright/test';
import { CHROMIUM_ARGS } from '../playwright.config';
import { AppPage, CORGI_CLASSES, DOG, expect, test } from './fixtures';

test.use({ serviceWorkers: 'block' });

const MOBILENET = 'mobilenet_v1_0.75';
const SHARD = 'group3-shard1of1';
const SHARD_URL = `**/models/${MOBILENET}/${SHARD}`;
const BASE_URL = `http://127.0.0.1:${process.env.E2E_PORT ?? 4173}/`;
const RESTARTED = 'The model was restarted; your photos are kept and the current source goes on.';

/** The model failed to load: a clear error naming the file, and nothing left spinning. */
async function expectLoadError(app: AppPage, message: RegExp): Promise<void> {
  await expect(app.status).toHaveAttribute('data-state', 'error');
  // Soft: a wrong message is reported, and the rest of the test (recovery) still runs.
  await expect.soft(app.page.getByTestId('model.error')).toHaveText(message, { timeout: 5_000 });
  await expect(app.page.getByTestId('model.error')).toHaveAttribute('role', 'alert');
  await expect(app.status).toContainText('failed to load');
  await expect(app.status.locator('progress')).toHaveCount(0);
  // It stays that way: no silent flip back to "loading".
  await app.page.waitForTimeout(1000);
  await expect(app.status).toHaveAttribute('data-state', 'error');
}

/** Serves the real file with `corrupt` applied to its bytes. */
async function corruptedShard(context: BrowserContext, corrupt: (bytes: Buffer) => Buffer): Promise<void> {
  await context.route(SHARD_URL, async (route: Route) => {
    const response = await route.fetch();
    const body = corrupt(await response.body());
    const headers = { ...response.headers() };
    delete headers['content-length'];
    await route.fulfill({ status: 200, headers, body });
  });
}

async function liveFrames(page: Page): Promise<number> {
  return Number(await page.getByTestId('hud').getAttribute('data-frames'));
}

async function startWebcam(page: Page): Promise<void> {
  await page.getByTestId('source.webcam').click();
  await expect(page.getByTestId('live')).toHaveAttribute('data-status', 'live');
  await expect.poll(() => liveFrames(page), { timeout: 120_000 }).toBeGreaterThanOrEqual(2);
}

async function injectFault(page: Page, fault: 'lose-webgl-context' | 'crash'): Promise<void> {
  await page.evaluate((f) => (window as unknown as { whatsInThePicture: { injectFault(f: string): void } }).whatsInThePicture.injectFault(f), fault);
}

test.describe('model loading faults', () => {
  test('a weight shard answering 404: the error names the file, and another model still works', async ({ app, context }) => {
    test.setTimeout(240_000);
    await context.route(SHARD_URL, (route) => route.fulfill({ status: 404, contentType: 'text/plain', body: 'Not found' }));
    await app.goto({ model: MOBILENET });
    await expectLoadError(app, /^MobileNet v1 0\.75 could not be loaded: group3-shard1of1 could not be loaded \(HTTP 404\)/);

    // The app is not wedged: a photo added now is kept, and is classified once a model loads.
    await context.unroute(SHARD_URL);
    await app.upload(DOG);
    await app.modelSelect.selectOption('resnet50');
    await app.waitReady('resnet50');
    await expect(app.page.getByTestId('model.error')).toHaveCount(0);
    await expect(app.result('dog.jpg')).toHaveAttribute('data-state', 'done');
    expect(CORGI_CLASSES).toContain((await app.readPredictions('dog.jpg'))[0].classIndex);
  });

  test('a truncated weight shard (half its bytes) is caught by the integrity check', async ({ app, context }) => {
    await corruptedShard(context, (bytes) => bytes.subarray(0, Math.floor(bytes.length / 2)));
    await app.goto({ model: MOBILENET });
    await expectLoadError(app, /^MobileNet v1 0\.75 could not be loaded: group3-shard1of1 is corrupt or incomplete/);
  });

  test('a weight shard with one byte flipped (same length): "checksum does not match"', async ({ app, context }) => {
    await corruptedShard(context, (bytes) => {
      const copy = Buffer.from(bytes);
      copy[Math.floor(copy.length / 2)] ^= 0x01;
      return copy;
    });
    await app.goto({ model: MOBILENET });
    await expectLoadError(app, /^MobileNet v1 0\.75 could not be loaded: group3-shard1of1 is corrupt or incomplete \(its SHA-256 checksum does not match\)/);
  });
});

test.describe('backend faults', () => {
  test('WebGL unavailable: ?backend=webgl falls back to WASM, says so, and photos still classify', async () => {
    test.setTimeout(180_000);
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      // --disable-webgl / --disable-3d-apis alone leave OffscreenCanvas WebGL (what the worker uses) on;
      // without GPU and without the software rasteriser there is no WebGL anywhere.
      args: [...CHROMIUM_ARGS.filter((arg) => arg !== '--enable-unsafe-swiftshader'), '--disable-webgl', '--disable-3d-apis', '--disable-gpu', '--disable-software-rasterizer'],
    });
    try {
      const context = await browser.newContext({ baseURL: BASE_URL, serviceWorkers: 'block' });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      const app = new AppPage(page);
      // Make sure the fault is real: this browser has no WebGL at all.
      await page.goto('./');
      const webgl = await page.evaluate(() => [
        new OffscreenCanvas(1, 1).getContext('webgl2'),
        new OffscreenCanvas(1, 1).getContext('webgl'),
        document.createElement('canvas').getContext('webgl'),
      ].some(Boolean));
      expect(webgl, 'this browser still has WebGL').toBe(false);

      await app.goto({ backend: 'webgl', model: MOBILENET });
      await app.waitReady(MOBILENET);
      await expect(app.backend).not.toHaveText('webgl');
      await expect(app.backend).toHaveText(/^(wasm|cpu)$/);
      await expect(app.backendReason).toContainText(/webgl could not start .*fell back to (wasm|cpu)/);
      await app.upload(DOG);
      await expect(app.result('dog.jpg')).toHaveAttribute('data-state', 'done');
      expect(CORGI_CLASSES).toContain((await app.readPredictions('dog.jpg'))[0].classIndex);

      // Automatic choice on the same machine: the reason is simply that WebGL is missing.
      await app.goto({ backend: 'auto', model: MOBILENET });
      await app.waitReady(MOBILENET);
      await expect(app.backend).toHaveText('wasm');
      await expect(app.backendReason).toContainText('WebGL is unavailable');
      expect(errors, 'uncaught errors in the page').toEqual([]);
    } finally {
      await browser.close();
    }
  });

  test('WebGL context lost while the webcam runs: the user is told, the model comes back, frames go on', async ({ app, page }) => {
    // WebGL here is SwiftShader (software): loading and each frame are slow.
    test.setTimeout(420_000);
    await page.goto(`./?backend=webgl&automation&model=${MOBILENET}`);
    await app.waitReady(MOBILENET);
    await expect(app.backend).toHaveText('webgl');
    await startWebcam(page);

    await injectFault(page, 'lose-webgl-context');
    await expect(app.alerts.filter({ hasText: RESTARTED })).toHaveCount(1, { timeout: 60_000 });
    await expect(app.alerts.filter({ hasText: RESTARTED })).toContainText(/WebGL|GPU/);
    await expect(app.status).toHaveAttribute('data-state', 'ready', { timeout: 300_000 });
    await expect(app.status).toHaveAttribute('data-from-cache', 'true');
    await expect(app.backend).toHaveText('webgl');
    await expect(page.getByTestId('live')).toHaveAttribute('data-status', 'live');
    const after = await liveFrames(page);
    await expect.poll(() => liveFrames(page), { timeout: 120_000 }).toBeGreaterThanOrEqual(after + 2);
    await expect(page.getByTestId('model.error')).toHaveCount(0);
  });

  test('the worker crashing: the user is told, the photo is classified again, the webcam goes on', async ({ app, page }) => {
    test.setTimeout(240_000);
    await page.goto(`./?automation&model=${MOBILENET}`);
    await app.waitReady(MOBILENET);
    await app.upload(DOG);
    await expect(app.result('dog.jpg')).toHaveAttribute('data-state', 'done');
    const before = await app.readPredictions('dog.jpg');
    await startWebcam(page);

    // Record every state the photo's card goes through from now on.
    await app.result('dog.jpg').evaluate((card) => {
      const seen: string[] = [];
      (window as unknown as { __dogStates: string[] }).__dogStates = seen;
      new MutationObserver(() => seen.push((card as HTMLElement).dataset.state ?? '')).observe(card, { attributes: true, attributeFilter: ['data-state'] });
    });
    await injectFault(page, 'crash');
    await expect(app.alerts.filter({ hasText: RESTARTED })).toHaveCount(1, { timeout: 60_000 });
    await expect(app.alerts.filter({ hasText: RESTARTED })).toContainText('worker');
    await expect(app.status).toHaveAttribute('data-state', 'ready', { timeout: 120_000 });
    await expect(app.status).toHaveAttribute('data-from-cache', 'true');
    await expect(app.result('dog.jpg')).toHaveAttribute('data-state', 'done');
    expect(await page.evaluate(() => (window as unknown as { __dogStates: string[] }).__dogStates), 'the photo was classified again').toEqual(['pending', 'done']);
    const again = await app.readPredictions('dog.jpg');
    expect(again.map((p) => p.classIndex)).toEqual(before.map((p) => p.classIndex));
    await expect(page.getByTestId('live')).toHaveAttribute('data-status', 'live');
    const after = await liveFrames(page);
    await expect.poll(() => liveFrames(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(after + 3);
    await expect(page.getByTestId('model.error')).toHaveCount(0);
  });
});
