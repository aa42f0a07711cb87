#!/usr/bin/env node
/**
 * `npm run bench` — builds the app (and the main-thread peer page in bench/peer/), serves both, drives
 * headless Chromium and prints a Markdown report: model load (cold from the network, warm from
 * IndexedDB), first prediction, bare predict vs the full per-frame pipeline, live webcam (ours vs the
 * peer: fps, dropped frames, main-thread long tasks, tensors and heap), bundle sizes. The results are
 * also written to bench-results/bench-<timestamp>.json.
 *
 * Options: --quick  --models=a,b  --backends=x,y  --live-seconds=N  --live-backends=x,y  --repeats=N
 *          --runs=N  --no-build  --all (ResNet-50 on cpu, live on every backend)  --help
 * Exit code: 0 unless the benchmark itself failed (missed goals are reported as ✗, not as a failure).
 */
import { CHROMIUM_ARGS as BASE_CHROMIUM_ARGS, FAKE_CAMERA } from './chromium-args.mjs';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join, relative, resolve } from 'node:path';
import { analyseBundle, TFJS_MARKERS } from '../bench/bundle.mjs';
import { appLive, appVisit, benchPredict, openVisit, peerLive, sleep } from '../bench/browser.mjs';
import { evaluateGoals, renderReport } from '../bench/report.mjs';
import { ISOLATION_HEADERS, readHeadersFile, startServer } from '../bench/server.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = join(ROOT, 'bench-results');
const APP_DIST = join(OUT, 'app-dist');
const PEER_DIST = join(OUT, 'peer-dist');
const MEDIA = resolve(ROOT, '../shared/media');
const PHOTO = join(MEDIA, 'dog.jpg');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** The shared flags, plus precise heap figures. */
const CHROMIUM_ARGS = [...BASE_CHROMIUM_ARGS, '--enable-precise-memory-info'];

const MODEL_ALIASES = { mobilenet: 'mobilenet_v1_0.75', 'mobilenet_v1_0.75': 'mobilenet_v1_0.75', resnet: 'resnet50', resnet50: 'resnet50', 'resnet-50': 'resnet50' };
const ALL_MODELS = ['mobilenet_v1_0.75', 'resnet50'];
const ALL_BACKENDS = ['wasm', 'webgl', 'cpu'];

/** Visits (cold+warm pairs) and benchPredict pairs per model/backend; SwiftShader WebGL and CPU are slow. */
const PLAN = {
  'mobilenet_v1_0.75': { wasm: { loads: 3, runs: 30, warmup: 15 }, webgl: { loads: 2, runs: 6, warmup: 3 }, cpu: { loads: 1, runs: 3, warmup: 1 } },
  resnet50: { wasm: { loads: 2, runs: 12, warmup: 5 }, webgl: { loads: 1, runs: 3, warmup: 1 }, cpu: { loads: 1, runs: 2, warmup: 1 } },
};
const QUICK_PLAN = { wasm: { loads: 1, runs: 10, warmup: 15 }, webgl: { loads: 1, runs: 3, warmup: 2 }, cpu: { loads: 1, runs: 2, warmup: 1 } };

function usage() {
  return `Usage: npm run bench -- [options]
  --quick              short run: MobileNet only, one visit per backend, fewer runs, 15 s of live video, memory at 100 frames
  --models=a,b         mobilenet_v1_0.75 (or mobilenet), resnet50 (or resnet)      default: both (--quick: mobilenet)
  --backends=x,y       wasm, webgl, cpu                                           default: all three (ResNet-50 on cpu only with --all)
  --live-seconds=N     live webcam window, ours and the peer's (0 = no live test)  default: 60 (--quick: 15)
  --live-backends=x,y  backends to run live on                                    default: wasm (what the app picks here); --all: every backend
  --repeats=N          cold+warm visits per model/backend                         default: 1–3 depending on speed
  --runs=N             benchPredict pairs per model/backend                       default: 2–20 depending on speed
  --frames=N           memory sample after N frames (vs after 10)                 default: 500 (--quick: 100)
  --no-build           reuse bench-results/app-dist and bench-results/peer-dist
  --all                also ResNet-50 on cpu, and live on every backend`;
}

