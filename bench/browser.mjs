/**
 * Drives headless Chromium for the benchmark and the soak: one persistent profile per "visit" (fresh =
 * cold, reused = warm), the app through its automation API (`?automation` → window.whatsInThePicture) and
 * test ids, the peer page through `window.peer`. With `instrument`, long tasks are collected by a
 * PerformanceObserver installed before any page script runs (not in the soak: the lists would grow).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../scripts/chromium-args.mjs';
import { heapAfterGc } from './memory.mjs';
import { browserThreadTimes, cpuParts, threadTimeSpent } from './processes.mjs';
import { workerShares } from './stats.mjs';

/** The shared flags, plus precise heap figures and full-rate timers and rendering in a page nobody looks at. */
const HARNESS_ARGS = [
  ...CHROMIUM_ARGS,
  '--enable-precise-memory-info',
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
];

/** performance.now() of the page; all in-page times below are on this clock (0 = navigation start). */
const INIT_SCRIPT = `(() => {
  if (window.__bench) return;
  const bench = { longTasks: [], loafs: [] };
  Object.defineProperty(window, '__bench', { value: bench });
  /** Resolves with the first of the selectors to match, and when (no polling: a MutationObserver). */
  bench.watch = (selectors) => new Promise((resolve) => {
    const check = () => selectors.find((s) => document.querySelector(s)) ?? null;
    const hit = check();
    if (hit) return resolve({ selector: hit, t: performance.now() });
    const observer = new MutationObserver(() => {
      const found = check();
      if (found) {
        observer.disconnect();
        resolve({ selector: found, t: performance.now() });
      }
    });
    observer.observe(document, { subtree: true, childList: true, attributes: true });
  });
  bench.ready = bench.watch([
    '[data-testid="model.status"][data-state="ready"]',
    '[data-testid="model.status"][data-state="error"]',
    'body[data-state="ready"]',
    'body[data-state="live"]',
    'body[data-state="error"]',
  ]);
})();`;

