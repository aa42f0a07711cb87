/**
 * Issue 12 part 3, bring your own model: the Tiny Darknet files imported from disk (nothing uploaded)
 * behave like the built-in entry made from the same files, stay after a reload, and can be removed;
 * bad files are refused with a clear message while the models there are keep working.
 */
import { devices } from '@playwright/test';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { zipSync } from 'fflate';
import { expect, test } from './fixtures';
import type { AppPage } from './pages/app';
import type { HeatmapsPage } from './pages/heatmaps';
import { modelFolderFiles } from './pages/model-import';
import type { PhotosPage } from './pages/photos';
import { seriousAxeViolations } from './support/axe';
import { GRAPH_NODES, writeGraphModel, type GraphVariant } from './support/graph-model';
import { makeClip } from './support/ffmpeg';
import { fileAs } from './support/image-fixtures';
import { CORGI_CLASSES, CORGI_HEAD_AND_CHEST, DARKNET_TINY, DARKNET_TINY_DIR, DARKNET_WNIDS, DOG, MOBILENET } from './support/media';

/** Pixel 7 emulation for the config's Chromium. */
const { defaultBrowserType: _browser, ...PIXEL_7 } = devices['Pixel 7'];

const BUILT_IN_IDS = ['mobilenet_v1_0.75', 'resnet50', 'darknet_tiny'];
const NAME = 'My Tiny Darknet';

const json = (name: string, content: string) => ({ name, mimeType: 'application/json', buffer: Buffer.from(content) });
const text = (name: string, content: string) => ({ name, mimeType: 'text/plain', buffer: Buffer.from(content) });

/**
 * Waits for the imported model `id`, classifies dog.jpg with it: a corgi on top, and its heatmap is Grad-CAM
 * (CAM is asked for, the setting; Grad-CAM is what the head allows: the overlay says so) on the dog.
 */
async function expectGradCamOnDog(id: string, { app, photos, heatmaps }: { app: AppPage; photos: PhotosPage; heatmaps: HeatmapsPage }) {
  await app.waitReady(id);
  await photos.upload(DOG);
  await photos.waitDone(1, id);
  const top1 = await photos.top1('dog.jpg');
  expect(CORGI_CLASSES).toContain(top1);
  await expect(heatmaps.overlay).toHaveAttribute('data-class-index', String(top1));
  await expect(heatmaps.overlay).toHaveAttribute('data-method', 'gradcam');
  await heatmaps.expectPeakIn(CORGI_HEAD_AND_CHEST);
}

