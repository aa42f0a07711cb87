/**
 * Accuracy regression on the 100-photo ImageNet sample (one photo per class index multiple of 10),
 * classified as one batch through the photo picker, with each model.
 */
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from './fixtures';
import { IMAGENET_SAMPLE_DIR, MODEL_NAMES, type ModelId } from './support/media';

/**
 * Floors: the figures measured on this set (WASM backend, Chromium 2026-11: MobileNet v1 0.75 top-1
 * 0.82, top-5 0.97; ResNet-50 top-1 0.90, top-5 0.99) less 3 photos each, room for another backend's
 * rounding to flip a borderline photo. Below a floor, a change to decoding, cropping, preprocessing or
 * the weights has cost accuracy.
 */
const FLOORS: Record<ModelId, { top1: number; top5: number }> = {
  'mobilenet_v1_0.75': { top1: 0.79, top5: 0.94 },
  resnet50: { top1: 0.87, top5: 0.96 },
  // Tiny Darknet (its own class order and logits, mapped by the app): 0.71 / 0.87 measured here in Chromium.
  darknet_tiny: { top1: 0.62, top5: 0.84 },
};

interface Accuracy {
  model: ModelId;
  photos: number;
  top1: number;
  top5: number;
  /** Photos whose top-1 is wrong, with the model's top-5. */
  misses: { file: string; expected: number; top5: number[]; inTop5: boolean }[];
}

async function readLabels(): Promise<Map<string, number>> {
  const tsv = await readFile(path.join(IMAGENET_SAMPLE_DIR, 'labels.tsv'), 'utf8');
  const [header, ...rows] = tsv.trim().split(/\r?\n/).map((line) => line.split('\t'));
  const file = header.indexOf('file');
  const classIndex = header.indexOf('class_index');
  return new Map(rows.map((row) => [row[file], Number(row[classIndex])]));
}

test('top-1/top-5 accuracy on the 100-photo ImageNet sample, MobileNet, ResNet-50 and Tiny Darknet', async ({ app, photos }, testInfo) => {
  // ResNet-50 on 100 photos takes ~3.5 min on a busy 2-core machine.
  test.setTimeout(900_000);
  const labels = await readLabels();
  const files = (await readdir(IMAGENET_SAMPLE_DIR)).filter((f) => /\.jpe?g$/i.test(f)).sort();
  expect(files).toHaveLength(100);
  expect([...labels.keys()].sort()).toEqual(files);

  await app.goto({ model: 'mobilenet_v1_0.75' });
  await app.waitReady('mobilenet_v1_0.75');
  await photos.upload(files.map((f) => path.join(IMAGENET_SAMPLE_DIR, f)));

  const figures: Accuracy[] = [];
  for (const model of ['mobilenet_v1_0.75', 'resnet50', 'darknet_tiny'] as const) {
    if (model !== 'mobilenet_v1_0.75') await app.selectModel(model);
    const started = Date.now();
    await app.waitReady(model);
    // The export is offered once a photo is classified (after a model switch, all are classified again).
    await expect(app.page.getByTestId('results.export.json')).toBeEnabled({ timeout: 300_000 });
    // Every photo classified by this model (the export lists the classified photos with their model).
    let results: Awaited<ReturnType<typeof photos.readAllResults>> = [];
    await expect
      .poll(async () => (results = (await photos.readAllResults()).filter((r) => r.model === MODEL_NAMES[model])).length, { timeout: 480_000, intervals: [2_000] })
      .toBe(files.length);
    const seconds = (Date.now() - started) / 1000;
    expect(results.map((r) => r.name).sort()).toEqual(files);

    let top1 = 0;
    let top5 = 0;
    const misses: Accuracy['misses'] = [];
    for (const result of results) {
      const expected = labels.get(result.name);
      expect(expected, `label for ${result.name}`).toBeDefined();
      expect(result.classes).toHaveLength(5);
      const inTop5 = result.classes.includes(expected!);
      if (inTop5) top5++;
      if (result.classes[0] === expected) top1++;
      else misses.push({ file: result.name, expected: expected!, top5: result.classes, inTop5 });
    }
    const figure: Accuracy = { model, photos: results.length, top1: top1 / results.length, top5: top5 / results.length, misses };
    figures.push(figure);
    console.log(
      `accuracy ${model}: top-1 ${figure.top1.toFixed(2)} top-5 ${figure.top5.toFixed(2)} (${figure.photos} photos, classified in ${seconds.toFixed(1)} s)`,
    );
  }

  // test-results/accuracy.json (the project's output folder), kept after the run for CI to pick up.
  const report = JSON.stringify({ date: new Date().toISOString(), backend: await app.backend.textContent(), figures }, null, 2);
  await mkdir(testInfo.project.outputDir, { recursive: true });
  await writeFile(path.join(testInfo.project.outputDir, 'accuracy.json'), report);
  await testInfo.attach('accuracy.json', { body: report, contentType: 'application/json' });

  for (const figure of figures) {
    expect.soft(figure.top1, `${figure.model} top-1`).toBeGreaterThanOrEqual(FLOORS[figure.model].top1);
    expect.soft(figure.top5, `${figure.model} top-5`).toBeGreaterThanOrEqual(FLOORS[figure.model].top5);
  }
});
