/** Issue "class activation maps": the heatmap shows the right class in the right place, cheaply, and exports well. */
import { unzipSync } from 'fflate';
import { correlation } from '../src/test-support/correlation';
import { expect, test } from './fixtures';
import { download } from './support/downloads';
import { CAT, CORGI_CLASSES, CORGI_HEAD_AND_CHEST, DOG, type Backend, type ModelId } from './support/media';
import { isPng, pngSize } from './support/png';

/** Pearson correlation of two maps as `export.map` gives them (rows of values). */
const pearson = (a: number[][], b: number[][]): number => correlation(a.flat(), b.flat());

test.describe('class activation maps', () => {
  for (const model of ['mobilenet_v1_0.75', 'resnet50', 'darknet_tiny'] as const satisfies readonly ModelId[]) {
    test(`dog.jpg with ${model}: the overlay shows the top-1 class and peaks on the corgi`, async ({ app, photos, heatmaps }) => {
      await app.goto({ model });
      await app.waitReady(model);
      await photos.upload(DOG);
      await photos.waitDone(1, model);
      const [top] = await photos.readPredictions('dog.jpg');
      expect(CORGI_CLASSES).toContain(top.classIndex);
      await expect(heatmaps.overlay).toHaveAttribute('data-class-index', String(top.classIndex));
      await expect(heatmaps.overlay).toHaveAttribute('data-method', 'cam');
      const overlay = await heatmaps.expectPeakIn(CORGI_HEAD_AND_CHEST);
      console.log(`${model} dog.jpg peak (${overlay.peakX.toFixed(3)}, ${overlay.peakY.toFixed(3)}) for class ${overlay.classIndex}`);
    });
  }

  test('clicking the second prediction shows its map without a new inference', async ({ app, photos, heatmaps }) => {
    await app.goto({ model: 'mobilenet_v1_0.75' });
    await app.waitReady();
    await photos.upload(DOG);
    await photos.waitDone(1);
    const top = await photos.readPredictions('dog.jpg');
    await expect(heatmaps.overlay).toHaveAttribute('data-class-index', String(top[0].classIndex));
    const firstMap = await heatmaps.exportMap();
    const inferences = await app.inferences();
    expect(inferences).toBeGreaterThan(0);

    const second = await heatmaps.explainPrediction('dog.jpg', 1);
    expect(second).toBe(top[1].classIndex);
    await expect(photos.predictions('dog.jpg').nth(1).getByRole('button')).toHaveAttribute('aria-pressed', 'true');
    await expect(photos.predictions('dog.jpg').nth(0).getByRole('button')).toHaveAttribute('aria-pressed', 'false');
    const secondMap = await heatmaps.exportMap();
    expect(secondMap.classIndex).toBe(second);
    expect(secondMap.values).not.toEqual(firstMap.values);
    expect(await app.inferences()).toBe(inferences);

    // And back: the first class's map is the same as before (recomputed from the kept features).
    await heatmaps.explainPrediction('dog.jpg', 0);
    const again = await heatmaps.exportMap();
    expect(again.classIndex).toBe(top[0].classIndex);
    expect(pearson(again.values, firstMap.values)).toBeGreaterThan(0.9999);
    expect(await app.inferences()).toBe(inferences);
  });

  test('a class found by name ("tabby") is explained without a new inference', async ({ app, photos, heatmaps }) => {
    await app.goto({ model: 'mobilenet_v1_0.75' });
    await app.waitReady();
    await photos.upload(DOG);
    await photos.waitDone(1);
    const inferences = await app.inferences();
    const before = await heatmaps.readOverlay();
    expect(CORGI_CLASSES).toContain(before.classIndex);

    await heatmaps.classSearch.fill('tabby');
    const options = heatmaps.classOptions;
    await expect(options.first()).toHaveAttribute('data-class-index', '281');
    await expect(options.first()).toContainText(/tabby/i);
    await heatmaps.expectOverlayAfter(() => options.first().click(), 'data-class-index', '281');
    const map = await heatmaps.exportMap();
    expect(map.classIndex).toBe(281);
    expect(map.label).toMatch(/tabby/i);

    // Enter picks the first match.
    await heatmaps.classSearch.fill('Cardigan');
    await expect(heatmaps.classOptions.first()).toHaveAttribute('data-class-index', '264');
    await heatmaps.expectOverlayAfter(() => heatmaps.classSearch.press('Enter'), 'data-class-index', '264');
    await expect(heatmaps.classSearch).toHaveValue('');

    expect(await app.inferences()).toBe(inferences);
  });

  // The default backend (WASM on this machine) is what users get; WebGL is what a GPU machine picks.
  const gradCamRuns: { model: ModelId; backend?: Backend }[] = [
    { model: 'mobilenet_v1_0.75' },
    { model: 'resnet50' },
    { model: 'mobilenet_v1_0.75', backend: 'webgl' },
  ];
  for (const { model, backend } of gradCamRuns) {
    test(`Grad-CAM agrees with CAM on dog.jpg and cat.jpg (${model}, ${backend ?? 'default'} backend, Pearson ≥ 0.99)`, async ({ app, photos, heatmaps }) => {
      if (backend === 'webgl') test.setTimeout(240_000);
      await app.goto({ model, backend });
      await app.waitReady(model);
      await photos.upload([DOG, CAT]);
      await photos.waitDone(2, model);
      const inferences = await app.inferences();
      for (const name of ['dog.jpg', 'cat.jpg']) {
        await photos.select(name);
        await heatmaps.setMethod('cam');
        const cam = await heatmaps.exportMap();
        await heatmaps.setMethod('gradcam');
        const gradcam = await heatmaps.exportMap();
        expect(cam.source).toBe(name);
        expect(cam.method).toBe('cam');
        expect(gradcam.method).toBe('gradcam');
        expect(gradcam.classIndex).toBe(cam.classIndex);
        expect(cam.values).toHaveLength(cam.height);
        for (const row of cam.values) expect(row).toHaveLength(cam.width);
        expect([gradcam.width, gradcam.height]).toEqual([cam.width, cam.height]);
        const r = pearson(cam.values, gradcam.values);
        console.log(`${model} ${name} class ${cam.classIndex}: Pearson(CAM, Grad-CAM) = ${r.toFixed(6)} on ${cam.width}×${cam.height}`);
        expect(r).toBeGreaterThanOrEqual(0.99);
      }
      expect(await app.inferences()).toBe(inferences);
    });
  }

  test('the PNG export is a valid PNG twice as wide as the photo panel (2048×1024 for dog.jpg)', async ({ app, photos, heatmaps }) => {
    await app.goto({ model: 'mobilenet_v1_0.75' });
    await app.waitReady();
    await photos.upload(DOG);
    await photos.waitDone(1);
    const png = await download(app.page, () => heatmaps.exportPng.click());
    expect(png.name).toMatch(/^dog.*\.png$/);
    const size = pngSize(png.bytes);
    // Panel = the 2230×2230 photo scaled to max side 1024; the figure is photo | photo+heatmap.
    const panel = Math.round(2230 * Math.min(1, 1024 / 2230));
    expect(size).toEqual({ width: 2 * panel, height: panel });
    expect(size).toEqual({ width: 2048, height: 1024 });
  });

  test('the zip export holds one PNG figure per photo', async ({ app, photos, heatmaps }) => {
    await app.goto({ model: 'mobilenet_v1_0.75' });
    await app.waitReady();
    await photos.upload([DOG, CAT]);
    await photos.waitDone(2);
    const zip = await download(app.page, () => heatmaps.exportZip.click());
    expect(zip.name).toMatch(/\.zip$/);
    expect(zip.bytes.subarray(0, 4)).toEqual(Buffer.from('PK\x03\x04', 'latin1'));
    const entries = unzipSync(new Uint8Array(zip.bytes));
    const names = Object.keys(entries).sort();
    expect(names).toHaveLength(2);
    expect(names[0]).toMatch(/^cat.*\.png$/);
    expect(names[1]).toMatch(/^dog.*\.png$/);
    for (const name of names) expect(isPng(entries[name]), `${name} is a PNG`).toBe(true);
    expect(pngSize(Buffer.from(entries[names[1]]))).toEqual({ width: 2048, height: 1024 });
  });

  test('colormap, opacity and view keep the overlay; "Side by side" shows two stages', async ({ app, page, photos, heatmaps }) => {
    await app.goto({ model: 'mobilenet_v1_0.75' });
    await app.waitReady();
    await photos.upload(DOG);
    await photos.waitDone(1);
    const shown = await heatmaps.readOverlay();

    const colormap = page.getByTestId('heatmap.colormap');
    for (const id of ['turbo', 'viridis', 'jet']) {
      await colormap.selectOption(id);
      await expect(colormap).toHaveValue(id);
      await expect(heatmaps.overlay).toHaveAttribute('data-class-index', String(shown.classIndex));
    }

    const opacity = page.getByTestId('heatmap.opacity');
    await opacity.fill('0.8');
    await expect(opacity).toHaveValue('0.8');
    await expect(page.getByText('Opacity 80%')).toBeVisible();
    await expect(heatmaps.overlay).toHaveAttribute('data-class-index', String(shown.classIndex));

    const photoStages = page.getByRole('img', { name: 'dog.jpg', exact: true });
    await expect(photoStages).toHaveCount(1);
    await page.getByRole('radio', { name: 'Side by side' }).check();
    await expect(photoStages).toHaveCount(2);
    await expect(heatmaps.overlay).toHaveCount(1);
    await expect(heatmaps.overlay).toHaveAttribute('data-class-index', String(shown.classIndex));

    await page.getByRole('radio', { name: 'Photo only' }).check();
    await expect(photoStages).toHaveCount(1);
    await expect(heatmaps.overlay).toHaveCount(0);

    await page.getByRole('radio', { name: 'Overlay' }).check();
    await expect(heatmaps.overlay).toHaveCount(1);
    expect(await heatmaps.readOverlay()).toEqual(shown);
  });
});
