/**
 * Issue 11 parts 2 and 3: "why A and not B" (contrastive maps) and the faithfulness check (deletion /
 * insertion curves), on real photos, a real paused video frame and the real model in Chromium.
 */
import { expect, test } from './fixtures';
import { seriousAxeViolations } from './support/axe';
import { makeClip } from './support/ffmpeg';
import { CORGI_CLASSES, DOG, KITCHEN_WEBM, MOBILENET } from './support/media';
import { isPng, pngSize } from './support/png';

const CARDIGAN = 264;
const PEMBROKE = 263;
const distance = (p: { x: number; y: number }, q: { x: number; y: number }) => Math.hypot(p.x - q.x, p.y - q.y);

test.describe('why A and not B', () => {
  test('dog.jpg: Cardigan vs Pembroke peaks in two different places, swapping swaps them, for CAM and Grad-CAM; no new forward pass', async ({ app, photos, heatmaps, explanations }) => {
    await app.open(MOBILENET);
    await photos.upload(DOG);
    await photos.waitDone(1, MOBILENET);
    const top = await photos.readPredictions('dog.jpg');
    expect(CORGI_CLASSES).toContain(top[0].classIndex);
    // Defaults: A = top-1, B = top-2.
    const defaults = await explanations.readContrast();
    expect([defaults.a, defaults.b]).toEqual([top[0].classIndex, top[1].classIndex]);
    const before = await app.inferences();

    for (const method of ['cam', 'gradcam'] as const) {
      await heatmaps.setMethod(method);
      const ab = await explanations.compare(CARDIGAN, PEMBROKE);
      expect(ab.method).toBe(method);
      console.log(`${method} Cardigan vs Pembroke: A (${ab.peakA.x}, ${ab.peakA.y}), B (${ab.peakB.x}, ${ab.peakB.y})`);
      for (const p of [ab.peakA, ab.peakB]) {
        expect(p.x).toBeGreaterThanOrEqual(0);
        expect(p.x).toBeLessThanOrEqual(1);
        expect(p.y).toBeGreaterThanOrEqual(0);
        expect(p.y).toBeLessThanOrEqual(1);
      }
      expect(distance(ab.peakA, ab.peakB)).toBeGreaterThan(0.05);

      const ba = await explanations.swapClasses();
      expect([ba.a, ba.b]).toEqual([PEMBROKE, CARDIGAN]);
      expect(ba.peakA).toEqual(ab.peakB);
      expect(ba.peakB).toEqual(ab.peakA);
    }
    expect(await app.inferences()).toBe(before);

    const png = await explanations.downloadContrastPng();
    expect(png.name).toMatch(/dog-Pembroke-vs-Cardigan\.png$/);
    expect(isPng(png.bytes)).toBe(true);
    const { width, height } = pngSize(png.bytes);
    expect(width).toBe(2 * height);
  });

  test('a paused video frame: the contrast works on it like on a photo', async ({ app, live, photos, explanations }, testInfo) => {
    const clip = await makeClip(KITCHEN_WEBM, testInfo.outputPath('clip.webm'), { frames: 75 });
    await app.open(MOBILENET);
    await live.openVideo(clip);
    await expect(live.panel).toHaveAttribute('data-status', 'live');
    await live.waitForFrames(3);
    await live.snapshot.click();
    const result = app.page.locator('[data-testid="result"][data-source-name^="clip.webm @ "]');
    await expect(result).toHaveCount(1);
    const name = (await result.getAttribute('data-source-name')) ?? '';
    await photos.waitDone(1, MOBILENET);
    const top = await photos.readPredictions(name);

    const ab = await explanations.readContrast();
    expect([ab.a, ab.b]).toEqual([top[0].classIndex, top[1].classIndex]);
    expect(distance(ab.peakA, ab.peakB)).toBeGreaterThan(0);
    const ba = await explanations.swapClasses();
    expect(ba.peakA).toEqual(ab.peakB);
    expect(ba.peakB).toEqual(ab.peakA);
  });
});

