#!/usr/bin/env node
/**
 * Soak test: runs the live webcam pipeline for a long time and watches for leaks and slow-downs.
 *
 *   npm run soak                          # 5 minutes, a sample every 30 s
 *   npm run soak -- --minutes=30          # longer
 *   npm run soak -- --minutes=0.5 --interval=5 --no-build   # the shortest useful run, on the last build
 *
 * Uses the harness in bench/ (shared with `npm run bench`): builds the production app into
 * bench-results/app-dist/, serves it with its production headers (the build's `_headers`: COOP/COEP,
 * CSP), opens it in headless Chromium on the fake camera (the kitchen video, as the e2e tests), starts the
 * webcam with MobileNet on the automatic backend, and samples every --interval seconds: frames inferred,
 * fps, dropped frames and tensors alive (the automation API's liveStats()), the page's JS heap after a
 * full GC, and the inference worker's `tf.memory()`. Prints start/end/max and a verdict per metric and
 * writes bench-results/soak-<timestamp>.json.
 * Exit code 1 when a memory metric grows, the pipeline stops, or the page reports an error.
 */
import { APP_PROBE, openApp, openVisit, sleep, toggleWebcam, waitForFrames } from '../bench/browser.mjs';
import { prepareBuilds } from '../bench/build.mjs';
import { logger, machineInfo, parseCli, requireFiles, runMain, UsageError, wholeNumber, writeResults } from '../bench/harness.mjs';
import { heapAfterGc, workerMemory } from '../bench/memory.mjs';
import { serveBuilds } from '../bench/server.mjs';
import { bytes, num, trend } from '../bench/stats.mjs';

const USAGE = 'usage: npm run soak -- [--minutes=5] [--interval=30] [--no-build] [--port=N] [--model=ID] [--backend=auto|webgl|wasm|cpu]';
const MB = 1_048_576;
const log = logger('soak');

function parseOptions(argv) {
  const flags = parseCli(
    argv,
    {
      minutes: { type: 'string', default: '5' },
      interval: { type: 'string', default: '30' },
      'no-build': { type: 'boolean', default: false },
      port: { type: 'string' },
      model: { type: 'string', default: 'mobilenet_v1_0.75' },
      backend: { type: 'string', default: 'auto' },
      help: { type: 'boolean', default: false },
    },
    USAGE,
  );
  const minutes = Number(flags.minutes);
  const intervalS = Number(flags.interval);
  if (!(minutes > 0) || !(intervalS >= 5)) throw new UsageError(`--minutes must be > 0 and --interval ≥ 5 (seconds)\n${USAGE}`);
  return { help: flags.help, minutes, intervalS, build: !flags['no-build'], port: wholeNumber(flags, 'port', 0), model: flags.model, backend: flags.backend };
}

/** One sample: the live counters, the page's heap after a full GC, page facts and the worker's tf.memory(). */
async function sample(visit, startedAt) {
  const counters = await visit.page.evaluate(APP_PROBE.counters);
  const heap = await heapAfterGc(visit);
  const page = await visit.page.evaluate(() => {
    const s = window.whatsInThePicture.state();
    return {
      liveStatus: s.liveStatus,
      modelState: s.modelState,
      backend: s.backend?.backend ?? null,
      domNodes: document.getElementsByTagName('*').length,
      alerts: Array.from(document.querySelectorAll('[role="alert"]'), (a) => a.textContent?.trim() ?? ''),
    };
  });
  // `t`: seconds since sampling began, to the millisecond (replacing the counters' page clock).
  return { ...counters, ...page, t: (Date.now() - startedAt) / 1000, heapAfterGc: heap.heapAfterGc, performanceMemory: heap.performanceMemory, worker: await workerMemory(visit.page) };
}

const format = (value, unit) => (unit === 'bytes' ? bytes(value) : Number.isInteger(value) ? String(value) : num(value));

