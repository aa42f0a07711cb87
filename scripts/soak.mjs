#!/usr/bin/env node
/**
 * Soak test: runs the live webcam pipeline for a long time and watches for leaks and slow-downs.
 *
 *   npm run soak                     # 5 minutes
 *   npm run soak -- --minutes 30     # longer
 *   npm run soak -- --no-build       # reuse the last soak build (or --dist DIR for another build)
 *
 * Builds the production app (vite build into a temporary folder), serves it with `vite preview` (the
 * production headers: COOP/COEP, CSP), opens it in headless Chromium on the fake camera (the kitchen
 * video, as the e2e tests), starts the webcam with MobileNet on the automatic backend, and samples
 * every 30 s (--interval S): frames inferred, fps, dropped frames, tensors alive (HUD
 * data-num-tensors), the page's JS heap (V8's used size after a full GC, through DevTools; also
 * `performance.memory.usedJSHeapSize` with --enable-precise-memory-info, which lags) and the inference worker's `tf.memory()` (numTensors, numBytes, and
 * numBytesInGPU on WebGL), read in the worker through TF.js's engine global (`self._tfengine`).
 * Prints start/end/max and a verdict per metric and writes bench-results/soak-<timestamp>.json.
 * Exit code 1 when a memory metric grows, the pipeline stops, or the page reports an error.
 */
import { CHROMIUM_ARGS as BASE_CHROMIUM_ARGS, FAKE_CAMERA } from './chromium-args.mjs';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';

const ROOT = path.resolve(import.meta.dirname, '..');

/** The shared flags, plus precise memory figures and gc(). */
const CHROMIUM_ARGS = [
  ...BASE_CHROMIUM_ARGS,
  '--enable-precise-memory-info',
  '--js-flags=--expose-gc',
  // A soak runs unattended: keep timers and rendering at full rate even without a visible window.
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
];

const { values: options } = parseArgs({
  options: {
    minutes: { type: 'string', default: '5' },
    interval: { type: 'string', default: '30' },
    build: { type: 'boolean', default: true },
    'no-build': { type: 'boolean', default: false },
    dist: { type: 'string' },
    port: { type: 'string' },
    model: { type: 'string', default: 'mobilenet_v1_0.75' },
    backend: { type: 'string', default: 'auto' },
    help: { type: 'boolean', default: false },
  },
});

if (options.help) {
  console.log('usage: npm run soak -- [--minutes 5] [--interval 30] [--no-build] [--dist DIR] [--port N] [--model ID] [--backend auto|webgl|wasm|cpu]');
  process.exit(0);
}

const minutes = Number(options.minutes);
const intervalS = Number(options.interval);
if (!(minutes > 0) || !(intervalS >= 5)) throw new Error('--minutes must be > 0 and --interval ≥ 5 (seconds)');
const build = options.build && !options['no-build'];
const dist = path.resolve(options.dist ?? path.join(os.tmpdir(), 'witp-soak-dist'));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (...args) => console.log(`[soak ${new Date().toISOString().slice(11, 19)}]`, ...args);

function run(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`))));
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** `vite preview` in its own process group (so stopping it also stops what npx started). */
async function startPreview(port) {
  const vite = path.join(ROOT, 'node_modules/.bin/vite');
  const child = spawn(vite, ['preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort', '--outDir', dist], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${port}/`;
  for (let i = 0; i < 120; i++) {
    if (child.exitCode !== null) throw new Error(`vite preview exited (${child.exitCode}):\n${output}`);
    try {
      const response = await fetch(url);
      if (response.ok) return { url, stop: () => stopGroup(child) };
    } catch {
      // not up yet
    }
    await sleep(500);
  }
  stopGroup(child);
  throw new Error(`vite preview did not answer on ${url}:\n${output}`);
}

function stopGroup(child) {
  if (child.exitCode !== null || !child.pid) return;
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    child.kill('SIGTERM');
  }
}

