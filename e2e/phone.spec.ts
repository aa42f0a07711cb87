/**
 * Issue 9, phones: Chromium's Pixel 7 emulation (412 × 839 CSS px, touch, mobile). Nothing scrolls
 * sideways, every control is big enough for a finger, the layout follows a rotation, the back camera
 * opens by default and one tap switches, a sample photo works in one tap, the app installs (manifest,
 * icons) and opens offline from its start URL.
 */
import { devices, expect, test, type Page, type TestInfo } from '@playwright/test';

/** Keras ImageNet classes: Pembroke and Cardigan Welsh corgi; domestic cats. */
const CORGI_CLASSES = [263, 264];
const DOMESTIC_CAT_CLASSES = [281, 282, 283, 284, 285];
const TOUCH_TARGET_PX = 44;

const { defaultBrowserType: _browser, ...PIXEL_7 } = devices['Pixel 7'];

async function openApp(page: Page): Promise<void> {
  await page.goto('./?model=mobilenet_v1_0.75');
  await expect(page.getByTestId('model.status')).toHaveAttribute('data-state', 'ready', { timeout: 120_000 });
}

/** How far the page scrolls sideways (0 = not at all). */
async function sidewaysScroll(page: Page): Promise<number> {
  return page.evaluate(() => {
    const root = document.scrollingElement ?? document.documentElement;
    return root.scrollWidth - root.clientWidth;
  });
}

/** Visible controls a finger taps that are smaller than 44 × 44 CSS px, described for the failure message. */
async function smallTouchTargets(page: Page): Promise<string[]> {
  return page.evaluate((min) => {
    const selector = 'button, select, a[href], label.button, label.check, .segmented label, input[type=range], input[type=search], input[type=number]';
    return Array.from(document.querySelectorAll<HTMLElement>(selector)).flatMap((element) => {
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.height === 0 || getComputedStyle(element).visibility === 'hidden') return [];
      if (box.width >= min && box.height >= min) return [];
      const name = element.dataset.testid ?? element.getAttribute('aria-label') ?? element.textContent?.trim().slice(0, 30);
      return [`${element.tagName.toLowerCase()} "${name}" ${Math.round(box.width)}×${Math.round(box.height)}`];
    });
  }, TOUCH_TARGET_PX);
}

/** The page fits the screen's width and the model zoo table fits its panel (no scrolling inside it either). */
async function expectFitsWidth(page: Page, where: string): Promise<void> {
  expect(await sidewaysScroll(page), `${where}: the page scrolls sideways`).toBe(0);
  const zoo = page.getByTestId('model.zoo');
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

async function topClass(page: Page, name: string): Promise<number> {
  const result = page.locator(`[data-testid="result"][data-source-name="${name}"]`);
  await expect(result).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  return Number(await result.getByTestId('prediction').first().getAttribute('data-class-index'));
}

/** Records every getUserMedia call's constraints in window.cameraRequests (the real call still happens). */
async function recordCameraRequests(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const requests: MediaStreamConstraints[] = [];
    Object.assign(window, { cameraRequests: requests });
    const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
    navigator.mediaDevices.getUserMedia = (constraints?: MediaStreamConstraints) => {
      requests.push(JSON.parse(JSON.stringify(constraints ?? {})));
      return original(constraints);
    };
  });
}

async function cameraRequests(page: Page): Promise<{ video?: { facingMode?: unknown } }[]> {
  return page.evaluate(() => (window as unknown as { cameraRequests: { video?: { facingMode?: unknown } }[] }).cameraRequests);
}

async function startWebcam(page: Page): Promise<void> {
  await page.getByTestId('source.webcam').tap();
  await expect(page.getByTestId('live')).toHaveAttribute('data-status', 'live', { timeout: 60_000 });
}

