/** Turns the benchmark's results object into the Markdown report printed by `npm run bench`. */
import { bytes, mdTable, median, num, pct, range, seconds, signedBytes, summary } from './stats.mjs';

const ms1 = (x) => x.toFixed(1);
/** The CPU parts of `cpuParts` (bench/processes.mjs) as table cells, model first, the total last. */
const cpuCells = (c) => [c.perItem.model, c.perItem.pageMain, c.perItem.pageWorkers, c.perItem.pageOther, c.perItem.browser, c.perItem.gpu, c.perItem.other].map(ms1).concat(`**${ms1(c.perItem.total)}**`);
/** A live combo's two pages, each with its results (null when it failed). */
const livePages = (c) => [
  ['ours (worker)', c.live.ours],
  ['peer (main thread)', c.live.peer],
];
const CPU_NOTE = 'Threads\' user + system time from /proc: CPU time does not stretch on a busy machine as wall time does. "Model": the threads that ran the bare predictions (the inference worker and the WASM backend\'s threads).';

const RATIO_GOAL = 1.1;
/** Batch: photos/s at least this share of the bare model rate; browser memory per additional photo at most this. */
const BATCH_RATE_GOAL = 0.8;
const BATCH_BYTES_PER_PHOTO_GOAL = 50_000;
const HEAP_GROWTH_LIMIT = 1_000_000;
/** Live: camera frames classified per second at least this share of the bare model rate (timed in the same visit). */
const LIVE_RATE_GOAL = 0.9;

/** The live rate against the bare rate timed in the same visit before and after the window (null without them). */
function liveVsBare(r) {
  if (!r?.bareMs) return null;
  const before = median(r.bareMs.before);
  const after = median(r.bareMs.after);
  const bareMs = (before + after) / 2;
  return { before, after, bareRate: 1000 / bareMs, ratio: (r.fps * bareMs) / 1000 };
}

const MODEL_NAMES = { 'mobilenet_v1_0.75': 'MobileNet v1 0.75', resnet50: 'ResNet-50' };
const modelName = (id) => MODEL_NAMES[id] ?? id;
const mark = (ok) => (ok === null ? 'ℹ' : ok ? '✓' : '✗');

/** Memory samples of a live run: after the first frames, at the frame target (if reached), at the end. */
function memSamples(r) {
  const samples = [r.memory.warm, r.memory.target].filter(Boolean);
  if (r.memory.end.frames !== samples[samples.length - 1].frames) samples.push(r.memory.end);
  return samples;
}

function pick(list, fn) {
  return summary(list.map(fn).filter((v) => v !== null && v !== undefined));
}

