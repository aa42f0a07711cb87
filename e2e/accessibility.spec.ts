/** Accessibility: no serious axe violations, usable on a phone, reachable by keyboard. */
import { expect, test } from './fixtures';
import { seriousAxeViolations } from './support/axe';
import { DOG } from './support/media';

test.describe('accessibility', () => {
  test('no serious or critical axe violations once a photo is classified', async ({ app, page, photos, heatmaps }) => {
    await app.goto({ model: 'mobilenet_v1_0.75' });
    await app.waitReady();
    await photos.upload(DOG);
    await photos.waitDone(1);
    await expect(heatmaps.overlay).toBeVisible();

    expect(await seriousAxeViolations(page), 'serious/critical axe violations').toEqual([]);
  });

  test.describe('on a phone (390×844)', () => {
    test.use({ viewport: { width: 390, height: 844 } });

    test('no horizontal scrolling; the photo picker and the model select are visible', async ({ app, page, photos, heatmaps }) => {
      await app.goto({ model: 'mobilenet_v1_0.75' });
      await app.waitReady();
      const choose = page.locator('label').filter({ has: photos.fileInput });
      await expect(choose).toBeVisible();
      await expect(choose).toContainText('Choose photos');
      await expect(app.modelSelect).toBeVisible();
      await expect(choose).toBeInViewport();
      await expect(app.modelSelect).toBeInViewport();

      const overflow = () =>
        page.evaluate(() => ({
          scrollWidth: document.documentElement.scrollWidth,
          clientWidth: document.documentElement.clientWidth,
        }));
      let size = await overflow();
      expect(size.scrollWidth, 'page width before any photo').toBeLessThanOrEqual(size.clientWidth);

      // With a result, the heatmap viewer and all its controls on screen.
      await photos.upload(DOG);
      await photos.waitDone(1);
      await expect(heatmaps.overlay).toBeVisible();
      size = await overflow();
      expect(size.scrollWidth, 'page width with a classified photo').toBeLessThanOrEqual(size.clientWidth);
      for (const box of [await choose.boundingBox(), await app.modelSelect.boundingBox(), await heatmaps.overlay.boundingBox()]) {
        expect(box).not.toBeNull();
        expect(box!.x).toBeGreaterThanOrEqual(0);
        expect(box!.x + box!.width).toBeLessThanOrEqual(390);
      }
    });
  });

  test('Tab reaches the model select and the "Choose photos…" control', async ({ app, page, photos }) => {
    await app.goto({ model: 'mobilenet_v1_0.75' });
    await app.waitReady();
    const reached = new Set<string>();
    for (let i = 0; i < 30 && reached.size < 2; i++) {
      await page.keyboard.press('Tab');
      const id = await page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? '');
      if (id === 'model.select' || id === 'source.file') reached.add(id);
    }
    expect([...reached].sort()).toEqual(['model.select', 'source.file']);

    // The focused picker is announced as "Choose photos…" and opens the file chooser with the keyboard.
    await photos.fileInput.focus();
    await expect(photos.fileInput).toBeFocused();
    await expect(photos.fileInput).toHaveAccessibleName(/Choose photos/);
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.keyboard.press('Space')]);
    expect(chooser.isMultiple()).toBe(true);
    await chooser.setFiles(DOG);
    await photos.waitDone(1);
  });

  test('the focused "Choose photos…" control shows a focus ring', async ({ app, page, photos }) => {
    await app.goto({ model: 'mobilenet_v1_0.75' });
    await app.waitReady();
    // Reach it by keyboard so :focus-visible applies as for a real keyboard user.
    for (let i = 0; i < 30; i++) {
      await page.keyboard.press('Tab');
      if ((await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))) === 'source.file') break;
    }
    await expect(photos.fileInput).toBeFocused();
    // The input itself is visually hidden (1×1 px, clipped), so the ring must be drawn on its label.
    const label = page.locator('label').filter({ has: photos.fileInput });
    const ring = await label.evaluate((el) => {
      const style = getComputedStyle(el);
      return { outline: `${style.outlineStyle} ${style.outlineWidth}`, boxShadow: style.boxShadow };
    });
    const visible = !/^none /.test(ring.outline) && !/^\w+ 0px$/.test(ring.outline);
    expect(visible || ring.boxShadow !== 'none', `focus ring on the label (outline "${ring.outline}", box-shadow "${ring.boxShadow}")`).toBe(true);
  });
});