/** tf.memory() of the inference worker, or why it cannot be read. */
async function workerMemory(page) {
  const worker = page.workers().find((w) => /inference\.worker/.test(w.url()));
  if (!worker) return { error: 'no inference worker found (page.workers())' };
  try {
    return await worker.evaluate(() => {
      const engine = globalThis._tfengine;
      if (!engine) return { error: 'self._tfengine is not defined in the worker' };
      const m = engine.memory();
      return {
        backend: engine.backendName,
        numTensors: m.numTensors,
        numDataBuffers: m.numDataBuffers,
        numBytes: m.numBytes,
        numBytesInGPU: m.numBytesInGPU ?? null,
        numBytesInGPUAllocated: m.numBytesInGPUAllocated ?? null,
        wasmHeapBytes: engine.backendName === 'wasm' ? (engine.backend?.wasm?.HEAPU8?.byteLength ?? null) : null,
        unreliable: Boolean(m.unreliable),
      };
    });
  } catch (error) {
    return { error: `worker.evaluate failed: ${error.message}` };
  }
}

async function sample(page, cdp, startedAt) {
  // A full collection first, then V8's own count: performance.memory lags (it is cached between
  // updates) even with --enable-precise-memory-info, so the trend uses the DevTools figure.
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');
  const page_ = await page.evaluate(() => {
    const gcAvailable = typeof globalThis.gc === 'function';
    if (gcAvailable) globalThis.gc();
    const hud = document.querySelector('[data-testid="hud"]');
    const stats = window.whatsInThePicture?.liveStats?.() ?? null;
    return {
      liveStatus: document.querySelector('[data-testid="live"]')?.getAttribute('data-status') ?? null,
      modelState: document.querySelector('[data-testid="model.status"]')?.getAttribute('data-state') ?? null,
      backend: document.querySelector('[data-testid="backend"]')?.textContent ?? null,
      frames: Number(hud?.getAttribute('data-frames') ?? NaN),
      fps: Number(hud?.getAttribute('data-fps') ?? NaN),
      dropped: Number(hud?.getAttribute('data-dropped') ?? NaN),
      presented: Number(hud?.getAttribute('data-presented') ?? NaN),
      inferMs: Number(hud?.getAttribute('data-infer-ms') ?? NaN),
      numTensors: Number(hud?.getAttribute('data-num-tensors') ?? NaN),
      liveStats: stats,
      gcAvailable,
      jsHeapUsed: performance.memory?.usedJSHeapSize ?? null,
      jsHeapTotal: performance.memory?.totalJSHeapSize ?? null,
      domNodes: document.getElementsByTagName('*').length,
      alerts: Array.from(document.querySelectorAll('[role="alert"]'), (a) => a.textContent?.trim() ?? ''),
    };
  });
  return { t: Math.round((Date.now() - startedAt) / 1000), ...page_, heapUsedAfterGc: heap.usedSize, worker: await workerMemory(page) };
}