/** Goal checks, also stored in the JSON. */
export function evaluateGoals(results) {
  const goals = [];
  const b = results.bundle;
  if (b) {
    const clean = b.checks.mainThreadTfjs.length === 0 && b.checks.mainThreadTfjsPackages.length === 0;
    goals.push({
      ok: clean && b.checks.markersFoundInWorker,
      text: clean
        ? `No TF.js in the main thread's JS (${b.groups.initial.map((f) => f.file).join(', ')}: none of ${b.markers.join(', ')}; no @tensorflow/* in its source map)${b.checks.markersFoundInWorker ? '; the markers are found in the worker chunk' : ' — but the markers were not found in the worker either, so the check proves nothing'}`
        : `TF.js code found in the main thread's JS: ${[...b.checks.mainThreadTfjs, ...b.checks.mainThreadTfjsPackages].join('; ')}`,
    });
    goals.push({
      ok: b.checks.lazyTfjs.length === 0,
      text: b.checks.lazyTfjs.length === 0 ? `No TF.js in the main thread's lazy chunks either (${b.groups.lazy.map((f) => f.file).join(', ') || 'none'})` : `TF.js code in a lazy main-thread chunk: ${b.checks.lazyTfjs.join('; ')}`,
    });
  }
  for (const c of results.combos) {
    const name = `${modelName(c.modelId)} / ${c.backend}`;
    if (!c.available) continue;
    if (c.bench?.bareMs?.length) {
      const ratio = median(c.bench.fullMs) / median(c.bench.bareMs);
      goals.push({ ok: ratio <= RATIO_GOAL, text: `${name}: full pipeline / bare predict = ${ratio.toFixed(3)} (goal ≤ ${RATIO_GOAL.toFixed(2)})` });
      if (ratio < 0.9) {
        goals.push({
          ok: null,
          text: `${name}: the full pipeline measured faster than the bare predict (${ratio.toFixed(2)}): it does strictly more work, so background load disturbed the bare runs (the order within a pair does not explain it: the worker alternates which of the two runs first). Re-run on a quiet machine.`,
        });
      }
    }
    if (c.warm.length) {
      const allCached = c.warm.every((w) => w.fromCache === true);
      const noBytes = c.warm.every((w) => w.transfer.modelBytes === 0);
      goals.push({
        ok: allCached && noBytes,
        text: `${name}: warm loads came from IndexedDB (fromCache=${c.warm.map((w) => w.fromCache).join('/')}, model bytes fetched: ${c.warm.map((w) => bytes(w.transfer.modelBytes)).join('/')})`,
      });
    }
    const ours = c.live?.ours;
    if (ours) {
      const samples = memSamples(ours);
      const tensors = samples.map((x) => x.numTensors);
      goals.push({
        ok: tensors.every((t) => t === tensors[0]),
        text: `${name}: worker tensors constant while live (${samples.map((x) => `${x.numTensors} after ${x.frames} frames`).join(' → ')})`,
      });
      const first = samples[0];
      const last = samples[samples.length - 1];
      const growth = last.heapAfterGc - first.heapAfterGc;
      if (Number.isFinite(growth)) {
        goals.push({ ok: growth < HEAP_GROWTH_LIMIT, text: `${name}: main-thread JS heap after GC grows < ${bytes(HEAP_GROWTH_LIMIT)} from frame ${first.frames} to ${last.frames} (${signedBytes(growth)})` });
      }
      const vsBare = liveVsBare(ours);
      if (vsBare) {
        goals.push({
          ok: vsBare.ratio >= LIVE_RATE_GOAL,
          text: `${name}: live ${num(ours.fps)} fps = ${vsBare.ratio.toFixed(2)}× the bare rate of ${num(vsBare.bareRate)}/s timed in the same visit (bare predict ${num(vsBare.before)} ms before the window, ${num(vsBare.after)} ms after; goal ≥ ${LIVE_RATE_GOAL}×)`,
        });
      }
      if (!ours.memory.target) goals.push({ ok: null, text: `${name}: the ${results.options.targetFrames}-frame memory sample was not reached in the window (${last.frames} frames at ${num(ours.fps)} fps); the heap and tensors above compare frame ${first.frames} with frame ${last.frames}` });
      const peer = c.live?.peer;
      if (peer) {
        goals.push({
          ok: ours.longTasks.count <= peer.longTasks.count,
          text: `${name}: fewer main-thread long tasks than the main-thread peer (${ours.longTasks.count} vs ${peer.longTasks.count} in ${seconds(ours.windowMs)} / ${seconds(peer.windowMs)})`,
        });
        const peerNew = peer.newFrames / (peer.windowMs / 1000);
        goals.push({
          ok: ours.fps >= peerNew * 0.95,
          text: `${name}: camera frames classified per second at least the peer's (ours ${num(ours.fps)} fps vs peer ${num(peerNew)} distinct frames/s, ${num(peer.fps)} inferences/s)`,
        });
      }
    }
  }
  for (const b of results.batches ?? []) {
    const name = `${modelName(b.modelId)} / ${b.backend}: batch of ${b.photos} photos`;
    goals.push({ ok: b.ratio >= BATCH_RATE_GOAL, text: `${name}: ${b.perSecond.toFixed(1)} photos/s = ${b.ratio.toFixed(2)}× the bare rate (goal ≥ ${BATCH_RATE_GOAL}×)` });
    const perPhoto = batchBytesPerPhoto(b);
    if (perPhoto !== null) goals.push({ ok: perPhoto <= BATCH_BYTES_PER_PHOTO_GOAL, text: `${name}: ${bytes(perPhoto)} of browser memory per additional photo (goal ≤ ${bytes(BATCH_BYTES_PER_PHOTO_GOAL)})` });
    goals.push({ ok: b.longTasks.over100 === 0, text: `${name}: ${b.longTasks.over100} main-thread tasks > 100 ms (longest ${Math.round(b.longTasks.longestMs)} ms) after the pick` });
  }
  return goals;
}

