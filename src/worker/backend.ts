import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgl';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { BackendInfo, BackendName, BackendPreference } from './protocol';
import { threadCount, threadsLabel, wasmSingleThreadReason } from './thread-count';
import { startWithThreads, threadsInUse } from './wasm-threads';

/** Renderer strings of software rasterisers: WebGL there is slower than WASM on the CPU. */
const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software|microsoft basic render/i;

/** Why a worker has no WebGL, in words for the user. */
function noWebglReason(): string {
  return typeof OffscreenCanvas === 'undefined'
    ? 'WebGL is unavailable: this browser has no OffscreenCanvas in workers'
    : 'WebGL is unavailable in the background worker (this browser gives workers no WebGL context on OffscreenCanvas)';
}

/** The unmasked WebGL renderer, or null when this worker cannot create a WebGL context at all. */
export function webglRenderer(): string | null {
  try {
    if (typeof OffscreenCanvas === 'undefined') return null;
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2') ?? new OffscreenCanvas(1, 1).getContext('webgl');
    if (!gl) return null;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return renderer;
  } catch {
    return null;
  }
}

let wasmConfigured = false;

function configureWasm() {
  if (wasmConfigured) return;
  setWasmPaths({
    'tfjs-backend-wasm.wasm': new URL(wasmPlain, self.location.href).href,
    'tfjs-backend-wasm-simd.wasm': new URL(wasmSimd, self.location.href).href,
    'tfjs-backend-wasm-threaded-simd.wasm': new URL(wasmThreadedSimd, self.location.href).href,
  });
  wasmConfigured = true;
}

/** `threads`: for WASM where threads are possible. */
async function tryBackend(name: BackendName, threads: number): Promise<boolean> {
  try {
    let started: boolean;
    if (name === 'wasm') {
      configureWasm();
      started = wasmSingleThreadReason() === null ? await startWithThreads(threads, () => tf.setBackend(name)) : await tf.setBackend(name);
    } else {
      started = await tf.setBackend(name);
    }
    if (!started) return false;
    await tf.ready();
    // A backend can register yet fail on first use (e.g. WebGL without float textures): run one op.
    tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(1)).dataSync());
    return tf.getBackend() === name;
  } catch {
    return false;
  }
}

/** How many threads WASM runs on, and whose choice that is. */
function threadsReason(threads: number, choice: number): string {
  const count = threads === 1 ? 'one thread' : `${threads} threads`;
  if (choice > 0) return `${threadsLabel(threads)}, as chosen in Settings`;
  const cores = navigator.hardwareConcurrency || 1;
  return `${count}, the automatic choice for ${cores} core${cores === 1 ? '' : 's'} (Settings can change it)`;
}

/**
 * Picks and starts a backend. `auto`: WebGL on a real GPU; WASM where WebGL is missing or rendered in
 * software (measured here: WASM+SIMD runs both models 6–10× faster than SwiftShader WebGL); CPU last.
 * A forced choice that cannot start falls back the same way, and the reason says so.
 */
export async function startBackend(preference: BackendPreference, threadChoice: number, onFatal: (message: string) => void): Promise<BackendInfo> {
  const threads = threadCount(threadChoice, navigator.hardwareConcurrency);
  const renderer = webglRenderer();
  const software = renderer !== null && SOFTWARE_RENDERER.test(renderer);
  let order: BackendName[];
  let why: string;
  if (preference !== 'auto') {
    order = [preference, ...(['webgl', 'wasm', 'cpu'] as const).filter((b) => b !== preference)];
    why = `${preference} chosen in settings`;
  } else if (renderer === null) {
    order = ['wasm', 'cpu'];
    why = noWebglReason();
  } else if (software) {
    order = ['wasm', 'webgl', 'cpu'];
    why = `WebGL is software-rendered (${renderer.match(SOFTWARE_RENDERER)?.[0] ?? renderer}), WASM is faster here`;
  } else {
    order = ['webgl', 'wasm', 'cpu'];
    why = 'GPU available';
  }
  for (const [attempt, name] of order.entries()) {
    if (await tryBackend(name, threads)) {
      let reason = attempt === 0 ? why : `${order[0]} could not start (${why}); fell back to ${name}`;
      let wasmThreads = 1;
      let wasmSimd = false;
      if (name === 'wasm') {
        const singleThread = wasmSingleThreadReason();
        const shared = singleThread === null && (await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) === true;
        wasmThreads = shared ? threadsInUse() : 1;
        wasmSimd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
        if (!shared) reason += `; one thread only, because ${singleThread ?? 'this browser cannot share WebAssembly memory between threads'}`;
        else reason += `; ${threadsReason(wasmThreads, threadChoice)}`;
        if (!wasmSimd) reason += '; no WebAssembly SIMD in this browser (slower)';
      }
      if (name === 'webgl') watchContextLoss(onFatal);
      return { backend: name, reason, renderer, wasmThreads, wasmSimd };
    }
  }
  throw new Error('No TensorFlow.js backend could start (tried WebGL, WASM and CPU)');
}


interface WebglBackendInternals {
  gpgpu?: { gl?: WebGL2RenderingContext | WebGLRenderingContext };
}

/** The WebGL context TF.js renders with, or null on other backends. */
export function webglContext(): WebGL2RenderingContext | WebGLRenderingContext | null {
  return (tf.backend() as unknown as WebglBackendInternals).gpgpu?.gl ?? null;
}

/** A lost GPU context cannot be used again by TF.js: report it so the worker is restarted. */
function watchContextLoss(onFatal: (message: string) => void) {
  const canvas = webglContext()?.canvas;
  if (canvas && 'addEventListener' in canvas) {
    canvas.addEventListener('webglcontextlost', () => onFatal('The GPU (WebGL) context was lost'), { once: true });
  }
}
