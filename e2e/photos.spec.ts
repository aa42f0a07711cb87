/** Issue "foundation": photos in, top-5 out, with either model and backend, exports and the model cache. */
import { expect, test } from './fixtures';
import { download } from './support/downloads';
import { CAT, CORGI_CLASSES, DOG, DOMESTIC_CAT_CLASSES } from './support/media';

test.describe('photo classification', () => {
  test('dog.jpg is a Welsh corgi with MobileNet and with ResNet-50; switching the model re-runs the photo', async ({ app, photos }) => {
    test.setTimeout(240_000);
    await app.goto({ model: 'mobilenet_v1_0.75' });
    await app.waitReady('mobilenet_v1_0.75');
    await photos.upload(DOG);
    await photos.waitDone(1, 'mobilenet_v1_0.75');

    const mobilenet = await photos.readPredictions('dog.jpg');
    expect(mobilenet).toHaveLength(5);
    expect(CORGI_CLASSES).toContain(mobilenet[0].classIndex);
    expect(mobilenet[0].label).toMatch(/Pembroke|Cardigan/);
    for (let i = 1; i < mobilenet.length; i++) expect(mobilenet[i].prob).toBeLessThanOrEqual(mobilenet[i - 1].prob);

    const inferencesBefore = await app.inferences();
    await app.modelSelect.selectOption('resnet50');
    // The switch puts the photo back in the queue, then it is done again with the new model.
    await expect(photos.result('dog.jpg')).toHaveAttribute('data-state', 'pending');
    await app.waitReady('resnet50');
    await photos.waitDone(1, 'resnet50');
    await expect(photos.result('dog.jpg')).toHaveAttribute('data-model', 'resnet50');

    const resnet = await photos.readPredictions('dog.jpg');
    expect(resnet).toHaveLength(5);
    expect(CORGI_CLASSES).toContain(resnet[0].classIndex);
    // A different network gives different probabilities: the list really was recomputed.
    expect(resnet.map((p) => p.prob)).not.toEqual(mobilenet.map((p) => p.prob));
    expect(await app.inferences()).toBeGreaterThan(inferencesBefore);
  });

  test('cat.jpg with MobileNet: top-1 is a domestic cat class (281–285)', async ({ app, photos }) => {
    await app.goto({ model: 'mobilenet_v1_0.75' });
    await app.waitReady('mobilenet_v1_0.75');
    await photos.upload(CAT);
    await photos.waitDone(1, 'mobilenet_v1_0.75');
    const [top] = await photos.readPredictions('cat.jpg');
    expect(DOMESTIC_CAT_CLASSES).toContain(top.classIndex);
    expect(top.prob).toBeGreaterThan(0.3);
  });

  test('several files picked at once give one classified result each, with their thumbnails', async ({ app, photos, page }) => {
    await app.goto({ model: 'mobilenet_v1_0.75', automation: true });
    await app.waitReady();
    await photos.upload([DOG, CAT]);
    await photos.waitDone(2);
    await expect(photos.result('dog.jpg')).toHaveCount(1);
    await expect(photos.result('cat.jpg')).toHaveCount(1);
    await expect(photos.predictions('dog.jpg')).toHaveCount(5);
    await expect(photos.predictions('cat.jpg')).toHaveCount(5);
    expect(CORGI_CLASSES).toContain((await photos.readPredictions('dog.jpg'))[0].classIndex);
    expect(DOMESTIC_CAT_CLASSES).toContain((await photos.readPredictions('cat.jpg'))[0].classIndex);

    // Each has its thumbnail (made by the photo worker); removing a photo releases its thumbnail's URL.
    expect(await app.photosPreparedIn()).toBe('photo worker');
    const dog = await photos.thumbnail('dog.jpg');
    const cat = await photos.thumbnail('cat.jpg');
    expect(dog.src).toMatch(/^blob:/);
    expect(Math.min(dog.width, cat.width)).toBeGreaterThan(0);
    const readable = (url: string) => page.evaluate((url) => fetch(url).then((r) => r.ok, () => false), url);
    expect(await readable(dog.src)).toBe(true);
    await photos.remove('dog.jpg');
    await expect.poll(() => readable(dog.src), { timeout: 10_000 }).toBe(false);
    expect(await readable(cat.src)).toBe(true);
  });

  test('a photo dropped on the page is added and classified', async ({ app, photos }) => {
    await app.goto({ model: 'mobilenet_v1_0.75' });
    await app.waitReady();
    await app.drop(DOG, 'dropped-dog.jpg');
    await photos.waitDone(1);
    expect(CORGI_CLASSES).toContain((await photos.readPredictions('dropped-dog.jpg'))[0].classIndex);
  });

  test('a pasted photo is added and classified', async ({ app, photos }) => {
    await app.goto({ model: 'mobilenet_v1_0.75' });
    await app.waitReady();
    await app.paste(CAT, 'pasted-cat.jpg');
    await photos.waitDone(1);
    expect(DOMESTIC_CAT_CLASSES).toContain((await photos.readPredictions('pasted-cat.jpg'))[0].classIndex);
  });

  test('the confidence threshold greys out the classes below it', async ({ app, photos }) => {
    await app.goto({ model: 'mobilenet_v1_0.75' });
    await app.waitReady();
    await photos.upload(DOG);
    await photos.waitDone(1);
    const predictions = await photos.readPredictions('dog.jpg');
    // The greyed-out set must follow the slider exactly: below ⇔ prob < threshold.
    for (const threshold of [0.5, 0.1, 0.9, 0]) {
      await app.threshold.fill(String(threshold));
      await expect(app.threshold).toHaveValue(String(threshold));
      const expected = predictions.map((p) => p.prob < threshold);
      await expect.poll(async () => (await photos.readPredictions('dog.jpg')).map((p) => p.belowThreshold)).toEqual(expected);
    }
    // With MobileNet the top class (≈0.75) sits between 0.5 and 0.9, so the two settings differ.
    expect(predictions[0].prob).toBeGreaterThan(0.5);
    expect(predictions[0].prob).toBeLessThan(0.9);
  });

  test('CSV and JSON exports contain the file name and the top-5 rows', async ({ app, page, photos }) => {
    await app.goto({ model: 'mobilenet_v1_0.75', automation: true });
    await app.waitReady();
    await photos.upload([DOG, CAT]);
    await photos.waitDone(2);
    const dog = await photos.readPredictions('dog.jpg');
    const cat = await photos.readPredictions('cat.jpg');

    const csv = await download(app.page, () => page.getByRole('button', { name: 'CSV', exact: true }).click());
    expect(csv.name).toMatch(/\.csv$/);
    const lines = csv.bytes.toString('utf8').trim().split(/\r?\n/);
    const header = lines[0].split(',');
    expect(header).toEqual(expect.arrayContaining(['source', 'rank', 'class_index', 'probability']));
    const rows = lines.slice(1).map((line) => Object.fromEntries(line.split(',').map((cell, i) => [header[i], cell])));
    expect(rows).toHaveLength(10);
    for (const [name, top] of [['dog.jpg', dog], ['cat.jpg', cat]] as const) {
      const mine = rows.filter((row) => row.source === name);
      expect(mine.map((row) => Number(row.rank))).toEqual([1, 2, 3, 4, 5]);
      expect(mine.map((row) => Number(row.class_index))).toEqual(top.map((p) => p.classIndex));
      mine.forEach((row, i) => expect(Number(row.probability)).toBeCloseTo(top[i].prob, 5));
    }

    const json = await download(app.page, () => page.getByRole('button', { name: 'JSON', exact: true }).click());
    expect(json.name).toMatch(/\.json$/);
    const parsed = JSON.parse(json.bytes.toString('utf8')) as { source: string; predictions: { classIndex: number; wnid: string; label: string; probability: number }[] }[];
    expect(parsed.map((entry) => entry.source).sort()).toEqual(['cat.jpg', 'dog.jpg']);
    for (const [name, top] of [['dog.jpg', dog], ['cat.jpg', cat]] as const) {
      const entry = parsed.find((e) => e.source === name);
      expect(entry?.predictions.map((p) => p.classIndex)).toEqual(top.map((p) => p.classIndex));
      expect(entry?.predictions.map((p) => p.wnid)).toEqual(top.map((p) => p.wnid));
      expect(entry?.predictions.map((p) => p.label)).toEqual(top.map((p) => p.label));
      entry?.predictions.forEach((p, i) => expect(p.probability).toBeCloseTo(top[i].prob, 6));
    }
  });

  test('a file that is not an image gives an error result and an alert; earlier results stay', async ({ app, photos }) => {
    await app.goto({ model: 'mobilenet_v1_0.75' });
    await app.waitReady();
    await photos.upload(DOG);
    await photos.waitDone(1);
    const before = await photos.readPredictions('dog.jpg');

    await photos.upload({ name: 'broken.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('This is a text file, not a JPEG.\n') });
    await expect(photos.results).toHaveCount(2);
    await expect(photos.result('broken.jpg')).toHaveAttribute('data-state', 'error');
    await expect(app.alerts.filter({ hasText: 'broken.jpg' })).toBeVisible();
    await expect(photos.result('broken.jpg')).toContainText(/broken\.jpg/);

    await expect(photos.result('dog.jpg')).toHaveAttribute('data-state', 'done');
    expect(await photos.readPredictions('dog.jpg')).toEqual(before);
  });
});

test.describe('model cache', () => {
  test('the first visit downloads the model; after a reload it comes from IndexedDB', async ({ app, page, photos }) => {
    await app.goto({ model: 'mobilenet_v1_0.75' });
    await app.waitReady('mobilenet_v1_0.75');
    await expect(app.status).toHaveAttribute('data-from-cache', 'false');
    await page.reload();
    await app.waitReady('mobilenet_v1_0.75');
    await expect(app.status).toHaveAttribute('data-from-cache', 'true');
    // A cached model classifies as well as a downloaded one.
    await photos.upload(DOG);
    await photos.waitDone(1);
    expect(CORGI_CLASSES).toContain((await photos.readPredictions('dog.jpg'))[0].classIndex);
  });
});

test.describe('backend choice', () => {
  test('auto picks WASM on this software-rendered machine and says why', async ({ app }) => {
    await app.goto();
    await app.waitReady();
    await expect(app.backend).toHaveText('wasm');
    await expect(app.backendReason).toContainText(/software-rendered/i);
    await expect(app.backendReason).toContainText(/swiftshader/i);
  });

  test('?backend=webgl forces WebGL and dog.jpg is still a corgi with MobileNet', async ({ app, photos }) => {
    test.setTimeout(240_000);
    await app.goto({ backend: 'webgl', model: 'mobilenet_v1_0.75' });
    await app.waitReady('mobilenet_v1_0.75');
    await expect(app.backend).toHaveText('webgl');
    await expect(app.page.getByTestId('settings.backend')).toHaveValue('webgl');
    await photos.upload(DOG);
    await photos.waitDone(1, 'mobilenet_v1_0.75');
    const [top] = await photos.readPredictions('dog.jpg');
    expect(CORGI_CLASSES).toContain(top.classIndex);
  });

  test('WASM on 2 threads and on 1 (?threads=): the header says what the backend uses; dog.jpg gets the same top-5', async ({ app, photos }) => {
    test.setTimeout(240_000);
    const top5: { classIndex: number; prob: number }[][] = [];
    for (const threads of [2, 1]) {
      await app.open('mobilenet_v1_0.75', { backend: 'wasm', threads });
      await expect(app.backendBadge).toContainText(threads === 1 ? 'single thread' : `${threads} threads`);
      await expect(app.backendReason).toContainText(`${threads} thread${threads === 1 ? '' : 's'}, as chosen in Settings`);
      await expect(app.threads).toHaveValue(String(threads));
      await photos.upload(DOG);
      await photos.waitDone(1, 'mobilenet_v1_0.75');
      top5.push((await photos.readPredictions('dog.jpg')).map(({ classIndex, prob }) => ({ classIndex, prob })));
    }
    expect(CORGI_CLASSES).toContain(top5[0][0].classIndex);
    expect(top5[1].map((p) => p.classIndex)).toEqual(top5[0].map((p) => p.classIndex));
    for (const [i, p] of top5[1].entries()) expect(p.prob).toBeCloseTo(top5[0][i].prob, 4);
  });

  test('Settings → WebAssembly threads restarts the backend with that many, remembers it, and Automatic gives half the cores', async ({ app }) => {
    test.setTimeout(240_000);
    await app.open('mobilenet_v1_0.75', { backend: 'wasm' });
    await expect(app.threads).toHaveValue('0');
    await app.threads.selectOption('2');
    await expect(app.backendBadge).toContainText('2 threads');
    await app.waitReady('mobilenet_v1_0.75');
    await app.page.reload();
    await app.waitReady('mobilenet_v1_0.75');
    await expect(app.threads).toHaveValue('2');
    await expect(app.backendBadge).toContainText('2 threads');
    await app.threads.selectOption('0');
    const cores = await app.page.evaluate(() => navigator.hardwareConcurrency);
    const automatic = Math.min(8, Math.max(1, Math.floor(cores / 2)));
    await expect(app.backendBadge).toContainText(automatic === 1 ? 'single thread' : `${automatic} threads`);
    await app.waitReady('mobilenet_v1_0.75');
  });
});