async function main() {
  const options = parseOptions(process.argv.slice(2));
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  const startedAt = new Date();
  requireFiles();
  await prepareBuilds({ build: options.build, peer: false, models: [options.model], log });
  const server = await serveBuilds({ port: options.port });
  log(`serving the app at ${server.origin}`);

  const samples = [];
  const events = [];
  let stopping = false;
  process.once('SIGINT', () => {
    log('stopping (interrupted)');
    stopping = true;
  });
  const visit = await openVisit(null, { instrument: false });
  try {
    visit.page.on('console', (message) => {
      if (message.type() === 'error') events.push({ t: Date.now(), kind: 'console.error', message: message.text().slice(0, 500) });
    });
    await openApp(visit, { origin: server.origin, modelId: options.model, backend: options.backend, readyTimeoutMs: 300_000 });
    const ready = await visit.page.evaluate(() => window.whatsInThePicture.state().backend?.backend);
    log(`model ${options.model} ready on ${ready}; starting the webcam`);
    await toggleWebcam(visit);
    await waitForFrames(visit, APP_PROBE, 3, 300_000, 'soak: live webcam');

    const t0 = Date.now();
    const endAt = t0 + options.minutes * 60_000;
    log(`live; sampling every ${options.intervalS} s for ${options.minutes} min`);
    for (;;) {
      const s = await sample(visit, t0);
      samples.push(s);
      const w = s.worker.error ? `worker: ${s.worker.error}` : `worker tensors ${s.worker.numTensors}, ${bytes(s.worker.numBytes)}${s.worker.numBytesInGPU !== null ? `, GPU ${bytes(s.worker.numBytesInGPU)}` : ''}`;
      log(`t=${Math.round(s.t)}s ${s.liveStatus} frames ${s.frames} fps ${num(s.appFps)} dropped ${s.dropped} tensors ${s.numTensors} heap ${bytes(s.heapAfterGc)} (performance.memory ${bytes(s.performanceMemory)}) ${w}`);
      if (s.liveStatus !== 'live' || s.modelState !== 'ready') events.push({ t: Date.now(), kind: 'pipeline', message: `live ${s.liveStatus}, model ${s.modelState}` });
      if (stopping || Date.now() >= endAt) break;
      const wait = Math.min(options.intervalS * 1000, endAt - Date.now());
      for (let waited = 0; waited < wait && !stopping; waited += 250) await sleep(Math.min(250, wait - waited));
    }
  } finally {
    events.push(...visit.errors.map((message) => ({ t: Date.now(), kind: 'pageerror', message })));
    await visit.close().catch(() => undefined);
    await server.close();
  }

  // Frames per minute between samples: the pipeline's throughput, which must not decay.
  const rate = samples.slice(1).map((s, i) => ({ t: s.t, y: ((s.frames - samples[i].frames) / Math.max(1, s.t - samples[i].t)) * 60 }));
  const series = (pick) => samples.map((s) => ({ t: s.t, y: pick(s) ?? NaN }));
  const metric = (name, unit, points, tolerance) => ({ name, unit, ...trend(points, tolerance) });
  const metrics = [
    metric('frames inferred (cumulative)', 'count', series((s) => s.frames), () => Infinity),
    metric('frames per minute', 'count', rate, (start) => Math.max(0.2 * start, 5)),
    metric('fps (liveStats, a moving average)', 'fps', series((s) => s.appFps), (start) => Math.max(0.3 * start, 0.3)),
    metric('tensors alive (liveStats numTensors)', 'count', series((s) => s.numTensors), () => 10),
    metric('page JS heap (V8 used, after full GC)', 'bytes', series((s) => s.heapAfterGc), (start) => Math.max(0.1 * start, 2 * MB)),
    metric('page performance.memory.usedJSHeapSize', 'bytes', series((s) => s.performanceMemory), (start) => Math.max(0.5 * start, 8 * MB)),
    metric('page DOM nodes', 'count', series((s) => s.domNodes), (start) => Math.max(0.05 * start, 50)),
    metric('worker tf.memory().numTensors', 'count', series((s) => s.worker.numTensors), () => 10),
    metric('worker tf.memory().numBytes', 'bytes', series((s) => s.worker.numBytes), (start) => Math.max(0.05 * start, MB)),
    metric('worker tf.memory().numBytesInGPU', 'bytes', series((s) => s.worker.numBytesInGPU), (start) => Math.max(0.05 * start, MB)),
    metric('worker WASM heap', 'bytes', series((s) => s.worker.wasmHeapBytes), (start) => Math.max(0.05 * start, 4 * MB)),
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
  const file = writeResults('soak', startedAt, {
    kind: 'soak',
    started: startedAt.toISOString(),
    minutes: options.minutes,
    intervalS: options.intervalS,
    model: options.model,
    backendPreference: options.backend,
    backend: last?.backend ?? null,
    machine: machineInfo(),
    verdict: problems.length === 0 ? 'ok' : 'problems',
    problems,
    metrics,
    samples,
    events,
  });
  console.log(`\n${problems.length === 0 ? 'OK: no leak or slow-down seen' : `PROBLEMS:\n  - ${problems.join('\n  - ')}`}`);
  console.log(`wrote ${file}`);
  return problems.length === 0 ? 0 : 1;
}

runMain('soak', main);
