/**
 * The benchmark's batch row: a folder of generated photos picked through `source.folder`, as a user with
 * a folder does. Photos/s against the bare model rate in the same visit, the browser's memory (all its
 * processes) at each checkpoint, main-thread long tasks during the batch (the pick's own task apart), and
 * the CPU time each photo costs by thread against one bare prediction's.
 */
import { link, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attribution, benchPredict, openApp, sleep } from './browser.mjs';
import { MEDIA } from './harness.mjs';
import { heapAfterGc } from './memory.mjs';
import { browserMemory, browserThreadTimes, cpuParts, threadTimeSpent } from './processes.mjs';
import { median, workerShares } from './stats.mjs';

const SAMPLES = join(MEDIA, 'imagenet-sample');

/**
 * A folder of `count` photos: hard links to the shared ImageNet samples (≈ 500×375 JPEGs) under new
 * names, so thousands cost no disk; the browser reads each as a separate file.
 */
export async function photoFolder(count) {
  const samples = (await readdir(SAMPLES)).filter((name) => name.endsWith('.jpg')).sort();
  const dir = await mkdtemp(join(tmpdir(), 'witp-batch-'));
  for (let i = 0; i < count; i++) {
    const sample = samples[i % samples.length];
    await link(join(SAMPLES, sample), join(dir, `${String(i).padStart(5, '0')}-${sample}`));
  }
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

const done = (page) =>
  page.evaluate(() => ({
    t: performance.now(),
    done: Number(document.querySelector('[data-testid="results"]')?.getAttribute('data-done') ?? 0),
    clock: window.whatsInThePicture.workerClock(),
  }));

/**
 * One batch of max(checkpoints) photos in a visit: bare rate first (benchPredict), then the folder, then
 * the bare rate again; at each checkpoint (photos finished) a memory sample after a forced GC. Rate = photos finished per second
 * from the `skip`-th photo (after the start-up) to the end, the forced GCs left out.
 */
export async function appBatch(visit, { origin, modelId, backend, threads, readyTimeoutMs, checkpoints, folder, runs = 10, warmup = 5, log }) {
  const { page } = visit;
  await openApp(visit, { origin, modelId, backend, threads, readyTimeoutMs });
  const bare = await benchPredict(page, runs, warmup, 900_000);
  await sleep(1000);
  const before = { browser: browserMemory(visit.userDataDir), ...(await heapAfterGc(visit)) };
  const total = Math.max(...checkpoints);
  const skip = Math.min(20, Math.floor(total / 10));
  // When the input's change event fires: the task around it is Chromium building the picked files' list
  // (before the app sees them), reported apart from the batch's own tasks.
  const started = await page.evaluate(() => {
    document.addEventListener('change', () => (window.__bench.changeAt = performance.now()), { capture: true, once: true });
    return performance.now();
  });
  await page.locator('[data-testid="source.folder"]').setInputFiles(folder);
  const samples = [];
  let first = null;
  const gcWindows = [];
  let cpuFirst = null;
  let cpuEnd = null;
  /** The first photo counted in the rate, and the threads' CPU time then. */
  const countFrom = (now) => {
    first = now;
    cpuFirst = browserThreadTimes(visit.userDataDir);
  };
  for (const checkpoint of [...checkpoints].sort((a, b) => a - b)) {
    let now = await done(page);
    while (now.done < checkpoint) {
      if (!first && now.done >= skip) countFrom(now);
      await sleep(500);
      now = await done(page);
      if (visit.errors.length) throw new Error(`batch: ${visit.errors.join('; ')}`);
    }
    if (!first) countFrom(now);
    const last = now;
    if (checkpoint === total) cpuEnd = browserThreadTimes(visit.userDataDir);
    const heap = await heapAfterGc(visit);
    gcWindows.push(heap.gcWindow);
    samples.push({ photos: checkpoint, at: last, browser: browserMemory(visit.userDataDir), heapAfterGc: heap.heapAfterGc });
    log?.(`batch ${modelId}/${backend}: ${checkpoint} photos, browser ${Math.round((samples.at(-1).browser?.pss ?? 0) / 1e6)} MB`);
  }
  const end = samples.at(-1).at;
  // The bare rate again after the batch: on a shared machine the load drifts over a long batch, and the
  // two together bracket it (the rate is compared with the median of both).
  const cpuBareStart = browserThreadTimes(visit.userDataDir);
  const bareAfter = await benchPredict(page, runs, 0, 900_000);
  const cpuBare = threadTimeSpent(cpuBareStart, browserThreadTimes(visit.userDataDir));
  const bareMs = median([...bare.bareMs, ...bareAfter.bareMs]);
  // Long tasks of the batch, not those of the forced GCs at the checkpoints.
  const { all, changeAt } = await page.evaluate(([a, b]) => ({ all: window.__bench.longTasks.filter((x) => x.start >= a && x.start < b), changeAt: window.__bench.changeAt }), [started, end.t]);
  const pick = all.find((x) => x.start <= changeAt && changeAt <= x.start + x.duration) ?? null;
  const tasks = all.filter((x) => x !== pick && !gcWindows.some(([a, b]) => x.start < b && x.start + x.duration > a));
  const over100 = tasks.filter((x) => x.duration > 100);
  const gcMs = gcWindows.slice(0, -1).reduce((sum, [a, b]) => sum + (b - a), 0);
  const perSecond = ((end.done - first.done) * 1000) / (end.t - first.t - gcMs);
  return {
    photos: total,
    bareMs,
    bareMsBefore: median(bare.bareMs),
    bareMsAfter: median(bareAfter.bareMs),
    bareRate: 1000 / bareMs,
    perSecond,
    ratio: perSecond / (1000 / bareMs),
    wallMs: end.t - started,
    /** The worker's own account from the `skip`-th photo to the end (the forced GCs at the checkpoints included). */
    worker: workerShares(first.clock, end.clock),
    /**
     * CPU ms per bare prediction (`benchPredict` after the batch) and per photo, by thread. The threads that
     * ran the bare predictions are the model's; in the batch the page's other workers are the photo worker.
     */
    cpu: cpuParts(cpuBare, bareAfter.bareMs.length + bareAfter.fullMs.length, threadTimeSpent(cpuFirst, cpuEnd), end.done - first.done),
    before,
    samples,
    /** The task that delivered the picked files (Chromium building their list; the app's change handler is in it). */
    pickTask: pick && { ms: Math.round(pick.duration), scripts: (await attribution(page, pick.start - 100, pick.start + pick.duration)).topScripts },
    /** The batch's own long tasks (after the pick, the forced GCs left out). */
    longTasks: {
      count: tasks.length,
      over100: over100.length,
      longestMs: Math.max(0, ...tasks.map((x) => x.duration)),
      /** The five longest, with their start in ms after the folder was picked. */
      longest: await Promise.all(
        [...tasks]
          .sort((a, b) => b.duration - a.duration)
          .slice(0, 5)
          .map(async (x) => ({ afterStartMs: Math.round(x.start - started), ms: Math.round(x.duration), scripts: (await attribution(page, x.start - 100, x.start + x.duration)).topScripts })),
      ),
    },
  };
}
