/**
 * Issue 9, phones: Chromium's Pixel 7 emulation (412 × 839 CSS px, touch, mobile). Nothing scrolls
 * sideways, every control is big enough for a finger, the layout follows a rotation, the back camera
 * opens by default and one tap switches, a sample photo works in one tap, the app installs (manifest,
 * icons) and opens offline from its start URL.
 */
import { devices, type Page, type TestInfo } from '@playwright/test';
import type { AppPage } from './pages/app';
import { expect, test } from './fixtures';
import { CORGI_CLASSES, DOMESTIC_CAT_CLASSES, MOBILENET, RESNET50 } from './support/media';

/** Pixel 7 emulation for the config's Chromium (a device's `defaultBrowserType` cannot be set inside a describe). */
const { defaultBrowserType: _browser, ...PIXEL_7 } = devices['Pixel 7'];

/** The page fits the screen's width and the model zoo table fits its panel (no scrolling inside it either). */
async function expectFitsWidth(app: AppPage, where: string): Promise<void> {
  expect(await app.sidewaysScroll(), `${where}: the page scrolls sideways`).toBe(0);
  const zoo = app.page.getByTestId('model.zoo');
  await zoo.scrollIntoViewIfNeeded();
  const fit = await zoo.evaluate((table) => {
    const box = table.parentElement!;
    return {
      tableWidth: table.scrollWidth,
      boxWidth: box.clientWidth,
      boxRight: box.getBoundingClientRect().right,
      viewport: document.documentElement.clientWidth,
    };
  });
  expect(fit.tableWidth, `${where}: the model zoo table is cut off (it scrolls inside its panel)`).toBeLessThanOrEqual(fit.boxWidth);
  expect(fit.boxRight, `${where}: the model zoo panel is wider than the screen`).toBeLessThanOrEqual(fit.viewport);
}

async function screenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

