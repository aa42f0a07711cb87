/**
 * Reliability: faults in loading the model, in the compute backend and in the worker. Each one must
 * end in a clear state — an error that says why, or a recovery the user is told about — never in a
 * UI stuck on "loading".
 *
 * Each test has a fresh browser context, so no model is in IndexedDB yet and loading goes to the
 * network, where `context.route` (which also sees the inference worker's requests) injects the
 * fault. The service worker is blocked so that it cannot answer instead of the route.
 */
import type { BrowserContext, Route } from '@playwright/test';
import { expect, test } from './fixtures';
import type { AppPage } from './pages/app';
import type { LivePage } from './pages/live';
import { withBrowser } from './support/browser';
import { CORGI_CLASSES, DOG, MOBILENET } from './support/media';

test.use({ serviceWorkers: 'block' });

const SHARD = 'group3-shard1of1';
const SHARD_URL = `**/models/${MOBILENET}/${SHARD}`;
const RESTARTED = 'The model was restarted; your photos are kept and the current source goes on.';

/** The model failed to load: a clear error naming the file, and nothing left spinning. */
async function expectLoadError(app: AppPage, message: RegExp): Promise<void> {
  await expect(app.status).toHaveAttribute('data-state', 'error');
  // Soft: a wrong message is reported, and the rest of the test (recovery) still runs.
  await expect.soft(app.modelError).toHaveText(message, { timeout: 5_000 });
  await expect(app.modelError).toHaveAttribute('role', 'alert');
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

async function startWebcam(live: LivePage): Promise<void> {
  await live.startWebcam();
  await live.waitForFrames(2, 120_000);
}

test.describe('model loading faults', () => {
  test('a weight shard answering 404: the error names the file, and another model still works', async ({ app, photos, context }) => {
    test.setTimeout(240_000);
    await context.route(SHARD_URL, (route) => route.fulfill({ status: 404, contentType: 'text/plain', body: 'Not found' }));
    await app.goto({ model: MOBILENET });
    await expectLoadError(app, /^MobileNet v1 0\.75 could not be loaded: group3-shard1of1 could not be loaded \(HTTP 404\)/);

    // The app is not wedged: a photo added now is kept, and is classified once a model loads.
    await context.unroute(SHARD_URL);
    await photos.upload(DOG);
    await app.selectModel('resnet50');
    await expect(app.modelError).toHaveCount(0);
    await expect(photos.result('dog.jpg')).toHaveAttribute('data-state', 'done');
    expect(CORGI_CLASSES).toContain(await photos.top1('dog.jpg'));
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
  test('WebGL unavailable: ?backend=webgl falls back to WASM, says so, and photos still classify', async ({}, testInfo) => {
    test.setTimeout(180_000);
    // --disable-webgl / --disable-3d-apis alone leave OffscreenCanvas WebGL (what the worker uses) on;
    // without GPU and without the software rasteriser there is no WebGL anywhere.
    const flags = { without: ['--enable-unsafe-swiftshader'], extra: ['--disable-webgl', '--disable-3d-apis', '--disable-gpu', '--disable-software-rasterizer'] };
    await withBrowser(testInfo, flags, async ({ page, app, photos }) => {
      // Make sure the fault is real: this browser has no WebGL at all.
      await page.goto('./');
      const webgl = await page.evaluate(() => [
        new OffscreenCanvas(1, 1).getContext('webgl2'),
        new OffscreenCanvas(1, 1).getContext('webgl'),
        document.createElement('canvas').getContext('webgl'),
      ].some(Boolean));
      expect(webgl, 'this browser still has WebGL').toBe(false);

      await app.open(MOBILENET, { backend: 'webgl' });
      await expect(app.backend).not.toHaveText('webgl');
      await expect(app.backend).toHaveText(/^(wasm|cpu)$/);
      await expect(app.backendReason).toContainText(/webgl could not start .*fell back to (wasm|cpu)/);
      await photos.upload(DOG);
      await expect(photos.result('dog.jpg')).toHaveAttribute('data-state', 'done');
      expect(CORGI_CLASSES).toContain(await photos.top1('dog.jpg'));

      // Automatic choice on the same machine: the reason is simply that WebGL is missing.
      await app.open(MOBILENET, { backend: 'auto' });
      await expect(app.backend).toHaveText('wasm');
      await expect(app.backendReason).toContainText('WebGL is unavailable');
    }, { serviceWorkers: 'block' });
  });

  test('WebGL context lost while the webcam runs: the user is told, the model comes back, frames go on', async ({ app, live }) => {
    // WebGL here is SwiftShader (software): loading and each frame are slow.
    test.setTimeout(420_000);
    await app.open(MOBILENET, { backend: 'webgl', automation: true });
    await expect(app.backend).toHaveText('webgl');
    await startWebcam(live);

    await app.injectFault('lose-webgl-context');
    await expect(app.alerts.filter({ hasText: RESTARTED })).toHaveCount(1, { timeout: 60_000 });
    await expect(app.alerts.filter({ hasText: RESTARTED })).toContainText(/WebGL|GPU/);
    await expect(app.status).toHaveAttribute('data-state', 'ready', { timeout: 300_000 });
    await expect(app.status).toHaveAttribute('data-from-cache', 'true');
    await expect(app.backend).toHaveText('webgl');
    await expect(live.panel).toHaveAttribute('data-status', 'live');
    await live.waitForFrames((await live.frames()) + 2, 120_000);
    await expect(app.modelError).toHaveCount(0);
  });

  test('the worker crashing: the user is told, the photo is classified again, the webcam goes on', async ({ app, photos, live, page }) => {
    test.setTimeout(240_000);
    await app.open(MOBILENET, { automation: true });
    await photos.upload(DOG);
    await expect(photos.result('dog.jpg')).toHaveAttribute('data-state', 'done');
    const before = await photos.readPredictions('dog.jpg');
    await startWebcam(live);

    // Record every state the photo's card goes through from now on.
    await photos.result('dog.jpg').evaluate((card) => {
      const seen: string[] = [];
      (window as unknown as { __dogStates: string[] }).__dogStates = seen;
      new MutationObserver(() => seen.push((card as HTMLElement).dataset.state ?? '')).observe(card, { attributes: true, attributeFilter: ['data-state'] });
    });
    await app.injectFault('crash');
    await expect(app.alerts.filter({ hasText: RESTARTED })).toHaveCount(1, { timeout: 60_000 });
    await expect(app.alerts.filter({ hasText: RESTARTED })).toContainText('worker');
    await expect(app.status).toHaveAttribute('data-state', 'ready', { timeout: 120_000 });
    await expect(app.status).toHaveAttribute('data-from-cache', 'true');
    await expect(photos.result('dog.jpg')).toHaveAttribute('data-state', 'done');
    expect(await page.evaluate(() => (window as unknown as { __dogStates: string[] }).__dogStates), 'the photo was classified again').toEqual(['pending', 'done']);
    const again = await photos.readPredictions('dog.jpg');
    expect(again.map((p) => p.classIndex)).toEqual(before.map((p) => p.classIndex));
    await expect(live.panel).toHaveAttribute('data-status', 'live');
    await live.waitForFrames((await live.frames()) + 3);
    await expect(app.modelError).toHaveCount(0);
  });
});