/** Browser memory (PSS, all processes) per photo between the first and the last checkpoint. */
const WORKER_CLOCK_NOTE =
  "The inference worker's own clock over the window (`whatsInThePicture.workerClock()`, read at its start and end): the share of the worker's time in the model and idle (no request to work on: waiting for the main thread), then per prediction: preprocess (pixels → tensor) + model (forward pass and readback) + CAM (maps and top-k). Unlike the rates, these shares hold on a loaded machine.";

/** Model and idle shares of the worker's time, and its per-prediction stage times. */
function workerCell(w) {
  if (!w || w.predictions === 0) return '–';
  return `model ${pct(w.modelShare, 0)}, idle ${pct(w.idleShare, 0)}; ${num(w.preprocessMs)} + ${num(w.inferMs)} + ${num(w.camMs)} ms`;
}

function batchBytesPerPhoto(b) {
  const [first, last] = [b.samples[0], b.samples.at(-1)];
  if (!first?.browser || !last?.browser || last.photos === first.photos) return null;
  return (last.browser.pss - first.browser.pss) / (last.photos - first.photos);
}

export function renderReport(results) {
  const out = [];
  const m = results.machine;
  const o = results.options;
  out.push(`## Benchmark results — ${results.startedAt.slice(0, 19).replace('T', ' ')} UTC${o.quick ? ' (--quick)' : ''}`);
  out.push('');
  const la = (l) => (l ? l.map((x) => x.toFixed(1)).join(' / ') : '?');
  out.push(`- Machine: ${m.cores} cores (${m.cpuModel}), ${bytes(m.totalMemory)} RAM; ${m.os}. Load average (1/5/15 min) at start ${la(m.loadAverage)}, at the end ${la(m.loadAverageEnd)}${m.loadAverage[0] > m.cores ? ' — the machine was busy with other work: expect noise' : ''}`);
  out.push(`- Browser: ${m.chromium} (headless, Playwright ${m.playwright}); Node ${m.node}`);
  out.push(`- WebGL renderer: ${m.renderer ?? 'unknown'}; WASM: ${m.wasmThreads == null ? 'not run' : m.wasmThreads > 1 ? `SIMD, ${m.wasmThreads} threads (as the backend reports; cross-origin isolated)` : 'SIMD, one thread'}`);
  out.push(`- Run: ${seconds(results.durationMs)} total; models ${o.models.join(', ')}; backends ${o.backends.join(', ')}; live ${o.liveSeconds} s on ${o.liveBackends.join(', ') || 'none'}; memory at ${o.warmFrames} vs ${o.targetFrames} frames`);
  out.push(`- Figures are medians with [min–max] over the repeats (n); times in ms unless marked. Noisy shared machine: compare within one run.`);
  out.push('');

  const combos = results.combos;
  const unavailable = combos.filter((c) => !c.available);
  for (const c of unavailable) {
    out.push(
      c.fallback
        ? `> ${modelName(c.modelId)} / ${c.backend}: backend not available here — the app fell back to ${c.fallback.backend} (${c.fallback.reason})`
        : `> ${modelName(c.modelId)} / ${c.backend}: skipped — ${c.skipReason ?? 'not run'}`,
    );
  }
  if (unavailable.length) out.push('');

  // --- Load ---
  out.push('### Model load and first prediction');
  out.push('');
  const loadRows = combos
    .filter((c) => c.available && (c.cold.length || c.warm.length))
    .map((c) => [
      modelName(c.modelId),
      c.backend,
      c.cold.length,
      range(pick(c.cold, (v) => v.loadMs)),
      range(pick(c.cold, (v) => v.navToReadyMs)),
      range(pick(c.warm, (v) => v.loadMs)),
      range(pick(c.warm, (v) => v.navToReadyMs)),
      range(pick([...c.cold, ...c.warm], (v) => v.warmupMs)),
      range(pick(c.cold, (v) => v.firstPrediction?.wallMs)),
      range(pick(c.warm, (v) => v.firstPrediction?.wallMs)),
      range(pick([...c.cold, ...c.warm], (v) => v.firstPrediction?.workerMs)),
      `${bytes(median(c.cold.map((v) => v.transfer.modelBytes)))} / ${bytes(median(c.warm.map((v) => v.transfer.modelBytes)))}`,
      (() => {
        const visits = [...c.cold, ...c.warm];
        const count = Math.max(0, ...visits.map((v) => v.loadLongTasks.count));
        return count ? `${count} (${num(Math.max(...visits.map((v) => v.loadLongTasks.longestMs)))} ms)` : '0';
      })(),
    ]);
  out.push(
    mdTable(
      [
        'Model',
        'Backend',
        'n',
        'Cold load (network)¹',
        'Cold nav→ready',
        'Warm load (IndexedDB)¹',
        'Warm nav→ready',
        'Warm-up pass²',
        'First prediction, cold³',
        'First prediction, warm³',
        'of which worker⁴',
        'Model bytes fetched cold / warm',
        'Long tasks until ready (longest)⁵',
      ],
      loadRows,
    ),
  );
  out.push('');
  out.push('¹ Worker-side `loadMs`: fetch + SHA-256 check + parse + weight upload (cold: also writing the IndexedDB copy), or the IndexedDB read (warm). ');
  out.push('² One pass on a blank frame after loading (shader compilation / buffer allocation), included in nav→ready. ');
  out.push('³ `dog.jpg` (2.3 MB JPEG) through the photo input until its result is done: decode + crop + predict + CAM + render. ⁴ Worker time of that prediction (preprocess + predict + CAM). ');
  out.push('⁵ Main-thread tasks > 50 ms from navigation to ready, max over visits (page parsing, React mount, service worker registration).');
  out.push('');

  // --- Steady prediction ---
  out.push('### Steady prediction: bare `model.predict()` + read vs the full per-frame pipeline');
  out.push('');
  const benchRows = combos
    .filter((c) => c.available && c.bench?.bareMs?.length)
    .map((c) => {
      const bare = summary(c.bench.bareMs);
      const full = summary(c.bench.fullMs);
      const ratio = full.median / bare.median;
      const paired = summary(c.bench.fullMs.map((f, i) => f / c.bench.bareMs[i]));
      return [
        modelName(c.modelId),
        c.backend,
        bare.n,
        range(bare),
        range(full),
        `**${ratio.toFixed(3)}**`,
        `${paired.median.toFixed(3)} [${paired.min.toFixed(2)}–${paired.max.toFixed(2)}]`,
        (full.min / bare.min).toFixed(3),
        `${mark(ratio <= RATIO_GOAL)} ≤ ${RATIO_GOAL.toFixed(2)}`,
      ];
    });
  out.push(mdTable(['Model', 'Backend', 'runs', 'Bare predict + read', 'Full pipeline⁶', 'Ratio full/bare (medians)', 'Ratio per pair (median [min–max])', 'Ratio of minima⁷', 'Goal (medians)'], benchRows));
  out.push('');
  const warmups = combos.filter((c) => c.bench).map((c) => `${modelName(c.modelId)}/${c.backend}: ${c.bench.warmup.bareMs.length} pair${c.bench.warmup.bareMs.length === 1 ? '' : 's'}`).join(', ');
  out.push(`⁶ \`whatsInThePicture.benchPredict(runs)\`: in the worker, on a 224×224 frame, in pairs with the bare run (alternating which of the two goes first): preprocess + predict with the feature-map head + readback of probabilities and feature map + top-1 + CAM. Measured after a separate warm-up call (${warmups}), which is not counted: the first pairs after a load run slower while the JS around the kernels warms up. `);
  out.push('⁷ Background load only ever adds time, so on a busy machine the ratio of the fastest runs is the steadier estimate of the pipeline overhead.');
  out.push('');

  // --- Live ---
  const liveCombos = combos.filter((c) => c.available && c.live);
  if (liveCombos.length) {
    out.push(`### Live webcam (fake camera: kitchen-270x480-10fps.mjpeg), ${o.liveSeconds} s window after ${o.warmFrames} frames`);
    out.push('');
    const liveRows = [];
    for (const c of liveCombos) {
      for (const [who, r] of livePages(c)) {
        if (!r) {
          liveRows.push([modelName(c.modelId), c.backend, who, 'failed', '', '', '', '', '', '', '', '', '', '']);
          continue;
        }
        const distinct = r.newFrames / (r.windowMs / 1000);
        const droppedShare = r.presented > 0 ? (r.dropped ?? r.presented - r.newFrames) / r.presented : null;
        const droppedCount = r.dropped ?? Math.max(0, r.presented - r.newFrames);
        const vsBare = liveVsBare(r);
        const mem = memSamples(r);
        const heapDelta = mem[mem.length - 1].heapAfterGc - mem[0].heapAfterGc;
        liveRows.push([
          modelName(c.modelId),
          c.backend,
          who,
          r.fps.toFixed(2) + (Math.abs(distinct - r.fps) > 0.05 ? ` (${distinct.toFixed(2)} distinct)` : '') + (vsBare ? ` = ${vsBare.ratio.toFixed(2)}× bare¹⁴` : ''),
          r.cameraFps.toFixed(1),
          range(summary(r.inferMs)),
          pct((r.fps * (median(r.inferMs) ?? NaN)) / 1000, 0),
          workerCell(r.worker),
          `${droppedCount} of ${r.presented} (${pct(droppedShare, 0)})`,
          r.longTasks.count ? `${r.longTasks.count} (${num(r.longTasks.totalMs)} ms)` : '0',
          r.longTasks.count ? num(r.longTasks.longestMs) : '–',
          mem.map((x) => x.numTensors).join(' → '),
          `${mem.map((x) => bytes(x.heapAfterGc)).join(' → ')} (${signedBytes(heapDelta)})`,
          mem.map((x) => x.frames).join(' → '),
        ]);
      }
    }
    out.push(
      mdTable(
        ['Model', 'Backend', 'Page', 'Inference fps⁸', 'Camera fps', 'Inference time⁹', 'Busy¹¹', 'Worker clock¹²', 'Dropped camera frames', 'Long tasks > 50 ms (total)', 'Longest task', 'numTensors¹⁰', 'JS heap after GC¹⁰', 'at frames'],
        liveRows,
      ),
    );
    out.push('');
    const liveCpu = liveCombos.flatMap((c) =>
      livePages(c)
        .filter(([, r]) => r?.cpu)
        .map(([who, r]) => [modelName(c.modelId), c.backend, who, ...cpuCells(r.cpu)]),
    );
    if (liveCpu.length) {
      out.push('CPU time per inferred frame, by thread (ms, all cores; the page\'s workers are the model: for the peer only the WASM backend\'s own threads, its main thread runs the rest):');
      out.push('');
      out.push(mdTable(['Model', 'Backend', 'Page', 'Model (page workers)', 'Page main thread', 'Other workers', 'Page, other threads', 'Browser process', 'GPU process', 'Other (camera service)', 'All'], liveCpu));
      out.push('');
    }
    for (const c of liveCombos) {
      const top = c.live.ours?.attribution?.topScripts ?? [];
      if (top.length) {
        out.push(`Ours, ${modelName(c.modelId)} / ${c.backend}: main-thread script time in long animation frames during the window: ${top.map((t) => `${t.script} ${t.ms} ms`).join('; ')}.`);
        out.push('');
      }
    }
    out.push('⁸ Inferences per second over the window. The peer runs on every `requestAnimationFrame` and re-infers a video frame it has already seen; "distinct" counts only new camera frames. ');
    out.push('⁹ Ours: worker time per frame (preprocess + predict + CAM), sampled once a second. Peer: main-thread `tidy(fromPixels → preprocess → predict)` + `await data()` for every inference. ');
    out.push(`¹⁰ Ours: tensors alive in the worker; peer: on the main thread. JS heap = V8's used heap of the page (main thread; CDP \`Runtime.getHeapUsage\`) after a forced GC (CDP \`HeapProfiler.collectGarbage\`; long tasks overlapping it are not counted), after ${o.warmFrames} frames → after ${o.targetFrames} frames → at the end of the window. `);
    out.push('¹¹ fps × median inference time: the share of the window the inference thread (ours: the worker; peer: the main thread) spent inferring. The rest is waiting for the next camera frame, frame capture and messaging.');
    out.push(`¹² ${WORKER_CLOCK_NOTE}`);
    out.push('¹⁴ Against the bare predict (`benchPredict`, on a 224×224 test frame) timed in the same visit just before the webcam starts and again once it has stopped: the mean of the two medians.');
    out.push('');
  }

  // --- Bundle ---
  const b = results.bundle;
  if (b) {
    out.push('### Bundle (production build)');
    out.push('');
    const row = (label, files, extra = '') => {
      const raw = files.reduce((s, f) => s + f.raw, 0);
      const gz = files.reduce((s, f) => s + f.gzip, 0);
      return [label, files.map((f) => `\`${f.file.replace(/^assets\//, '')}\``).join(', ') || '–', bytes(raw), bytes(gz), extra];
    };
    const pk = (f) => (f.packages ?? []).filter((p) => p.share >= 0.05).map((p) => `${p.name} ${Math.round(p.share * 100)} %`).join(', ');
    const pkAll = (files) => files.map((f) => `${f.file.replace(/^assets\//, '')}: ${pk(f) || '?'}`).join('; ');
    const rows = [
      row('Main thread, initial JS (entry + static imports)', b.groups.initial, `${b.checks.mainThreadTfjs.length + b.checks.mainThreadTfjsPackages.length === 0 ? 'no TF.js ✓' : 'contains TF.js ✗'} — ${pkAll(b.groups.initial)}`),
      row('CSS', b.groups.css),
      ...b.groups.lazy.map((f) => row('Lazy chunk (dynamic import)', [f], pk(f))),
      ...b.groups.worker.map((f) => row('Inference worker', [f], pk(f))),
      ...b.groups.wasm.map((f) => row('WASM backend binary (one is loaded)', [f])),
      ...b.groups.other.filter((f) => f.file.endsWith('.js') || f.file.endsWith('.html')).map((f) => row(f.file === 'index.html' ? 'HTML' : f.kind === 'unreferenced' ? 'Other JS (not referenced from the entry)' : 'Other', [f])),
    ];
    out.push(mdTable(['Part', 'Files', 'Raw', 'gzip -9', 'Notes'], rows));
    out.push('');
    out.push(`Model weights (fetched once, then IndexedDB): ${Object.entries(b.modelBytes).map(([k, v]) => `${modelName(k)} ${bytes(v)}`).join(', ')}.`);
    out.push('');
  }

  // --- Batch ---
  if (results.batches?.length) {
    out.push(`### Batch: a folder of generated photos (ImageNet samples, ≈ 500×375 JPEG) picked through \`source.folder\``);
    out.push('');
    const rows = results.batches.map((b) => {
      const perPhoto = batchBytesPerPhoto(b);
      return [
        modelName(b.modelId),
        b.backend,
        b.photos,
        `${b.bareRate.toFixed(1)}/s (${Math.round(b.bareMs)} ms${b.bareMsAfter ? `; before ${Math.round(b.bareMsBefore)}, after ${Math.round(b.bareMsAfter)}` : ''})`,
        `${b.perSecond.toFixed(1)}/s`,
        `**${b.ratio.toFixed(2)}×**`,
        [b.before, ...b.samples].map((x) => `${x.photos ?? 0}: ${x.browser ? bytes(x.browser.pss) : '?'}`).join(' → '),
        perPhoto === null ? '—' : bytes(perPhoto),
        [b.before, ...b.samples].map((x) => bytes(x.heapAfterGc)).join(' → '),
        `${b.longTasks.count} (${b.longTasks.over100} > 100 ms), longest ${Math.round(b.longTasks.longestMs)} ms${b.pickTask ? `; the pick¹³: ${b.pickTask.ms} ms` : ''}`,
        workerCell(b.worker),
      ];
    });
    out.push(mdTable(['Model', 'Backend', 'Photos', 'Bare rate⁸', 'Batch rate⁹', 'Batch/bare', 'Browser memory (photos: PSS)¹¹', 'Per photo', 'JS heap after GC', 'Long tasks', 'Worker clock¹²'], rows));
    out.push('');
    out.push('⁸ `benchPredict` in the same visit, before and after the batch (median of both: the load drifts over a long batch). ⁹ Photos finished per second from the 20th to the last (the forced GCs at the checkpoints left out). ');
    out.push('¹¹ Proportional set size summed over the browser\'s processes (/proc smaps_rollup), after a forced GC of the page, before the batch and after each checkpoint.');
    out.push(`¹² ${WORKER_CLOCK_NOTE}`);
    out.push("¹³ The task in which the input's change event fired: Chromium building the list of the picked files before the page sees them (the app's own change handler is the script time in it, in the JSON). It is not counted with the batch's tasks.");
    out.push('');
    const cpuRows = results.batches.filter((b) => b.cpu?.perBarePrediction).map((b) => [modelName(b.modelId), `${ms1(b.cpu.perBarePrediction.model)} (${b.cpu.modelThreads} thread${b.cpu.modelThreads === 1 ? '' : 's'})`, ...cpuCells(b.cpu)]);
    if (cpuRows.length) {
      out.push(`CPU time per photo of the batch, by thread¹⁴ (ms, all cores):`);
      out.push('');
      out.push(mdTable(['Model', 'Model, one bare prediction', 'Model', 'Page main thread', 'Other workers (photo worker)', 'Page, other threads', 'Browser process', 'GPU process', 'Other', 'All'], cpuRows));
      out.push('');
      out.push(`¹⁴ ${CPU_NOTE}`);
      out.push('');
    }
  }

  // --- Goals ---
  out.push('### Goals');
  out.push('');
  for (const g of results.goals) out.push(`- ${mark(g.ok)} ${g.text}`);
  if (results.errors.length) {
    out.push('');
    out.push('### Errors (the benchmark itself failed here)');
    out.push('');
    for (const e of results.errors) out.push(`- ${e}`);
  }
  if (results.warnings.length) {
    out.push('');
    out.push('### Warnings');
    out.push('');
    for (const w of results.warnings) out.push(`- ${w}`);
  }
  return out.join('\n');
}
