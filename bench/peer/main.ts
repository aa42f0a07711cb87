/// <reference types="vite/client" />
/**
 * The benchmark's peer baseline: the same model run on the MAIN thread for every frame, as the
 * `@tensorflow-models/mobilenet` demos do — `tf.browser.fromPixels(video)`, preprocess, `model.predict`
 * inside `tf.tidy`, then `await data()`, and the next `requestAnimationFrame`. No worker, no frame
 * dropping policy of its own (a frame that is still the same video frame is inferred again, as there).
 *
 * URL: `?model=mobilenet_v1_0.75|resnet50&backend=webgl|wasm|cpu[&threads=N][&autostart=0]` (threads: as the app's `?threads=`).
 * `window.peer` exposes the state and counters to the benchmark driver (scripts/bench.mjs).
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { threadCount } from '../../src/worker/thread-count';
import { startWithThreads, threadsInUse } from '../../src/worker/wasm-threads';

type Mode = 'caffe' | 'tf';
/** Same files and preprocessing as the app's catalog (scripts/models/models.json); the app build serves models/. */
const MODELS: Record<string, { url: string; size: number; mode: Mode }> = {
  'mobilenet_v1_0.75': { url: '../models/mobilenet_v1_0.75/model.json', size: 224, mode: 'tf' },
  resnet50: { url: '../models/resnet50/model.json', size: 224, mode: 'caffe' },
};
const CAFFE_BGR_MEANS = [103.939, 116.779, 123.68];

interface PeerStats {
  state: 'loading' | 'ready' | 'live' | 'error';
  error: string | null;
  backend: string | null;
  wasmThreads: number | null;
  loadMs: number | null;
  warmupMs: number | null;
  /** Inferences run (every rAF while live). */
  frames: number;
  /** Inferences that saw a video frame not inferred before. */
  newFrames: number;
  /** Video frames presented while live (requestVideoFrameCallback). */
  presented: number;
  /** performance.now() at the end of each inference, and its duration (fromPixels → data()). */
  doneAt: number[];
  inferMs: number[];
}

const stats: PeerStats = {
  state: 'loading',
  error: null,
  backend: null,
  wasmThreads: null,
  loadMs: null,
  warmupMs: null,
  frames: 0,
  newFrames: 0,
  presented: 0,
  doneAt: [],
  inferMs: [],
};

const params = new URLSearchParams(location.search);
const modelId = params.get('model') ?? 'mobilenet_v1_0.75';
const backendName = params.get('backend') ?? 'wasm';
const statusLine = document.getElementById('status') as HTMLParagraphElement;
const video = document.getElementById('video') as HTMLVideoElement;
let model: tf.LayersModel | null = null;
let running = false;

function setState(state: PeerStats['state'], text: string) {
  stats.state = state;
  document.body.dataset.state = state;
  statusLine.textContent = text;
}

function preprocess(pixels: tf.Tensor3D, size: number, mode: Mode): tf.Tensor4D {
  const x = pixels.toFloat();
  const normalised = mode === 'tf' ? x.div(127.5).sub(1) : tf.reverse(x, -1).sub(tf.tensor1d(CAFFE_BGR_MEANS));
  const resized = tf.image.resizeBilinear(normalised as tf.Tensor3D, [size, size], true);
  return resized.expandDims(0) as tf.Tensor4D;
}

async function startBackend() {
  if (backendName === 'wasm') {
    setWasmPaths({
      'tfjs-backend-wasm.wasm': new URL(wasmPlain, location.href).href,
      'tfjs-backend-wasm-simd.wasm': new URL(wasmSimd, location.href).href,
      'tfjs-backend-wasm-threaded-simd.wasm': new URL(wasmThreadedSimd, location.href).href,
    });
  }
  // The same threads as the app's worker (see wasm-threads.ts), so the two differ only in where the model runs.
  const threaded = backendName === 'wasm' && self.crossOriginIsolated;
  const started = threaded ? await startWithThreads(threadCount(Number(params.get('threads') ?? 0), navigator.hardwareConcurrency), () => tf.setBackend(backendName)) : await tf.setBackend(backendName);
  if (!started) throw new Error(`backend ${backendName} could not start`);
  if (backendName === 'wasm') stats.wasmThreads = threadsInUse();
  await tf.ready();
  stats.backend = tf.getBackend();
}

