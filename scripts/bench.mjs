#!/usr/bin/env node
/**
 * `npm run bench` — builds the app (and the main-thread peer page in bench/peer/), serves both, drives
 * headless Chromium and prints a Markdown report: model load (cold from the network, warm from
 * IndexedDB), first prediction, bare predict vs the full per-frame pipeline, live webcam (ours vs the
 * peer: fps, dropped frames, main-thread long tasks, tensors and heap), bundle sizes. The results are
 * also written to bench-results/bench-<timestamp>.json.
 *
 * The build, server, browser, memory readings and statistics are the harness in bench/, shared with
 * `npm run soak`; this file says what the benchmark measures.
 *
 * Batch row: a folder of generated photos (10,000 by default) picked through the folder input, per model on
 * WASM: photos/s against the bare rate, browser memory at 1,000 and at the end, long tasks.
 *
 * Options: --quick  --models=a,b  --backends=x,y  --live-seconds=N  --live-backends=x,y  --repeats=N
 *          --runs=N  --frames=N  --batch=N,M  --no-build  --port=N  --threads=N  --all (ResNet-50 on cpu, live on every backend)  --help
 * Exit code: 0 unless the benchmark itself failed (missed goals are reported as ✗, not as a failure).
 */
import { rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { appLive, appVisit, benchPredict, newProfile, openVisit, peerLive, sleep } from '../bench/browser.mjs';
import { appBatch, photoFolder } from '../bench/batch.mjs';
import { analyseBundle } from '../bench/bundle.mjs';
import { APP_DIST, prepareBuilds } from '../bench/build.mjs';
import { logger, machineInfo, MEDIA, parseCli, requireFiles, runMain, UsageError, wholeNumber, writeResults } from '../bench/harness.mjs';
import { evaluateGoals, renderReport } from '../bench/report.mjs';
import { serveBuilds } from '../bench/server.mjs';
import { median } from '../bench/stats.mjs';

const PHOTO = join(MEDIA, 'dog.jpg');

const MODEL_ALIASES = { mobilenet: 'mobilenet_v1_0.75', 'mobilenet_v1_0.75': 'mobilenet_v1_0.75', resnet: 'resnet50', resnet50: 'resnet50', 'resnet-50': 'resnet50', darknet: 'darknet_tiny', darknet_tiny: 'darknet_tiny' };
const ALL_MODELS = ['mobilenet_v1_0.75', 'resnet50', 'darknet_tiny'];
const ALL_BACKENDS = ['wasm', 'webgl', 'cpu'];

/** Visits (cold+warm pairs) and benchPredict pairs per model/backend; SwiftShader WebGL and CPU are slow. */
const PLAN = {
  'mobilenet_v1_0.75': { wasm: { loads: 3, runs: 30, warmup: 15 }, webgl: { loads: 2, runs: 6, warmup: 3 }, cpu: { loads: 1, runs: 3, warmup: 1 } },
  darknet_tiny: { wasm: { loads: 3, runs: 30, warmup: 15 }, webgl: { loads: 2, runs: 6, warmup: 3 }, cpu: { loads: 1, runs: 3, warmup: 1 } },
  resnet50: { wasm: { loads: 2, runs: 12, warmup: 5 }, webgl: { loads: 1, runs: 3, warmup: 1 }, cpu: { loads: 1, runs: 2, warmup: 1 } },
};
const QUICK_PLAN = { wasm: { loads: 1, runs: 10, warmup: 15 }, webgl: { loads: 1, runs: 3, warmup: 2 }, cpu: { loads: 1, runs: 2, warmup: 1 } };

function usage() {
  return `Usage: npm run bench -- [options]
  --quick              short run: MobileNet only, one visit per backend, fewer runs, 15 s of live video, memory at 100 frames
  --models=a,b         mobilenet_v1_0.75 (or mobilenet), resnet50 (or resnet), darknet_tiny (or darknet)  default: all (--quick: mobilenet)
  --backends=x,y       wasm, webgl, cpu                                           default: all three (ResNet-50 on cpu only with --all)
  --live-seconds=N     live webcam window, ours and the peer's (0 = no live test)  default: 60 (--quick: 15)
  --live-backends=x,y  backends to run live on                                    default: wasm (what the app picks here); --all: every backend
  --repeats=N          cold+warm visits per model/backend                         default: 1–3 depending on speed
  --runs=N             benchPredict pairs per model/backend                       default: 2–20 depending on speed
  --frames=N           memory sample after N frames (vs after 10)                 default: 500 (--quick: 100)
  --batch=N,M          batch row: photos in one folder, memory sampled after N and after M (0 = no batch)  default: 1000,10000 (--quick: 100,500)
  --no-build           reuse bench-results/app-dist and bench-results/peer-dist
  --port=N             serve the builds on port N                                 default: any free port
  --threads=N          WASM threads for the app and the peer (0: their automatic choice)  default: 0
  --all                also ResNet-50 on cpu, and live on every backend`;
}

const OPTIONS = Object.fromEntries(
  [...['quick', 'no-build', 'all', 'help'].map((k) => [k, { type: 'boolean' }]), ...['models', 'backends', 'live-seconds', 'live-backends', 'repeats', 'runs', 'frames', 'batch', 'port', 'threads'].map((k) => [k, { type: 'string' }])],
);

function parseOptions(argv) {
  const flags = parseCli(argv, OPTIONS, usage());
  const list = (key) => (flags[key] === undefined ? null : flags[key].split(',').map((s) => s.trim()).filter(Boolean));
  const int = (key) => wholeNumber(flags, key);
  const quick = flags.quick === true;
  const all = flags.all === true;
  const models = (list('models') ?? (quick ? ['mobilenet_v1_0.75'] : ALL_MODELS)).map((m) => {
    if (!MODEL_ALIASES[m]) throw new UsageError(`unknown model ${m} (known: ${Object.keys(MODEL_ALIASES).join(', ')})`);
    return MODEL_ALIASES[m];
  });
  const backends = list('backends') ?? ALL_BACKENDS;
  for (const b of backends) if (!ALL_BACKENDS.includes(b)) throw new UsageError(`unknown backend ${b} (known: ${ALL_BACKENDS.join(', ')})`);
  const liveSeconds = int('live-seconds') ?? (quick ? 15 : 60);
  let liveBackends = list('live-backends') ?? (all ? backends : backends.includes('wasm') ? ['wasm'] : backends.slice(0, 1));
  liveBackends = liveBackends.filter((b) => backends.includes(b));
  if (liveSeconds === 0) liveBackends = [];
  return {
    help: flags.help === true,
    quick,
    all,
    build: flags['no-build'] !== true,
    port: int('port') ?? 0,
    threads: int('threads') ?? 0,
    models: [...new Set(models)],
    backends: [...new Set(backends)],
    liveSeconds,
    liveBackends,
    repeats: int('repeats'),
    runs: int('runs'),
    warmFrames: 10,
    targetFrames: int('frames') ?? (quick ? 100 : 500),
    batch: batchCheckpoints(list('batch') ?? (quick ? ['100', '500'] : ['1000', '10000'])),
  };
}

function batchCheckpoints(values) {
  const numbers = values.map(Number);
  if (numbers.some((n) => !Number.isInteger(n) || n < 0)) throw new UsageError('--batch needs whole numbers, e.g. --batch=1000,10000');
  return numbers.includes(0) ? [] : [...new Set(numbers)].sort((a, b) => a - b);
}

const log = logger('bench');

async function main() {
  const options = parseOptions(process.argv.slice(2));
  if (options.help) {
    console.log(usage());
    return 0;
  }
  const startedAt = new Date();
  const t0 = performance.now();
  requireFiles([PHOTO]);
  await prepareBuilds({ build: options.build, peer: true, models: options.models, log });
  const bundle = analyseBundle(APP_DIST);
  const machine = { ...machineInfo(), renderer: null, wasmThreads: null };
  const server = await serveBuilds({ peer: true, port: options.port });
  log(`serving the app and the peer page at ${server.origin}`);

  const results = { startedAt: startedAt.toISOString(), options, machine, bundle, combos: [], goals: [], errors: [], warnings: [] };
  const unavailableBackends = new Map();
  const openVisits = new Set();
  /** A visit on `profile` (none: a fresh one) that reports its page errors as warnings on close. */
  const visitOn = async (profile) => {
    const visit = await openVisit(profile);
    openVisits.add(visit);
    return {
      ...visit,
      close: async () => {
        openVisits.delete(visit);
        if (visit.errors.length) results.warnings.push(...visit.errors.map((e) => `uncaught error in the page: ${e}`));
        await visit.close().catch(() => undefined);
      },
    };
  };
  const stop = async () => {
    for (const visit of openVisits) await visit.close().catch(() => undefined);
    await server.close();
  };
  process.once('SIGINT', () => {
    log('interrupted');
    void stop().finally(() => process.exit(130));
  });

  try {
    for (const modelId of options.models) {
      for (const backend of options.backends) {
        const combo = { modelId, backend, available: true, cold: [], warm: [], bench: null, live: null, errors: [] };
        results.combos.push(combo);
        if (modelId === 'resnet50' && backend === 'cpu' && !options.all) {
          combo.available = false;
          combo.skipReason = 'ResNet-50 on the CPU backend runs only with --all (too slow)';
          continue;
        }
        if (unavailableBackends.has(backend)) {
          combo.available = false;
          combo.fallback = unavailableBackends.get(backend);
          continue;
        }
        await runCombo(combo, { options, server, visitOn, machine, results, unavailableBackends });
      }
    }
    if (options.batch.length > 0 && options.backends.includes('wasm')) {
      results.batches = [];
      const folder = await photoFolder(Math.max(...options.batch));
      try {
        for (const modelId of options.models) {
          const visit = await visitOn(null);
          try {
            log(`${modelId}/wasm: batch of ${Math.max(...options.batch)} photos (memory after ${options.batch.join(' and ')})`);
            const batch = await appBatch(visit, { origin: server.origin, modelId, backend: 'wasm', threads: options.threads, readyTimeoutMs: 300_000, checkpoints: options.batch, folder: folder.dir, log });
            results.batches.push({ modelId, backend: 'wasm', ...batch });
            log(`${modelId}/wasm:   ${batch.perSecond.toFixed(1)} photos/s, bare ${batch.bareRate.toFixed(1)}/s (${batch.ratio.toFixed(2)}×)`);
          } catch (error) {
            const message = `${modelId}/wasm: batch: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
            results.errors.push(message);
            log(`✗ ${message}`);
          } finally {
            await visit.close();
          }
        }
      } finally {
        await folder.remove();
      }
    }
  } finally {
    await stop();
  }

  results.durationMs = performance.now() - t0;
  machine.loadAverageEnd = os.loadavg();
  results.finishedAt = new Date().toISOString();
  results.goals = evaluateGoals(results);
  const jsonPath = writeResults('bench', startedAt, results);
  console.log(renderReport(results));
  console.log('');
  console.log(`Results (JSON): ${jsonPath}`);
  return results.errors.length > 0 ? 1 : 0;
}

async function runCombo(combo, context) {
  combo.loadAverage = { start: os.loadavg()[0] };
  try {
    await runComboSteps(combo, context);
  } finally {
    combo.loadAverage.end = os.loadavg()[0];
  }
}

async function runComboSteps(combo, { options, server, visitOn, machine, results, unavailableBackends }) {
  const { modelId, backend } = combo;
  const name = `${modelId}/${backend}`;
  const base = options.quick ? QUICK_PLAN[backend] : PLAN[modelId][backend];
  const plan = { loads: Math.max(1, options.repeats ?? base.loads), runs: options.runs ?? base.runs, warmup: base.warmup };
  const slow = modelId === 'resnet50' && backend !== 'wasm';
  const timeouts = {
    readyTimeoutMs: slow ? 900_000 : 300_000,
    predictTimeoutMs: slow ? 600_000 : 180_000,
  };
  const fail = (what, error) => {
    const message = `${name}: ${what}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
    combo.errors.push(message);
    results.errors.push(message);
    log(`✗ ${message}`);
  };
  const common = { origin: server.origin, server, modelId, backend, threads: options.threads, photo: PHOTO, ...timeouts };
  const live = options.liveBackends.includes(backend);
  let profile = null;
  for (let rep = 0; rep < plan.loads; rep++) {
    if (profile) await rm(profile, { recursive: true, force: true });
    profile = await newProfile();
    // Cold: a fresh profile (empty HTTP cache, no service worker, empty IndexedDB).
    let visit = await visitOn(profile);
    try {
      log(`${name}: cold load ${rep + 1}/${plan.loads}`);
      const cold = await appVisit(visit, common);
      if (cold.backend?.backend !== backend) {
        combo.available = false;
        combo.fallback = cold.backend;
        unavailableBackends.set(backend, cold.backend);
        log(`${name}: backend not available (the app runs ${cold.backend?.backend}: ${cold.backend?.reason})`);
        return;
      }
      machine.renderer ??= cold.backend.renderer;
      if (backend === 'wasm') {
        machine.wasmThreads = cold.backend.wasmThreads;
      }
      combo.cold.push(cold);
      log(`${name}:   load ${Math.round(cold.loadMs)} ms, nav→ready ${Math.round(cold.navToReadyMs)} ms, first prediction ${Math.round(cold.firstPrediction.wallMs)} ms`);
    } catch (error) {
      fail(`cold visit ${rep + 1}`, error);
      continue;
    } finally {
      await visit.close();
    }
    // Warm: the same profile again (IndexedDB has the model, the service worker has the app shell).
    visit = await visitOn(profile);
    try {
      log(`${name}: warm load ${rep + 1}/${plan.loads}`);
      const warm = await appVisit(visit, common);
      combo.warm.push(warm);
      log(`${name}:   load ${Math.round(warm.loadMs)} ms (fromCache=${warm.fromCache}), nav→ready ${Math.round(warm.navToReadyMs)} ms, first prediction ${Math.round(warm.firstPrediction.wallMs)} ms`);
      if (!combo.bench && plan.runs > 0) {
        // Let the page settle after the photo (result rendering, thumbnails) so it does not compete with the worker.
        await sleep(1500);
        log(`${name}: benchPredict, ${plan.runs} interleaved pairs (after ${plan.warmup} warm-up pairs)`);
        combo.bench = await benchPredict(visit.page, plan.runs, plan.warmup, slow ? 1_800_000 : 900_000);
        log(`${name}:   bare ${Math.round(median(combo.bench.bareMs))} ms, full ${Math.round(median(combo.bench.fullMs))} ms`);
      }
    } catch (error) {
      fail(`warm visit ${rep + 1}`, error);
    } finally {
      await visit.close();
    }
  }
  if (live && combo.cold.length > 0) {
    combo.live = {};
    const liveOptions = {
      ...common,
      seconds: options.liveSeconds,
      warmFrames: options.warmFrames,
      targetFrames: options.targetFrames,
      extraCapMs: options.quick ? 10_000 : 30_000,
      bare: plan.runs > 0 ? { runs: plan.runs, warmup: plan.warmup, timeoutMs: slow ? 1_800_000 : 900_000 } : null,
      startTimeoutMs: slow ? 600_000 : 120_000,
      onProgress: (() => {
        let lastLog = 0;
        return (s, leftMs) => {
          if (Date.now() - lastLog < 15_000) return;
          lastLog = Date.now();
          log(`${name}:   ${Math.round(leftMs / 1000)} s left, ${s.frames} frames`);
        };
      })(),
    };
    // Ours in the warm profile; the peer in a fresh one.
    for (const [who, page, measure, on] of [
      ['ours', 'the app', appLive, profile],
      ['peer', 'the main-thread peer page', peerLive, null],
    ]) {
      const visit = await visitOn(on);
      try {
        log(`${name}: live webcam in ${page}, ${options.liveSeconds} s`);
        const result = await measure(visit, liveOptions);
        combo.live[who] = result;
        log(`${name}:   ${result.fps.toFixed(2)} fps, ${result.longTasks.count} long tasks`);
      } catch (error) {
        fail(`live (${who})`, error);
      } finally {
        await visit.close();
      }
    }
  }
  if (profile) await rm(profile, { recursive: true, force: true });
}

runMain('bench', main);