class UsageError extends Error {}

function parseOptions(argv) {
  const flags = new Map();
  for (const arg of argv) {
    const match = /^--([^=]+)(?:=(.*))?$/.exec(arg);
    if (!match) throw new UsageError(`unknown argument ${arg}\n${usage()}`);
    flags.set(match[1], match[2] ?? true);
  }
  const known = ['quick', 'models', 'backends', 'live-seconds', 'live-backends', 'repeats', 'runs', 'frames', 'no-build', 'all', 'help'];
  for (const key of flags.keys()) if (!known.includes(key)) throw new UsageError(`unknown option --${key}\n${usage()}`);
  const list = (key) => (typeof flags.get(key) === 'string' ? flags.get(key).split(',').map((s) => s.trim()).filter(Boolean) : null);
  const int = (key) => {
    if (!flags.has(key)) return null;
    const n = Number(flags.get(key));
    if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${key} needs a whole number`);
    return n;
  };
  const quick = flags.has('quick');
  const all = flags.has('all');
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
    help: flags.has('help'),
    quick,
    all,
    build: !flags.has('no-build'),
    models: [...new Set(models)],
    backends: [...new Set(backends)],
    liveSeconds,
    liveBackends,
    repeats: int('repeats'),
    runs: int('runs'),
    warmFrames: 10,
    targetFrames: int('frames') ?? (quick ? 100 : 500),
  };
}

const log = (...args) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...args);

function run(command, args) {
  return new Promise((ok, fail) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', fail);
    child.on('close', (code) => (code === 0 ? ok(output) : fail(new Error(`${command} ${args.join(' ')} exited with ${code}\n${output.slice(-4000)}`))));
  });
}

async function build() {
  const vite = join(ROOT, 'node_modules/.bin/vite');
  log('building the app → bench-results/app-dist');
  await run(vite, ['build', '--outDir', APP_DIST, '--emptyOutDir', '--logLevel', 'warn']);
  log('building the peer page (bench/peer) → bench-results/peer-dist');
  await run(vite, ['build', '--config', join(ROOT, 'bench/peer/vite.config.ts')]);
}

function machineInfo() {
  let chromium = 'unknown';
  try {
    chromium = execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    // reported as unknown
  }
  let playwright = 'unknown';
  try {
    playwright = JSON.parse(readFileSync(join(ROOT, 'node_modules/@playwright/test/package.json'), 'utf8')).version;
  } catch {
    // reported as unknown
  }
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    cpuModel: cpus[0]?.model?.replace(/\s+/g, ' ').trim() ?? 'unknown CPU',
    totalMemory: os.totalmem(),
    loadAverage: os.loadavg(),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    chromium,
    playwright,
    renderer: null,
    wasmThreads: null,
    wasmThreadCount: null,
  };
}

function timestamp(date) {
  return date.toISOString().replace(/[:.]/g, '-').replace('Z', '');
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  if (options.help) {
    console.log(usage());
    return 0;
  }
  const startedAt = new Date();
  const t0 = performance.now();
  for (const file of [FAKE_CAMERA, PHOTO, CHROMIUM]) if (!existsSync(file)) throw new Error(`missing ${file}`);
  for (const id of options.models) {
    if (!existsSync(join(ROOT, 'public/models', id, 'model.json'))) throw new Error(`public/models/${id}/model.json is missing: run \`npm run models\` first`);
  }
  mkdirSync(OUT, { recursive: true });
  if (options.build) await build();
  else log('--no-build: reusing bench-results/app-dist and bench-results/peer-dist');
  for (const [dir, what] of [
    [APP_DIST, 'app'],
    [PEER_DIST, 'peer page'],
  ]) {
    if (!existsSync(join(dir, 'index.html'))) throw new Error(`no ${what} build in ${relative(ROOT, dir)}: run without --no-build`);
  }
  for (const id of options.models) {
    if (!existsSync(join(APP_DIST, 'models', id, 'model.json'))) throw new Error(`the build has no models/${id}: rebuild (npm run models, then without --no-build)`);
  }

  const bundle = analyseBundle(APP_DIST);
  bundle.markers = TFJS_MARKERS;
  const machine = machineInfo();
  const appHeaders = readHeadersFile(join(APP_DIST, '_headers')) ?? ISOLATION_HEADERS;
  const server = await startServer({
    mounts: [
      { prefix: '/peer/', dir: PEER_DIST, headers: ISOLATION_HEADERS },
      { prefix: '/', dir: APP_DIST, headers: appHeaders },
    ],
  });
  log(`serving the app and the peer page at ${server.origin}`);

  const browser = { executablePath: CHROMIUM, args: CHROMIUM_ARGS };
  const results = { startedAt: startedAt.toISOString(), options, machine, bundle, combos: [], goals: [], errors: [], warnings: [] };
  const unavailableBackends = new Map();
  const openVisits = new Set();
  const visitOn = async (dir) => {
    const visit = await openVisit(dir, browser);
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
  } finally {
    await stop();
  }

  results.durationMs = performance.now() - t0;
  machine.loadAverageEnd = os.loadavg();
  results.finishedAt = new Date().toISOString();
  results.goals = evaluateGoals(results);
  const report = renderReport(results);
  const jsonPath = join(OUT, `bench-${timestamp(startedAt)}.json`);
  writeFileSync(jsonPath, `${JSON.stringify(results, null, 2)}\n`);
  console.log(report);
  console.log('');
  console.log(`Results (JSON): ${relative(ROOT, jsonPath)}`);
  return results.errors.length > 0 ? 1 : 0;
}