test.describe('on a phone', () => {
  test.use({ ...PIXEL_7 });

  test('first visit: an explanation, no sideways scrolling, finger-sized controls', async ({ page }, testInfo) => {
    await openApp(page);
    const empty = page.getByTestId('viewer.empty');
    await expect(empty).toBeVisible();
    await expect(empty).toContainText(/never leave this device/);
    await expect(page.getByTestId('source.sample.dog')).toBeVisible();
    await expectFitsWidth(page, 'first visit');
    expect(await smallTouchTargets(page)).toEqual([]);
    await screenshot(page, testInfo, 'phone-first-visit');
    // The narrowest phones in use (360 CSS px).
    await page.setViewportSize({ width: 360, height: 740 });
    await expectFitsWidth(page, 'first visit, 360 px');
    expect(await smallTouchTargets(page)).toEqual([]);
  });

  test('one tap on a sample: the dog is a corgi and the cat a cat, shown without sideways scrolling, also after rotating', async ({ page }, testInfo) => {
    await openApp(page);
    await page.getByTestId('source.sample.dog').tap();
    expect(CORGI_CLASSES).toContain(await topClass(page, 'dog.jpg'));
    await expect(page.getByTestId('viewer.empty')).toHaveCount(0);
    await page.getByTestId('source.sample.cat').tap();
    expect(DOMESTIC_CAT_CLASSES).toContain(await topClass(page, 'cat.jpg'));
    await expect(page.getByTestId('heatmap.opacity')).toBeVisible();
    await expectFitsWidth(page, 'portrait, with photos');
    expect(await smallTouchTargets(page)).toEqual([]);
    await screenshot(page, testInfo, 'phone-portrait-photo');

    // Rotate: the same page (no reload) lays itself out for the wider, shorter screen.
    const stage = page.locator('.viewer .stage').first();
    const portraitWidth = (await stage.boundingBox())!.width;
    await page.evaluate(() => Object.assign(window, { notReloaded: true }));
    await page.setViewportSize({ width: PIXEL_7.viewport.height, height: PIXEL_7.viewport.width });
    await expect.poll(async () => (await stage.boundingBox())!.width, { message: 'the photo did not follow the rotation' }).not.toBe(portraitWidth);
    const stageBox = (await stage.boundingBox())!;
    expect(stageBox.height, 'the photo is taller than the landscape screen').toBeLessThanOrEqual(PIXEL_7.viewport.width);
    await expectFitsWidth(page, 'landscape, with photos');
    expect(await smallTouchTargets(page)).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    await screenshot(page, testInfo, 'phone-landscape-photo');
  });

  test('the back camera opens by default, one tap switches to the front one (mirrored), video plays inline', async ({ page }, testInfo) => {
    await recordCameraRequests(page);
    await openApp(page);
    await startWebcam(page);
    expect((await cameraRequests(page))[0].video?.facingMode).toEqual({ ideal: 'environment' });
    await expect(page.getByTestId('live.video')).toHaveAttribute('playsinline', '');
    const stage = page.getByTestId('live').locator('.stage');
    await expect(stage).not.toHaveClass(/mirrored/);
    await expectFitsWidth(page, 'webcam');
    expect(await smallTouchTargets(page)).toEqual([]);
    await screenshot(page, testInfo, 'phone-webcam');

    const switchCamera = page.getByTestId('source.camera.switch');
    await expect(switchCamera).toHaveText(/front/);
    await switchCamera.tap();
    await expect.poll(async () => (await cameraRequests(page)).length).toBe(2);
    await expect(page.getByTestId('live')).toHaveAttribute('data-status', 'live', { timeout: 60_000 });
    expect((await cameraRequests(page))[1].video?.facingMode).toEqual({ ideal: 'user' });
    await expect(stage).toHaveClass(/mirrored/);
    await expect(switchCamera).toHaveText(/back/);
    await page.getByTestId('source.webcam').tap();
    await expect(page.getByTestId('live')).toHaveCount(0);
  });

  test('with little memory, ResNet-50 (100 MB) is downloaded only after a confirmation', async ({ page }) => {
    await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'deviceMemory', { get: () => 2, configurable: true }));
    await openApp(page);
    const select = page.getByTestId('model.select');
    await expect(select.locator('option[value="resnet50"]')).toHaveText(/large for this device/);
    await select.selectOption('resnet50');
    const confirm = page.getByTestId('model.memory.confirm');
    await expect(confirm).toContainText(/2 GB/);
    await expect(select).toHaveValue('mobilenet_v1_0.75');
    await expect(page.getByTestId('model.status')).toHaveAttribute('data-model', 'mobilenet_v1_0.75');
    expect(await smallTouchTargets(page)).toEqual([]);
    expect(await sidewaysScroll(page)).toBe(0);

    await page.getByTestId('model.memory.cancel').tap();
    await expect(confirm).toHaveCount(0);
    await expect(page.getByTestId('model.status')).toHaveAttribute('data-state', 'ready');

    await select.selectOption('resnet50');
    await page.getByTestId('model.memory.proceed').tap();
    await expect(confirm).toHaveCount(0);
    await expect(select).toHaveValue('resnet50');
    await expect(page.getByTestId('model.status')).toHaveAttribute('data-model', 'resnet50');
  });

  test('installable: the manifest and its icons are served, and its start URL opens offline where a sample still classifies', async ({ page, context, request }) => {
    await openApp(page);
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
    await expect(page.getByTestId('model.status')).toHaveAttribute('data-state', 'ready', { timeout: 120_000 });
    expect(await page.evaluate(async (url) => (await fetch(url)).ok, manifestUrl)).toBe(true);
    await page.getByTestId('source.sample.dog').tap();
    expect(CORGI_CLASSES).toContain(await topClass(page, 'dog.jpg'));
  });
});

test.describe('on a laptop', () => {
  test('the front camera opens by default', async ({ page }) => {
    await recordCameraRequests(page);
    await openApp(page);
    await page.getByTestId('source.webcam').click();
    await expect(page.getByTestId('live')).toHaveAttribute('data-status', 'live', { timeout: 60_000 });
    expect((await cameraRequests(page))[0].video?.facingMode).toEqual({ ideal: 'user' });
    await expect(page.getByTestId('live').locator('.stage')).toHaveClass(/mirrored/);
    // A laptop has no back camera to switch to (several cameras are chosen from the list).
    await expect(page.getByTestId('source.camera.switch')).toHaveCount(0);
  });
});