test.describe('on a phone', () => {
  test.use({ ...PIXEL_7 });

  test('first visit: an explanation, no sideways scrolling, finger-sized controls', async ({ app, photos, page }, testInfo) => {
    await app.open(MOBILENET);
    const empty = page.getByTestId('viewer.empty');
    await expect(empty).toBeVisible();
    await expect(empty).toContainText(/never leave this device/);
    await expect(photos.sample('dog')).toBeVisible();
    await expectFitsWidth(app, 'first visit');
    expect(await app.smallTouchTargets()).toEqual([]);
    await screenshot(page, testInfo, 'phone-first-visit');
    // The narrowest phones in use (360 CSS px).
    await page.setViewportSize({ width: 360, height: 740 });
    await expectFitsWidth(app, 'first visit, 360 px');
    expect(await app.smallTouchTargets()).toEqual([]);
  });

  test('one tap on a sample: the dog is a corgi and the cat a cat, shown without sideways scrolling, also after rotating', async ({ app, photos, page }, testInfo) => {
    await app.open(MOBILENET);
    await photos.sample('dog').tap();
    expect(CORGI_CLASSES).toContain(await photos.classifiedTop1('dog.jpg'));
    await expect(page.getByTestId('viewer.empty')).toHaveCount(0);
    await photos.sample('cat').tap();
    expect(DOMESTIC_CAT_CLASSES).toContain(await photos.classifiedTop1('cat.jpg'));
    await expect(page.getByTestId('heatmap.opacity')).toBeVisible();
    await expectFitsWidth(app, 'portrait, with photos');
    expect(await app.smallTouchTargets()).toEqual([]);
    await screenshot(page, testInfo, 'phone-portrait-photo');

    // Rotate: the same page (no reload) lays itself out for the wider, shorter screen.
    const stage = page.locator('.viewer .stage').first();
    const portraitWidth = (await stage.boundingBox())!.width;
    await page.evaluate(() => Object.assign(window, { notReloaded: true }));
    await page.setViewportSize({ width: PIXEL_7.viewport.height, height: PIXEL_7.viewport.width });
    await expect.poll(async () => (await stage.boundingBox())!.width, { message: 'the photo did not follow the rotation' }).not.toBe(portraitWidth);
    const stageBox = (await stage.boundingBox())!;
    expect(stageBox.height, 'the photo is taller than the landscape screen').toBeLessThanOrEqual(PIXEL_7.viewport.width);
    await expectFitsWidth(app, 'landscape, with photos');
    expect(await app.smallTouchTargets()).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    await screenshot(page, testInfo, 'phone-landscape-photo');
  });

  test('the back camera opens by default, one tap switches to the front one (mirrored), video plays inline', async ({ app, live, page }, testInfo) => {
    await live.recordCameraRequests();
    await app.open(MOBILENET);
    await live.webcamButton.tap();
    await expect(live.panel).toHaveAttribute('data-status', 'live');
    expect((await live.cameraRequests())[0].video?.facingMode).toEqual({ ideal: 'environment' });
    await expect(live.video).toHaveAttribute('playsinline', '');
    const stage = live.panel.locator('.stage');
    await expect(stage).not.toHaveClass(/mirrored/);
    await expectFitsWidth(app, 'webcam');
    expect(await app.smallTouchTargets()).toEqual([]);
    await screenshot(page, testInfo, 'phone-webcam');

    await expect(live.switchCamera).toHaveText(/front/);
    await live.switchCamera.tap();
    await expect.poll(async () => (await live.cameraRequests()).length).toBe(2);
    await expect(live.panel).toHaveAttribute('data-status', 'live', { timeout: 60_000 });
    expect((await live.cameraRequests())[1].video?.facingMode).toEqual({ ideal: 'user' });
    await expect(stage).toHaveClass(/mirrored/);
    await expect(live.switchCamera).toHaveText(/back/);
    await live.webcamButton.tap();
    await expect(live.panel).toHaveCount(0);
  });

  test('with little memory, ResNet-50 (100 MB) is downloaded only after a confirmation', async ({ app, page }) => {
    await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'deviceMemory', { get: () => 2, configurable: true }));
    await app.open(MOBILENET);
    const select = app.modelSelect;
    await expect(select.locator(`option[value="${RESNET50}"]`)).toHaveText(/large for this device/);
    await select.selectOption(RESNET50);
    const confirm = page.getByTestId('model.memory.confirm');
    await expect(confirm).toContainText(/2 GB/);
    await expect(select).toHaveValue(MOBILENET);
    await expect(app.status).toHaveAttribute('data-model', MOBILENET);
    expect(await app.smallTouchTargets()).toEqual([]);
    expect(await app.sidewaysScroll()).toBe(0);

    await page.getByTestId('model.memory.cancel').tap();
    await expect(confirm).toHaveCount(0);
    await expect(app.status).toHaveAttribute('data-state', 'ready');

    await select.selectOption(RESNET50);
    await page.getByTestId('model.memory.proceed').tap();
    await expect(confirm).toHaveCount(0);
    await expect(select).toHaveValue(RESNET50);
    await expect(app.status).toHaveAttribute('data-model', RESNET50);
  });

  test('installable: the manifest and its icons are served, and its start URL opens offline where a sample still classifies', async ({ app, photos, page, context, request }) => {
    await app.open(MOBILENET);
    await expect(page.locator('meta[name="theme-color"]')).toHaveAttribute('content', /^#[0-9a-f]{6}$/i);
    const manifestUrl = await page.locator('link[rel="manifest"]').evaluate((link: HTMLLinkElement) => link.href);
    const response = await request.get(manifestUrl);
    expect(response.ok()).toBe(true);
    const manifest = await response.json();
    expect(manifest).toMatchObject({ name: expect.any(String), short_name: expect.any(String), display: 'standalone', start_url: expect.any(String) });
    expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/i);
    expect(manifest.background_color).toMatch(/^#[0-9a-f]{6}$/i);
    const appleIcon = await page.locator('link[rel="apple-touch-icon"]').evaluate((link: HTMLLinkElement) => link.href);

    const icons: { src: string; sizes: string; type: string; purpose?: string }[] = manifest.icons;
    const pngs = icons.filter((icon) => icon.type === 'image/png');
    expect(pngs.map((icon) => icon.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
    expect(icons.some((icon) => icon.purpose?.split(' ').includes('maskable')), 'a maskable icon').toBe(true);
    for (const icon of [...pngs.map((png) => ({ url: new URL(png.src, manifestUrl).href, sizes: png.sizes })), { url: appleIcon, sizes: '180x180' }]) {
      const image = await request.get(icon.url);
      expect(image.ok(), icon.url).toBe(true);
      expect(image.headers()['content-type']).toBe('image/png');
      const bytes = await image.body();
      // PNG signature, then the IHDR chunk with width and height (big-endian) at bytes 16 and 20.
      expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
      expect(`${bytes.readUInt32BE(16)}x${bytes.readUInt32BE(20)}`, icon.url).toBe(icon.sizes);
    }

    // Opened from the home screen without a network: the start URL, the manifest and a sample come from the cache.
    await page.evaluate(() => navigator.serviceWorker.ready);
    await context.setOffline(true);
    await page.goto(new URL(manifest.start_url, manifestUrl).href);
    await expect(app.status).toHaveAttribute('data-state', 'ready', { timeout: 120_000 });
    expect(await page.evaluate(async (url) => (await fetch(url)).ok, manifestUrl)).toBe(true);
    await photos.sample('dog').tap();
    expect(CORGI_CLASSES).toContain(await photos.classifiedTop1('dog.jpg'));
  });
});

test.describe('on a laptop', () => {
  test('the front camera opens by default', async ({ app, live }) => {
    await live.recordCameraRequests();
    await app.open(MOBILENET);
    await live.startWebcam();
    expect((await live.cameraRequests())[0].video?.facingMode).toEqual({ ideal: 'user' });
    await expect(live.panel.locator('.stage')).toHaveClass(/mirrored/);
    // A laptop has no back camera to switch to (several cameras are chosen from the list).
    await expect(live.switchCamera).toHaveCount(0);
  });
});