const LONG_TASKS_SCRIPT = `(() => {
  const bench = window.__bench;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) bench.longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  // Long animation frames name the scripts that made them long (for the JSON, to find the culprits).
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        bench.loafs.push({
          start: e.startTime,
          duration: e.duration,
          blocking: e.blockingDuration,
          scripts: (e.scripts || []).map((s) => ({ src: s.sourceURL, fn: s.sourceFunctionName, invoker: s.invoker, duration: s.duration })),
        });
      }
    }).observe({ type: 'long-animation-frame', buffered: true });
  } catch {
    // Not supported: no attribution.
  }
})();`;

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function withTimeout(promise, ms, what) {
  let timer;
  try {
    return await Promise.race([
      promise,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${Math.round(ms / 1000)} s: ${what}`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** A fresh, empty browser profile directory (remove it when done). */
export const newProfile = () => mkdtemp(join(tmpdir(), 'witp-bench-'));

/**
 * A browser on a profile directory (none: a fresh one, removed on close); `errors` collects uncaught page
 * errors and crashes; close() ends it.
 */
export async function openVisit(profile = null, { instrument = true } = {}) {
  const userDataDir = profile ?? (await newProfile());
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: HARNESS_ARGS,
    viewport: { width: 1280, height: 900 },
  });
  await context.addInitScript(INIT_SCRIPT);
  if (instrument) await context.addInitScript(LONG_TASKS_SCRIPT);
  const page = context.pages()[0] ?? (await context.newPage());
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('crash', () => errors.push('the page crashed'));
  const cdp = await context.newCDPSession(page);
  return {
    page,
    cdp,
    errors,
    userDataDir,
    close: async () => {
      await context.close();
      if (!profile) await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

async function readyOrThrow(page, timeoutMs, what) {
  const hit = await withTimeout(page.evaluate(() => window.__bench.ready), timeoutMs, what);
  if (hit.selector.includes('error')) {
    const message = await page.evaluate(() => {
      const api = window.whatsInThePicture;
      if (api) return api.state().modelError;
      return window.peer?.stats().error ?? document.body.textContent;
    });
    throw new Error(`${what}: the page reported an error: ${message}`);
  }
  return hit.t;
}

/** Script time inside long animation frames in [from, to), by script and function, largest first. */
export async function attribution(page, from, to) {
  return page.evaluate(
    ([a, b]) => {
      const byScript = new Map();
      let frames = 0;
      for (const f of window.__bench.loafs) {
        if (f.start < a || f.start >= b) continue;
        frames++;
        for (const s of f.scripts) {
          const key = `${s.invoker || '?'} (${(s.src || '').split('/').pop() || 'inline'}${s.fn ? ` ${s.fn}` : ''})`;
          byScript.set(key, (byScript.get(key) ?? 0) + s.duration);
        }
      }
      return {
        longAnimationFrames: frames,
        topScripts: [...byScript.entries()].sort((x, y) => y[1] - x[1]).slice(0, 5).map(([script, ms]) => ({ script, ms: Math.round(ms) })),
      };
    },
    [from, to],
  );
}

function longTasksBetween(tasks, from, to) {
  const inWindow = tasks.filter((t) => t.start >= from && t.start < to);
  return {
    count: inWindow.length,
    totalMs: inWindow.reduce((s, t) => s + t.duration, 0),
    longestMs: inWindow.reduce((m, t) => Math.max(m, t.duration), 0),
  };
}

/** The app's slow state, without the store's functions (which cannot leave the page). */
async function appState(page, modelId) {
  return page.evaluate((id) => {
    const s = window.whatsInThePicture.state();
    return {
      modelState: s.modelState,
      modelError: s.modelError,
      backend: s.backend,
      latency: s.latency?.[id] ?? null,
      liveStatus: s.liveStatus,
      liveMessage: s.liveMessage,
      crossOriginIsolated: self.crossOriginIsolated,
    };
  }, modelId);
}

/** `&threads=N` for the app and the peer page: WASM threads asked for (0 or none: the automatic choice). */
const threadsQuery = (threads) => (threads > 0 ? `&threads=${threads}` : '');

/** Opens the app with its automation API on a model and backend; resolves when the model is ready (page clock). */
export async function openApp({ page }, { origin, modelId, backend, threads = 0, readyTimeoutMs }) {
  await page.goto(`${origin}/?automation&model=${encodeURIComponent(modelId)}&backend=${encodeURIComponent(backend)}${threadsQuery(threads)}`, { waitUntil: 'commit', timeout: 60_000 });
  return readyOrThrow(page, readyTimeoutMs, `${modelId}/${backend}: model ready`);
}

/** "Start webcam" / "Stop webcam". */
export const toggleWebcam = ({ page }) => page.locator('[data-testid="source.webcam"]').click();

/**
 * Opens the app, waits until the model is ready, then (optionally) classifies `photo` and times it.
 * Returns the worker-side load figures, the wall-clock from navigation, model bytes served, long tasks.
 */
export async function appVisit(visit, { origin, server, modelId, backend, threads, photo, readyTimeoutMs, predictTimeoutMs }) {
  const { page } = visit;
  server.resetCounters();
  const readyAt = await openApp(visit, { origin, modelId, backend, threads, readyTimeoutMs });
  const state = await appState(page, modelId);
  const transfer = {
    modelBytes: server.counters.modelBytes,
    modelRequests: server.counters.modelRequests,
    spanMs: server.counters.firstModelAt && server.counters.lastModelAt ? server.counters.lastModelAt - server.counters.firstModelAt : null,
  };
  const loadTasks = await page.evaluate((t) => window.__bench.longTasks.filter((x) => x.start < t), readyAt);
  const result = {
    navToReadyMs: readyAt,
    loadMs: state.latency?.loadMs ?? null,
    warmupMs: state.latency?.warmupMs ?? null,
    fromCache: state.latency?.fromCache ?? null,
    backend: state.backend,
    crossOriginIsolated: state.crossOriginIsolated,
    transfer,
    loadLongTasks: longTasksBetween(loadTasks, 0, Infinity),
    loadAttribution: await attribution(page, 0, readyAt),
  };
  if (photo) {
    await page.evaluate(() => {
      window.__bench.t0 = performance.now();
      window.__bench.done = window.__bench.watch(['[data-testid="result"][data-state="done"]', '[data-testid="result"][data-state="error"]']);
    });
    await page.locator('[data-testid="source.file"]').setInputFiles(photo);
    const done = await withTimeout(
      page.evaluate(() => window.__bench.done.then((d) => ({ ...d, t0: window.__bench.t0 }))),
      predictTimeoutMs,
      `${modelId}/${backend}: first prediction`,
    );
    if (done.selector.includes('error')) throw new Error(`${modelId}/${backend}: the photo could not be classified`);
    const after = await appState(page, modelId);
    result.firstPrediction = { wallMs: done.t - done.t0, workerMs: after.latency?.samples?.[0] ?? null };
  }
  return result;
}

/**
 * Bare predict()+read vs the full per-frame pipeline, interleaved in the worker. A separate warm-up
 * call comes first: the first few pairs after a load are slower (JIT warm-up of the JS around the
 * kernels; it hit the bare path harder, which had not run before), and they are not kept in the figures.
 */
export async function benchPredict(page, runs, warmupRuns, timeoutMs) {
  const call = (n) => withTimeout(page.evaluate((k) => window.whatsInThePicture.benchPredict(k), n), timeoutMs, `benchPredict(${n})`);
  const warmup = warmupRuns > 0 ? await call(warmupRuns) : { bareMs: [], fullMs: [] };
  const reply = await call(runs);
  return { bareMs: reply.bareMs, fullMs: reply.fullMs, warmup: { bareMs: warmup.bareMs, fullMs: warmup.fullMs } };
}

/** Counters (frames, tensors) right now, then the heap after a forced GC. */
async function memorySample(visit, read) {
  return { ...(await visit.page.evaluate(read)), ...(await heapAfterGc(visit)) };
}

/** Polls `probe.counters` until `count` frames are inferred; throws on a page error or after `timeoutMs`. */
export async function waitForFrames({ page }, probe, count, timeoutMs, label) {
  const started = Date.now();
  for (;;) {
    const s = await page.evaluate(probe.counters);
    if (s.error) throw new Error(`${label}: ${s.error}`);
    if (s.frames >= count) return s;
    if (Date.now() - started > timeoutMs) throw new Error(`${label}: only ${s.frames} frames after ${Math.round(timeoutMs / 1000)} s`);
    await sleep(100);
  }
}

/**
 * The common live protocol for the app and the peer: wait for `warmFrames` inferences, sample memory,
 * measure fps / drops / long tasks over `seconds` (sampling memory again when `targetFrames` is
 * passed), go on after the window until `targetFrames` if it can be reached within `extraCapMs`, and
 * sample memory at the end. Long tasks that overlap a forced GC are left out (and counted).
 */
async function measureLive(visit, probe, { seconds, warmFrames, targetFrames, extraCapMs, startTimeoutMs, label, onProgress }) {
  const { page } = visit;
  await waitForFrames(visit, probe, warmFrames, startTimeoutMs, label);
  const memWarm = await memorySample(visit, probe.memory);
  const gcWindows = [memWarm.gcWindow];
  let memTarget = null;
  const cpuStart = browserThreadTimes(visit.userDataDir);
  const start = await page.evaluate(probe.counters);
  const inferSamples = [];
  let lastInferSample = 0;
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    await sleep(Math.min(250, Math.max(0, deadline - Date.now())));
    const s = await page.evaluate(probe.counters);
    if (s.error) throw new Error(`${label}: ${s.error}`);
    if (probe.sampleInferMs && s.inferMs > 0 && Date.now() - lastInferSample >= 1000) {
      inferSamples.push(s.inferMs);
      lastInferSample = Date.now();
    }
    if (!memTarget && s.frames >= targetFrames && Date.now() < deadline - 500) {
      memTarget = await memorySample(visit, probe.memory);
      gcWindows.push(memTarget.gcWindow);
    }
    onProgress?.(s, deadline - Date.now());
  }
  const end = await page.evaluate(probe.counters);
  const cpuSpent = threadTimeSpent(cpuStart, browserThreadTimes(visit.userDataDir));
  const allTasks = await page.evaluate(([from, to]) => window.__bench.longTasks.filter((x) => x.start >= from && x.start < to), [start.t, end.t]);
  const overlapsGc = (task) => gcWindows.some(([a, b]) => task.start < b && task.start + task.duration > a);
  const tasks = allTasks.filter((task) => !overlapsGc(task));
  const windowMs = end.t - start.t;
  const frames = end.frames - start.frames;
  const fps = frames / (windowMs / 1000);
  if (!memTarget) {
    // Keep going to the memory target if it can be reached in reasonable time.
    let last = end;
    const remaining = targetFrames - last.frames;
    if (remaining > 0 && fps > 0 && (remaining / fps) * 1000 <= extraCapMs) {
      const until = Date.now() + extraCapMs + 2000;
      while (last.frames < targetFrames && Date.now() < until) {
        await sleep(100);
        last = await page.evaluate(probe.counters);
      }
    }
    if (last.frames >= targetFrames) memTarget = await memorySample(visit, probe.memory);
  }
  const memEnd = await memorySample(visit, probe.memory);
  const inferMs = probe.inferBetween ? await page.evaluate(probe.inferBetween, [start.t, end.t]) : inferSamples;
  return {
    windowMs,
    frames,
    fps,
    newFrames: end.newFrames !== undefined ? end.newFrames - start.newFrames : frames,
    presented: end.presented - start.presented,
    cameraFps: (end.presented - start.presented) / (windowMs / 1000),
    dropped: end.dropped !== undefined ? end.dropped - start.dropped : null,
    appFps: end.appFps ?? null,
    inferMs,
    worker: workerShares(start.clock, end.clock),
    /** CPU ms per inferred frame by thread (the page's workers taken as the model's). */
    cpu: cpuParts(null, 0, cpuSpent, frames),
    longTasks: { ...longTasksBetween(tasks, start.t, end.t), excludedForGc: allTasks.length - tasks.length },
    longTaskList: tasks.map((t) => Math.round(t.duration)),
    attribution: await attribution(page, start.t, end.t),
    memory: { warm: memWarm, target: memTarget, end: memEnd },
  };
}

/** The app's live counters, through the automation API (`error`: the live session or the model failed). */
export const APP_PROBE = {
  counters: () => {
    const s = window.whatsInThePicture.liveStats();
    const st = window.whatsInThePicture.state();
    const bad = st.liveStatus && !['live', 'requesting', 'idle'].includes(st.liveStatus);
    return {
      t: performance.now(),
      frames: s.frames,
      dropped: s.dropped,
      presented: s.presented,
      appFps: s.fps,
      inferMs: s.inferMs,
      numTensors: s.numTensors,
      clock: window.whatsInThePicture.workerClock(),
      error: bad ? `live status ${st.liveStatus}: ${st.liveMessage}` : st.modelState === 'error' ? st.modelError : null,
    };
  },
  memory: () => ({ frames: window.whatsInThePicture.liveStats().frames, numTensors: window.whatsInThePicture.liveStats().numTensors, heap: performance.memory?.usedJSHeapSize ?? null }),
  sampleInferMs: true,
};

const PEER_PROBE = {
  counters: () => {
    const s = window.peer.stats();
    return { t: performance.now(), frames: s.frames, newFrames: s.newFrames, presented: s.presented, error: s.error };
  },
  memory: () => ({ frames: window.peer.stats().frames, numTensors: window.peer.numTensors(), heap: performance.memory?.usedJSHeapSize ?? null }),
  inferBetween: ([from, to]) => window.peer.inferencesBetween(from, to),
};

/**
 * Our app with the (fake) webcam: a fresh navigation in a warm profile, then "Start webcam". With `bare`
 * (runs, warm-up runs, timeout), the bare predict is timed in the same visit just before the webcam
 * starts and again once it has stopped, for the live/bare ratio.
 */
export async function appLive(visit, { origin, modelId, backend, threads, readyTimeoutMs, bare = null, ...options }) {
  await openApp(visit, { origin, modelId, backend, threads, readyTimeoutMs });
  const bareTimes = (runs, warmup) => benchPredict(visit.page, runs, warmup, bare.timeoutMs).then((b) => b.bareMs);
  const before = bare ? await bareTimes(bare.runs, bare.warmup) : null;
  await toggleWebcam(visit);
  const result = await measureLive(visit, APP_PROBE, { ...options, label: `${modelId}/${backend} app live` });
  await toggleWebcam(visit).catch(() => undefined);
  if (before) result.bareMs = { before, after: await bareTimes(bare.runs, 0) };
  return result;
}

/** The peer page: TF.js on the main thread, demo-style rAF loop over the same fake camera. */
export async function peerLive(visit, { origin, modelId, backend, threads = 0, readyTimeoutMs, ...options }) {
  const { page } = visit;
  await page.goto(`${origin}/peer/?model=${encodeURIComponent(modelId)}&backend=${encodeURIComponent(backend)}${threadsQuery(threads)}`, { waitUntil: 'commit' });
  await readyOrThrow(page, readyTimeoutMs, `${modelId}/${backend}: peer model ready`);
  const info = await page.evaluate(() => window.peer.stats());
  if (info.backend !== backend) throw new Error(`peer page runs ${info.backend}, not ${backend}`);
  const result = await measureLive(visit, PEER_PROBE, { ...options, label: `${modelId}/${backend} peer live` });
  result.peer = { loadMs: info.loadMs, warmupMs: info.warmupMs, wasmThreads: info.wasmThreads };
  await page.evaluate(() => window.peer.stop()).catch(() => undefined);
  return result;
}