test.describe('bring your own model', () => {
  test('the Tiny Darknet files with their wnid list give the built-in top-5 and heatmap, load from IndexedDB after a reload, and can be removed', async ({
    app,
    photos,
    heatmaps,
    modelImport,
    page,
  }) => {
    await app.open(DARKNET_TINY);
    await photos.upload(DOG);
    await photos.waitDone(1, DARKNET_TINY);
    const builtIn = await photos.readPredictions('dog.jpg');

    await modelImport.pickModel(modelFolderFiles(DARKNET_TINY_DIR));
    // What the inspection found, before anything is added.
    await expect(modelImport.summary).toHaveAttribute('data-input-size', '224');
    await expect(modelImport.summary).toHaveAttribute('data-outputs', '1000');
    await expect(modelImport.summary).toHaveAttribute('data-output', 'logits');
    await expect(modelImport.summary).toHaveAttribute('data-cam', 'true');
    await expect(modelImport.summary).toContainText('1×1 convolution');
    await expect(modelImport.layer).toHaveValue('leaky_re_lu_15');
    await expect(modelImport.add).toBeDisabled();
    expect(await seriousAxeViolations(page, ['[data-testid="model.import.panel"]']), 'serious/critical axe violations').toEqual([]);

    const id = await modelImport.importModel({ files: modelFolderFiles(DARKNET_TINY_DIR), labels: DARKNET_WNIDS, preprocess: 'unit', name: NAME });
    await expect(app.modelSelect.locator(`option[value="${id}"]`)).toHaveText(NAME);
    await app.waitReady(id);
    await photos.waitDone(1, id);
    const imported = await photos.readPredictions('dog.jpg');
    expect(imported.map((p) => p.classIndex)).toEqual(builtIn.map((p) => p.classIndex));
    imported.forEach((p, i) => expect(p.prob).toBeCloseTo(builtIn[i].prob, 4));
    expect(CORGI_CLASSES).toContain(imported[0].classIndex);
    await expect(heatmaps.overlay).toHaveAttribute('data-class-index', String(imported[0].classIndex));
    await expect(heatmaps.overlay).toHaveAttribute('data-method', 'cam');
    await heatmaps.expectPeakIn(CORGI_HEAD_AND_CHEST);

    // After a reload (without ?model=): listed again, remembered as the current model, read from this browser's storage only.
    const modelRequests: string[] = [];
    page.on('request', (request) => {
      if (/\/models\/[^/]+\/(model\.json|group|labels)/.test(request.url())) modelRequests.push(request.url());
    });
    await app.goto();
    await app.waitReady(id);
    await expect(modelImport.userModels.filter({ hasText: NAME })).toHaveCount(1);
    await photos.upload(DOG);
    await photos.waitDone(1, id);
    expect((await photos.readPredictions('dog.jpg')).map((p) => p.classIndex)).toEqual(builtIn.map((p) => p.classIndex));
    expect(modelRequests).toEqual([]);

    // Removed: gone from the list and the select, the deployment's first model takes over, and it stays gone.
    await modelImport.remove(NAME);
    await expect(app.modelSelect.locator(`option[value="${id}"]`)).toHaveCount(0);
    await app.waitReady(MOBILENET);
    await app.goto();
    await app.waitReady(MOBILENET);
    await expect(modelImport.userModels).toHaveCount(0);
    await expect(app.modelSelect.locator('option')).toHaveCount(BUILT_IN_IDS.length);
  });

  test('model files dropped on the import section are taken as a model, not as photos, and import the same way', async ({ app, photos, modelImport }) => {
    await app.open(MOBILENET);
    const files = await Promise.all(
      modelFolderFiles(DARKNET_TINY_DIR).map((file) => fileAs(file, path.basename(file), file.endsWith('.json') ? 'application/json' : 'application/octet-stream')),
    );
    await app.dropOn('[data-testid="model.import.panel"]', files);
    await expect(modelImport.summary).toHaveAttribute('data-outputs', '1000');
    await expect(modelImport.summary).toHaveAttribute('data-output', 'logits');
    // The page's own drop handler left them alone: no photo results, no "not an image" notice.
    await expect(photos.results).toHaveCount(0);
    await expect(app.alerts.filter({ hasText: /not an image|skipped/i })).toHaveCount(0);
    await modelImport.labels.setInputFiles(DARKNET_WNIDS);
    await modelImport.preprocess.selectOption('unit');
    await modelImport.name.fill(NAME);
    await modelImport.add.click();
    await expect(modelImport.done).toBeVisible({ timeout: 120_000 });
    const id = await modelImport.modelId(NAME);
    await expect(app.modelSelect.locator(`option[value="${id}"]`)).toHaveText(NAME);
  });

  test('a .zip of the model folder imports the same way; an earlier heatmap layer gives Grad-CAM maps', async ({ app, photos, heatmaps, modelImport }) => {
    await app.open(MOBILENET);
    const entries = Object.fromEntries(modelFolderFiles(DARKNET_TINY_DIR).map((file) => [`darknet_tiny/${path.basename(file)}`, new Uint8Array(readFileSync(file))]));
    const zip = { name: 'darknet_tiny.zip', mimeType: 'application/zip', buffer: Buffer.from(zipSync(entries)) };
    await modelImport.pickModel([zip]);
    await expect(modelImport.layer.locator('option')).toHaveCount(6);
    const id = await modelImport.importModel({ files: [zip], labels: DARKNET_WNIDS, preprocess: 'unit', name: 'Zipped Darknet', layer: 'batch_normalization_15' });
    await expect(modelImport.userModels.filter({ hasText: 'Zipped Darknet' })).toContainText('Grad-CAM');
    await expectGradCamOnDog(id, { app, photos, heatmaps });
  });

  test('bad imports each say what is wrong and leave the other models working', async ({ app, photos, modelImport }) => {
    await app.open(MOBILENET);
    await photos.upload(DOG);
    await photos.waitDone(1, MOBILENET);

    // A missing shard is named.
    await modelImport.pickModel(modelFolderFiles(DARKNET_TINY_DIR, ['group19-shard1of1']));
    await expect(modelImport.error).toContainText('A weight file is missing: group19-shard1of1');
    await expect(modelImport.add).toHaveCount(0);

    // A text file as model.json.
    await modelImport.pickModel([text('model.json', 'This is my model, trust me.\n')]);
    await expect(modelImport.error).toContainText('model.json is not a TF.js model file: it is not JSON');

    // A labels file one class short: both numbers.
    await modelImport.pickModel(modelFolderFiles(DARKNET_TINY_DIR));
    const wnids = readFileSync(DARKNET_WNIDS, 'utf8').trim().split('\n');
    await modelImport.labels.setInputFiles(text('short-labels.txt', wnids.slice(1).join('\n')));
    await expect(modelImport.labelsError).toContainText('short-labels.txt lists 999 classes, but the model has 1000 outputs');
    await expect(modelImport.add).toBeDisabled();

    // Weights that do not fit the layers (the first convolution made wider in model.json): refused by the worker.
    const modelJson = JSON.parse(readFileSync(path.join(DARKNET_TINY_DIR, 'model.json'), 'utf8'));
    const firstConv = modelJson.modelTopology.model_config.config.layers.find((l: { class_name: string }) => l.class_name === 'Conv2D');
    firstConv.config.filters *= 2;
    const shards = modelFolderFiles(DARKNET_TINY_DIR, ['model.json']).map((file) => ({ name: path.basename(file), mimeType: 'application/octet-stream', buffer: readFileSync(file) }));
    await modelImport.pickModel([json('model.json', JSON.stringify(modelJson)), ...shards]);
    await modelImport.labels.setInputFiles(DARKNET_WNIDS);
    await modelImport.add.click();
    await expect(modelImport.error).toContainText("could not be added: the weights do not fit the model's layers", { timeout: 120_000 });
    await expect(modelImport.error).toContainText('The model in use is unchanged');

    // Nothing was added; the model in use still classifies, and another built-in one still loads.
    await expect(modelImport.userModels).toHaveCount(0);
    await expect(app.modelSelect.locator('option')).toHaveCount(BUILT_IN_IDS.length);
    await expect(app.status).toHaveAttribute('data-state', 'ready');
    await expect(app.status).toHaveAttribute('data-model', MOBILENET);
    await app.selectModel(DARKNET_TINY);
    await photos.waitDone(1, DARKNET_TINY);
    expect(CORGI_CLASSES).toContain(await photos.top1('dog.jpg'));
  });

  test.describe('graph models (the Tiny Darknet converted to a TF.js graph model at test time)', () => {
    const graphDirs: Partial<Record<GraphVariant, string>> = {};
    /** The converted model's folder (written once per run, removed after). */
    const graphFiles = (variant: GraphVariant) => modelFolderFiles((graphDirs[variant] ??= writeGraphModel(DARKNET_TINY_DIR, variant)));
    test.afterAll(() => {
      for (const dir of Object.values(graphDirs)) rmSync(path.dirname(dir), { recursive: true, force: true });
    });

    test('the plain graph gives the built-in top-5 (probabilities within 1e-4) and a CAM heatmap that peaks where the built-in one does', async ({ app, photos, heatmaps, modelImport }) => {
      await app.open(DARKNET_TINY);
      await photos.upload(DOG);
      await photos.waitDone(1, DARKNET_TINY);
      const builtIn = await photos.readPredictions('dog.jpg');
      const builtInMap = await heatmaps.readOverlay();
      expect(builtInMap.method).toBe('cam');

      await modelImport.pickModel(graphFiles('plain'));
      await expect(modelImport.summary).toHaveAttribute('data-format', 'graph');
      await expect(modelImport.summary).toHaveAttribute('data-input-size', '224');
      await expect(modelImport.summary).toHaveAttribute('data-outputs', '1000');
      await expect(modelImport.summary).toHaveAttribute('data-output', 'softmax');
      await expect(modelImport.summary).toHaveAttribute('data-cam', 'true');
      await expect(modelImport.layer).toHaveValue(GRAPH_NODES.features);
      const id = await modelImport.importModel({ files: graphFiles('plain'), labels: DARKNET_WNIDS, preprocess: 'unit', name: 'Graph Darknet' });
      await expect(modelImport.userModels.filter({ hasText: 'Graph Darknet' })).toContainText('(CAM,');
      await expect(app.modelSelect.locator(`option[value="${id}"]`)).toHaveText('Graph Darknet');
      await app.waitReady(id);
      await photos.waitDone(1, id);
      const imported = await photos.readPredictions('dog.jpg');
      expect(imported.map((p) => p.classIndex)).toEqual(builtIn.map((p) => p.classIndex));
      imported.forEach((p, i) => expect(Math.abs(p.prob - builtIn[i].prob)).toBeLessThan(1e-4));
      await expect(heatmaps.overlay).toHaveAttribute('data-class-index', String(imported[0].classIndex));
      await expect(heatmaps.overlay).toHaveAttribute('data-method', 'cam');
      const map = await heatmaps.expectPeakIn(CORGI_HEAD_AND_CHEST);
      expect(Math.abs(map.peakX - builtInMap.peakX)).toBeLessThan(0.02);
      expect(Math.abs(map.peakY - builtInMap.peakY)).toBeLessThan(0.02);
    });

    test('the imported graph model runs live like the built-in one: on a still clip of dog.jpg, the same top classes and the heatmap at the same place', async ({
      app,
      live,
      modelImport,
    }, testInfo) => {
      test.setTimeout(300_000);
      const clip = await makeClip(DOG, testInfo.outputPath('dog.webm'), { frames: 250, still: true, width: 448 });
      /** The clip played from the start in a live session of its own (closed after, so the next one starts at frame 0). */
      const liveResult = async () => {
        await live.openVideo(clip);
        await expect(live.panel).toHaveAttribute('data-status', 'live');
        await live.waitForFrames(5, 120_000);
        const result = { top: await live.top(), overlay: await live.overlayInfo() };
        await live.close.click();
        await expect(live.panel).toHaveCount(0);
        return result;
      };
      await app.open(DARKNET_TINY);
      const builtIn = await liveResult();
      expect(CORGI_CLASSES).toContain(builtIn.top[0].classIndex);

      const id = await modelImport.importModel({ files: graphFiles('plain'), labels: DARKNET_WNIDS, preprocess: 'unit', name: 'Live Graph Darknet' });
      await app.waitReady(id);
      const imported = await liveResult();
      expect(imported.top.map((p) => p.classIndex)).toEqual(builtIn.top.map((p) => p.classIndex));
      // Every frame of the lossless clip is the same picture: the two models see the same input.
      imported.top.forEach((p, i) => expect(Math.abs(p.prob - builtIn.top[i].prob)).toBeLessThan(1e-3));
      expect(imported.overlay.classIndex).toBe(builtIn.overlay.classIndex);
      expect(imported.overlay.drawn).toBeGreaterThan(0);
      expect(Math.abs(imported.overlay.peakX - builtIn.overlay.peakX)).toBeLessThan(0.02);
      expect(Math.abs(imported.overlay.peakY - builtIn.overlay.peakY)).toBeLessThan(0.02);
      console.log(`live peaks: built-in (${builtIn.overlay.peakX.toFixed(3)}, ${builtIn.overlay.peakY.toFixed(3)}), imported graph (${imported.overlay.peakX.toFixed(3)}, ${imported.overlay.peakY.toFixed(3)}); top-1 p ${builtIn.top[0].prob.toFixed(4)} vs ${imported.top[0].prob.toFixed(4)}`);
    });

    test('a head with an Elu after the pooling imports as Grad-CAM only and shows a Grad-CAM heatmap on the dog', async ({ app, photos, heatmaps, modelImport }) => {
      await app.open(MOBILENET);
      await modelImport.pickModel(graphFiles('nonlinear'));
      await expect(modelImport.summary).toHaveAttribute('data-cam', 'false');
      await expect(modelImport.summary).toContainText('Grad-CAM only');
      const id = await modelImport.importModel({ files: graphFiles('nonlinear'), labels: DARKNET_WNIDS, preprocess: 'unit', name: 'Elu Darknet' });
      await expect(modelImport.userModels.filter({ hasText: 'Elu Darknet' })).toContainText('(Grad-CAM,');
      await expectGradCamOnDog(id, { app, photos, heatmaps });
    });

    test('on WASM, a head using Einsum (a kernel that backend lacks) is refused with the backend message; nothing is added and the model in use works', async ({ app, photos, modelImport }) => {
      await app.open(MOBILENET, { backend: 'wasm' });
      await expect(app.backend).toHaveText('wasm');
      await photos.upload(DOG);
      await photos.waitDone(1, MOBILENET);
      await modelImport.pickModel(graphFiles('einsum'));
      await expect(modelImport.summary).toHaveAttribute('data-format', 'graph');
      await modelImport.labels.setInputFiles(DARKNET_WNIDS);
      await modelImport.name.fill('Einsum Darknet');
      const message = await modelImport.addRefused();
      expect(message).toContain(
        'Einsum Darknet could not be added: it needs the operation Einsum, which the wasm backend does not have; choose another backend in Settings and import it again',
      );
      expect(message).toContain('The model in use is unchanged');
      await expect(modelImport.userModels).toHaveCount(0);
      await expect(app.modelSelect.locator('option')).toHaveCount(BUILT_IN_IDS.length);
      await expect(app.status).toHaveAttribute('data-state', 'ready');
      await expect(app.status).toHaveAttribute('data-model', MOBILENET);
      expect(CORGI_CLASSES).toContain(await photos.top1('dog.jpg'));
      await app.selectModel(DARKNET_TINY);
      await photos.waitDone(1, DARKNET_TINY);
      expect(CORGI_CLASSES).toContain(await photos.top1('dog.jpg'));
    });
  });

  test.describe('on a phone', () => {
    test.use({ ...PIXEL_7 });

    test('the form with what was found fits a 360 px screen with finger-sized controls', async ({ app, modelImport, page }) => {
      await page.setViewportSize({ width: 360, height: 740 });
      await app.open(MOBILENET);
      await modelImport.pickModel(modelFolderFiles(DARKNET_TINY_DIR));
      await modelImport.labels.setInputFiles(DARKNET_WNIDS);
      await expect(modelImport.add).toBeEnabled();
      await modelImport.add.scrollIntoViewIfNeeded();
      expect(await app.sidewaysScroll()).toBe(0);
      expect(await app.smallTouchTargets()).toEqual([]);
    });
  });
});