/** Least-squares slope of y over t (per second). */
function slope(points) {
  const n = points.length;
  if (n < 2) return 0;
  const mt = points.reduce((s, p) => s + p.t, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.t - mt) * (p.y - my);
    den += (p.t - mt) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

/**
 * start/end/max and a verdict. The first sample is warm-up (buffers, compiled kernels) and is left
 * out of the trend; the trend is the least-squares line over the rest, projected over the run, and
 * counts only when it is above `tolerance(start)` and the last third is above the first third.
 */
function summarise(name, unit, samples, pick, tolerance) {
  const points = samples.map((s) => ({ t: s.t, y: pick(s) })).filter((p) => Number.isFinite(p.y));
  if (points.length === 0) return { name, unit, available: false };
  const ys = points.map((p) => p.y);
  const steady = points.length > 2 ? points.slice(1) : points;
  const span = steady.at(-1).t - steady[0].t;
  const change = slope(steady) * span;
  const third = Math.max(1, Math.floor(steady.length / 3));
  const mean = (a) => a.reduce((s, p) => s + p.y, 0) / a.length;
  const firstThird = mean(steady.slice(0, third));
  const lastThird = mean(steady.slice(-third));
  const allowed = tolerance(Math.abs(steady[0].y));
  let verdict = 'flat';
  if (steady.length < 4) verdict = 'flat (too few samples to tell)';
  else if (change > allowed && lastThird - firstThird > allowed / 2) verdict = 'growing';
  else if (change < -allowed && firstThird - lastThird > allowed / 2) verdict = 'falling';
  return { name, unit, available: true, start: ys[0], end: ys.at(-1), max: Math.max(...ys), min: Math.min(...ys), trendOverRun: change, allowed, verdict };
}

function format(value, unit) {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  if (unit === 'bytes') return `${(value / 1048576).toFixed(2)} MB`;
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

async function main() {
  const startedIso = new Date().toISOString();
  if (build) {
    log(`building into ${dist}`);
    await run(path.join(ROOT, 'node_modules/.bin/vite'), ['build', '--outDir', dist, '--logLevel', 'warn']);
  } else if (!existsSync(path.join(dist, 'index.html'))) {
    throw new Error(`--no-build: no build in ${dist} (run once without --no-build, or pass --dist DIR)`);
  }
  if (!existsSync(path.join(dist, 'models', options.model, 'model.json'))) {
    throw new Error(`${dist}/models/${options.model}/model.json is missing: run \`npm run models\` before building`);
  }
  const port = options.port ? Number(options.port) : await freePort();
  const server = await startPreview(port);
  log(`serving ${dist} at ${server.url}`);

  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const chromiumVersion = browser.version();
  const samples = [];
  const events = [];
  let stopping = false;
  const finish = async (reason) => {
    if (stopping) return;
    stopping = true;
    log(`stopping (${reason})`);
  };
  process.once('SIGINT', () => void finish('interrupted'));
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.on('pageerror', (error) => events.push({ t: Date.now(), kind: 'pageerror', message: error.message }));
    page.on('crash', () => events.push({ t: Date.now(), kind: 'crash', message: 'the page crashed' }));
    page.on('console', (message) => {
      if (message.type() === 'error') events.push({ t: Date.now(), kind: 'console.error', message: message.text().slice(0, 500) });
    });
    await page.goto(`${server.url}?model=${encodeURIComponent(options.model)}&backend=${encodeURIComponent(options.backend)}&automation`);
    await page.locator('[data-testid="model.status"][data-state="ready"], [data-testid="model.status"][data-state="error"]').first().waitFor({ timeout: 300_000 });
    const modelState = await page.getByTestId('model.status').getAttribute('data-state');
    if (modelState !== 'ready') throw new Error(`the model did not load: ${await page.getByTestId('model.status').getAttribute('title')}`);
    const backend = await page.getByTestId('backend').textContent();
    log(`model ${options.model} ready on ${backend}; starting the webcam`);
    await page.getByTestId('source.webcam').click();
    await page.locator('[data-testid="live"][data-status="live"]').waitFor({ timeout: 60_000 });
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="hud"]')?.getAttribute('data-frames')) >= 3, null, { timeout: 300_000 });

    const cdp = await context.newCDPSession(page);
    const startedAt = Date.now();
    const endAt = startedAt + minutes * 60_000;
    log(`live; sampling every ${intervalS} s for ${minutes} min`);
    for (;;) {
      const s = await sample(page, cdp, startedAt);
      samples.push(s);
      const w = s.worker.error ? `worker: ${s.worker.error}` : `worker tensors ${s.worker.numTensors}, ${format(s.worker.numBytes, 'bytes')}${s.worker.numBytesInGPU !== null ? `, GPU ${format(s.worker.numBytesInGPU, 'bytes')}` : ''}`;
      log(`t=${s.t}s ${s.liveStatus} frames ${s.frames} fps ${format(s.fps)} dropped ${s.dropped} tensors ${s.numTensors} heap ${format(s.heapUsedAfterGc, 'bytes')} (performance.memory ${format(s.jsHeapUsed, 'bytes')}) ${w}`);
      if (s.liveStatus !== 'live' || s.modelState !== 'ready') events.push({ t: Date.now(), kind: 'pipeline', message: `live ${s.liveStatus}, model ${s.modelState}` });
      if (stopping || Date.now() >= endAt) break;
      const wait = Math.min(intervalS * 1000, endAt - Date.now());
      for (let waited = 0; waited < wait && !stopping; waited += 250) await sleep(Math.min(250, wait - waited));
      if (stopping) {
        samples.push(await sample(page, cdp, startedAt));
        break;
      }
    }
  } finally {
    await browser.close().catch(() => undefined);
    server.stop();
  }

  // Frames per interval: the pipeline's throughput, which must not decay.
  const rate = samples.map((s, i) => (i === 0 ? { ...s, rate: NaN } : { ...s, rate: ((s.frames - samples[i - 1].frames) / Math.max(1, s.t - samples[i - 1].t)) * 60 }));
  const metrics = [
    summarise('frames inferred (cumulative)', 'count', samples, (s) => s.frames, () => Infinity),
    summarise('frames per minute', 'count', rate, (s) => s.rate, (start) => Math.max(0.2 * start, 5)),
    summarise('fps (HUD, a moving average)', 'fps', samples, (s) => s.fps, (start) => Math.max(0.3 * start, 0.3)),
    summarise('tensors alive (HUD data-num-tensors)', 'count', samples, (s) => s.numTensors, () => 10),
    summarise('page JS heap (V8 used, after full GC)', 'bytes', samples, (s) => s.heapUsedAfterGc, (start) => Math.max(0.1 * start, 2 * 1048576)),
    summarise('page performance.memory.usedJSHeapSize', 'bytes', samples, (s) => s.jsHeapUsed, (start) => Math.max(0.5 * start, 8 * 1048576)),
    summarise('page DOM nodes', 'count', samples, (s) => s.domNodes, (start) => Math.max(0.05 * start, 50)),
    summarise('worker tf.memory().numTensors', 'count', samples, (s) => s.worker.numTensors, () => 10),
    summarise('worker tf.memory().numBytes', 'bytes', samples, (s) => s.worker.numBytes, (start) => Math.max(0.05 * start, 1048576)),
    summarise('worker tf.memory().numBytesInGPU', 'bytes', samples, (s) => s.worker.numBytesInGPU, (start) => Math.max(0.05 * start, 1048576)),
    summarise('worker WASM heap', 'bytes', samples, (s) => s.worker.wasmHeapBytes, (start) => Math.max(0.05 * start, 4 * 1048576)),
  ];
  const first = samples[0];
  const last = samples.at(-1);
  // performance.memory lags and jumps: shown, but only the DevTools heap figure decides.
  const leaks = metrics.filter((m) => m.available && m.verdict === 'growing' && m.unit !== 'fps' && !m.name.startsWith('frames') && !m.name.includes('performance.memory'));
  const slowdowns = metrics.filter((m) => m.available && m.verdict === 'falling' && (m.unit === 'fps' || m.name === 'frames per minute'));
  const stalled = !last || last.frames <= (first?.frames ?? 0) || last.liveStatus !== 'live';
  const workerMemoryNote = samples.find((s) => s.worker.error)?.worker.error ?? null;

  console.log('\nmetric                                      start        end          max          verdict');
  for (const m of metrics) {
    if (!m.available) {
      console.log(`${m.name.padEnd(44)}(not available)`);
      continue;
    }
    const verdict = m.name === 'frames inferred (cumulative)' ? (stalled ? 'STALLED' : 'running') : m.verdict;
    console.log(`${m.name.padEnd(44)}${format(m.start, m.unit).padEnd(13)}${format(m.end, m.unit).padEnd(13)}${format(m.max, m.unit).padEnd(13)}${verdict}`);
  }
  if (workerMemoryNote) console.log(`\nworker tf.memory(): ${workerMemoryNote}`);
  const problems = [
    ...leaks.map((m) => `${m.name} is growing (${format(m.start, m.unit)} → ${format(m.end, m.unit)})`),
    ...slowdowns.map((m) => `${m.name} is falling (${format(m.start, m.unit)} → ${format(m.end, m.unit)})`),
    ...(stalled ? ['the live pipeline stopped producing frames'] : []),
    ...events.map((e) => `${e.kind}: ${e.message}`),
  ];
  const result = {
    kind: 'soak',
    started: startedIso,
    minutes,
    intervalS,
    model: options.model,
    backendPreference: options.backend,
    backend: last?.backend ?? null,
    chromium: chromiumVersion,
    host: { platform: process.platform, cpus: os.cpus().length, loadavg: os.loadavg() },
    verdict: problems.length === 0 ? 'ok' : 'problems',
    problems,
    metrics,
    samples,
    events,
  };
  await mkdir(path.join(ROOT, 'bench-results'), { recursive: true });
  const file = path.join(ROOT, 'bench-results', `soak-${startedIso.replace(/[:.]/g, '-')}.json`);
  await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\n${problems.length === 0 ? 'OK: no leak or slow-down seen' : `PROBLEMS:\n  - ${problems.join('\n  - ')}`}`);
  console.log(`wrote ${path.relative(ROOT, file)}`);
  process.exitCode = problems.length === 0 ? 0 : 1;
}

main().catch((error) => {
  console.error(`[soak] failed: ${error.stack ?? error}`);
  process.exitCode = 1;
});