let lastPresented = -1;
let inferredPresented = -1;

function countFrames() {
  const v = video as HTMLVideoElement & {
    requestVideoFrameCallback?: (cb: (now: number, meta: { presentedFrames: number }) => void) => number;
  };
  if (!v.requestVideoFrameCallback) return;
  const onFrame = (_now: number, meta: { presentedFrames: number }) => {
    if (running) stats.presented += lastPresented < 0 ? 1 : Math.max(1, meta.presentedFrames - lastPresented);
    lastPresented = meta.presentedFrames;
    v.requestVideoFrameCallback?.(onFrame);
  };
  v.requestVideoFrameCallback(onFrame);
}

/** One demo-style step: classify the current video frame on the main thread, then the next rAF. */
async function step() {
  if (!running || !model) return;
  const spec = MODELS[modelId];
  const started = performance.now();
  const current = model;
  const logits = tf.tidy(() => current.predict(preprocess(tf.browser.fromPixels(video), spec.size, spec.mode)) as tf.Tensor);
  const probs = await logits.data();
  logits.dispose();
  let best = 0;
  for (let i = 1; i < probs.length; i++) if (probs[i] > probs[best]) best = i;
  const now = performance.now();
  stats.frames++;
  if (lastPresented !== inferredPresented) stats.newFrames++;
  inferredPresented = lastPresented;
  stats.doneAt.push(now);
  stats.inferMs.push(now - started);
  statusLine.textContent = `live: class ${best} (${(probs[best] * 100).toFixed(1)}%), ${stats.frames} frames`;
  requestAnimationFrame(() => void step());
}

async function startCamera() {
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: false,
    video: { facingMode: 'user', width: { ideal: 1280 }, height: { ideal: 720 } },
  });
  video.srcObject = stream;
  await video.play();
  countFrames();
  running = true;
  setState('live', 'live');
  requestAnimationFrame(() => void step());
}

async function main() {
  const spec = MODELS[modelId];
  if (!spec) throw new Error(`unknown model ${modelId}`);
  await startBackend();
  const t0 = performance.now();
  model = await tf.loadLayersModel(new URL(spec.url, location.href).href);
  stats.loadMs = performance.now() - t0;
  const t1 = performance.now();
  const current = model;
  const warm = tf.tidy(() => current.predict(tf.zeros([1, spec.size, spec.size, 3])) as tf.Tensor);
  await warm.data();
  warm.dispose();
  stats.warmupMs = performance.now() - t1;
  setState('ready', `ready (${stats.backend})`);
  if (params.get('autostart') !== '0') await startCamera();
}

const api = {
  stats: () => ({ ...stats, doneAt: undefined, inferMs: undefined }),
  /** Durations of the inferences that finished within [from, to] (performance.now() times). */
  inferencesBetween(from: number, to: number) {
    const out: number[] = [];
    stats.doneAt.forEach((t, i) => {
      if (t >= from && t <= to) out.push(stats.inferMs[i]);
    });
    return out;
  },
  numTensors: () => tf.memory().numTensors,
  start: () => startCamera(),
  stop() {
    running = false;
    const stream = video.srcObject as MediaStream | null;
    stream?.getTracks().forEach((t) => t.stop());
  },
};
(window as unknown as { peer: typeof api }).peer = api;
// `?debug`: TF.js and the model on window, for experiments from the devtools console.
if (params.has('debug')) Object.assign(window, { tf, peerModel: () => model });

main().catch((error: unknown) => {
  stats.error = error instanceof Error ? error.message : String(error);
  setState('error', `error: ${stats.error}`);
});