test.describe('faithfulness check', () => {
  test('dog.jpg: runs in the worker in steps while the page responds; CAM deletes the class faster than a random order; CSV and PNG', async ({ app, photos, explanations }) => {
    await app.open(MOBILENET);
    await photos.upload(DOG);
    await photos.waitDone(1, MOBILENET);
    const top1 = await photos.top1('dog.jpg');
    await explanations.watchCheck();
    await explanations.startCheck();

    // The page answers and its controls work while the check runs (the contrast is served between batches).
    expect(await app.page.evaluate(() => document.title.length)).toBeGreaterThan(0);
    const top = await photos.readPredictions('dog.jpg');
    await explanations.contrastB.selectOption(String(top[2].classIndex));
    const contrast = await explanations.readContrast();
    expect(contrast.b).toBe(top[2].classIndex);
    // …served between two batches, not after the whole check (about 90 images in batches of 4).
    expect(await explanations.faithfulness.getAttribute('data-state')).toBe('running');

    const aucs = await explanations.waitCheckDone();
    console.log(`faithfulness dog.jpg class ${aucs.classIndex}: ${JSON.stringify(aucs.byOrder)}`);
    expect(aucs.classIndex).toBe(top1);
    expect(aucs.method).toBe('cam');
    expect(aucs.deletion).toBe(aucs.byOrder.cam.deletion);
    expect(aucs.deletion).toBeLessThan(aucs.randomDeletion);
    for (const order of Object.values(aucs.byOrder)) {
      for (const auc of [order.deletion, order.insertion]) {
        expect(auc).toBeGreaterThanOrEqual(0);
        expect(auc).toBeLessThanOrEqual(1);
      }
    }
    // It really ran in steps, with progress shown while running.
    const log = await explanations.checkLog();
    expect(log.some((entry) => entry.state === 'running' && entry.done > 0 && entry.done < entry.total)).toBe(true);
    expect(log[log.length - 1].state).toBe('done');

    const csv = await explanations.downloadCurvesCsv();
    expect(csv.name).toMatch(/^dog-.*-faithfulness\.csv$/);
    const [header, ...rows] = csv.rows;
    expect(header).toEqual(['class_index', 'class', 'order', 'curve', 'step', 'fraction', 'probability']);
    const curves = new Map<string, string[][]>();
    for (const row of rows) curves.set(`${row[2]} ${row[3]}`, [...(curves.get(`${row[2]} ${row[3]}`) ?? []), row]);
    expect([...curves.keys()].sort()).toEqual(['cam deletion', 'cam insertion', 'gradcam deletion', 'gradcam insertion', 'random deletion', 'random insertion']);
    for (const curve of curves.values()) {
      expect(curve).toHaveLength(aucs.steps + 1);
      expect(curve.map((r) => Number(r[4]))).toEqual([...Array(aucs.steps + 1).keys()]);
      expect(Number(curve[aucs.steps][5])).toBe(1);
    }
    // The CSV is the same measurement as the numbers shown: its CAM deletion curve's area matches.
    const camDeletion = curves.get('cam deletion')!.map((r) => Number(r[6]));
    const area = camDeletion.slice(1).reduce((sum, p, i) => sum + (p + camDeletion[i]) / 2 / aucs.steps, 0);
    expect(area).toBeCloseTo(aucs.deletion, 3);

    const png = await explanations.downloadChartPng();
    expect(isPng(png.bytes)).toBe(true);
    expect(pngSize(png.bytes).width).toBeGreaterThan(300);

    // The finished panels (chart, table, contrast) are accessible and fit the narrowest phones.
    expect(await seriousAxeViolations(app.page, ['.subpanel']), 'serious/critical axe violations').toEqual([]);
    await app.page.setViewportSize({ width: 360, height: 740 });
    await expect(explanations.faithfulness.locator('svg')).toBeVisible();
    expect(await app.sidewaysScroll()).toBe(0);
  });

  test('Cancel stops the check between batches: it ends before the last image, and says so', async ({ app, photos, explanations }) => {
    await app.open(MOBILENET);
    await photos.upload(DOG);
    await photos.waitDone(1, MOBILENET);
    await explanations.watchCheck();
    await explanations.startCheck();
    await expect(explanations.progress).toHaveAttribute('value', /^[1-9]\d*$/);
    await explanations.cancelCheck.click();
    // "cancelled" comes only from the worker's answer, after it left the loop between two batches.
    await expect(explanations.faithfulness).toHaveAttribute('data-state', 'cancelled');
    await expect(explanations.faithfulness).toContainText('Cancelled');
    const log = await explanations.checkLog();
    const running = log.filter((entry) => entry.state === 'running');
    const total = Math.max(...running.map((entry) => entry.total));
    expect(Math.max(...running.map((entry) => entry.done))).toBeLessThan(total);
    await expect(explanations.runCheck).toBeEnabled();
    await expect(app.page.getByRole('alert')).toHaveCount(0);
  });
});