async function runCombo(combo, { options, server, visitOn, machine, results, unavailableBackends }) {
  const { modelId, backend } = combo;
  const name = `${modelId}/${backend}`;
  combo.loadAverage = { start: os.loadavg()[0] };
  try {
    await runComboSteps(combo, { options, server, visitOn, machine, results, unavailableBackends });
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
  const common = { origin: server.origin, server, modelId, backend, photo: PHOTO, ...timeouts };
  const live = options.liveBackends.includes(backend);
  let profile = null;
  for (let rep = 0; rep < plan.loads; rep++) {
    if (profile) await rm(profile, { recursive: true, force: true });
    profile = await mkdtemp(join(os.tmpdir(), 'witp-bench-'));
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
        machine.wasmThreadCount = machine.cores ? Math.min(machine.cores, 8) : null;
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
        const med = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
        log(`${name}:   bare ${Math.round(med(combo.bench.bareMs))} ms, full ${Math.round(med(combo.bench.fullMs))} ms`);
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
    const visit = await visitOn(profile);
    try {
      log(`${name}: live webcam in the app, ${options.liveSeconds} s`);
      combo.live.ours = await appLive(visit, liveOptions);
      log(`${name}:   ${combo.live.ours.fps.toFixed(2)} fps, ${combo.live.ours.longTasks.count} long tasks`);
    } catch (error) {
      fail('live (app)', error);
    } finally {
      await visit.close();
    }
    const peerProfile = await mkdtemp(join(os.tmpdir(), 'witp-bench-peer-'));
    const peerVisit = await visitOn(peerProfile);
    try {
      log(`${name}: live webcam in the main-thread peer page, ${options.liveSeconds} s`);
      combo.live.peer = await peerLive(peerVisit, liveOptions);
      log(`${name}:   ${combo.live.peer.fps.toFixed(2)} fps, ${combo.live.peer.longTasks.count} long tasks`);
    } catch (error) {
      fail('live (peer)', error);
    } finally {
      await peerVisit.close();
      await rm(peerProfile, { recursive: true, force: true });
    }
  }
  if (profile) await rm(profile, { recursive: true, force: true });
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof UsageError ? error.message : `bench failed: ${error instanceof Error ? error.stack : error}`);
    process.exit(1);
  },
);
