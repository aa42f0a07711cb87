/**
 * The inference worker: owns TF.js, the backend and the loaded model. Messages are handled one at a
 * time in arrival order; the main thread keeps at most one live frame in flight (a batch: two photos).
 * The faithfulness check is the exception: its batches take turns with the other requests, and its
 * cancel acts at once.
 */
import * as tf from '@tensorflow/tfjs';
import { mixActivationMap, singleClass, type ClassMix, type FeatureMap, type Map2D } from '../cam/cam';
import { gradCamMix } from '../cam/gradcam';
import type { CamMethod, ExplainedMap } from '../cam/types';
import { removeStoredModel, storeImportedModel } from '../models/import/store-model';
import { loadModel, type LoadedModel } from '../models/load';
import { topK } from '../models/topk';
import { startBackend, webglContext } from './backend';
import { cancelFaithfulness, runFaithfulness } from './faithfulness-run';
import { FEATURE_CACHE_BYTES, FeatureCache } from './feature-cache';
import { bitmapToTensor } from './pixels';
import type { WorkerRequest, WorkerResponse } from './protocol';
import { WorkerClockKeeper } from './worker-clock';

/** The worker's global scope (the DOM typings describe a window, so name only what is used). */
const scope = self as unknown as {
  postMessage(message: WorkerResponse, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null;
};

let model: LoadedModel | null = null;
let inferences = 0;
const features = new FeatureCache(FEATURE_CACHE_BYTES);
const clock = new WorkerClockKeeper();

function post(message: WorkerResponse, transfer: Transferable[] = []) {
  scope.postMessage(message, transfer);
}

/** A head CAM does not hold for (an imported model's, or a graph model's that did not prove linear) always gets Grad-CAM. */
function methodFor(loaded: LoadedModel, method: CamMethod): CamMethod {
  return loaded.classifier ? method : 'gradcam';
}

/**
 * The map of a mix of classes given in Keras's order (Grad-CAM works on the model's own output order).
 * Groups, contrasts and the faithfulness check come here too, so a Grad-CAM-only model never gets CAM.
 */
function explainMix(loaded: LoadedModel, feature: FeatureMap, mix: ClassMix, asked: CamMethod): Map2D {
  if (loaded.classifier && asked === 'cam') return mixActivationMap(feature, loaded.classifier, mix);
  const outputMix = mix.map(({ classIndex, weight }) => ({ classIndex: loaded.outputIndex(classIndex), weight }));
  return gradCamMix(loaded.head, feature, outputMix);
}

function explain(loaded: LoadedModel, feature: FeatureMap, classIndex: number, asked: CamMethod): ExplainedMap {
  const method = methodFor(loaded, asked);
  const map = explainMix(loaded, feature, singleClass(classIndex), method);
  return { classIndex, method, width: map.width, height: map.height, data: map.data };
}

function keptFeatures(key: string): FeatureMap {
  const feature = features.get(key);
  if (!feature) throw new Error("This photo's feature map is no longer kept; classify it again to explain another class");
  return feature;
}

function requireModel(): LoadedModel {
  if (!model) throw new Error('No model is loaded yet');
  return model;
}

async function handle(request: WorkerRequest): Promise<void> {
  switch (request.type) {
    case 'init': {
      post({ type: 'backend', info: await startBackend(request.backend, request.threads, (message) => post({ type: 'fatal', message })) });
      return;
    }
    case 'load': {
      model?.dispose();
      model = null;
      features.clear();
      const { spec } = request;
      const started = performance.now();
      const loaded = await loadModel(spec, {
        url: request.url,
        cache: request.cache,
        classWnids: request.classWnids,
        onProgress: (p) => post({ type: 'progress', id: request.id, ...p }),
      });
      const loadMs = performance.now() - started;
      // One pass on a blank frame compiles shaders / allocates buffers so the first real photo is not the slow one.
      const warmStart = performance.now();
      const blank = tf.zeros([spec.inputSize, spec.inputSize, 3], 'int32') as tf.Tensor3D;
      await loaded.predict(blank).finally(() => blank.dispose());
      model = loaded;
      post({ type: 'loaded', id: request.id, modelId: spec.id, loadMs, warmupMs: performance.now() - warmStart, fromCache: loaded.fromCache });
      return;
    }
    case 'predict': {
      const loaded = requireModel();
      const t0 = performance.now();
      const pixels = bitmapToTensor(request.frame);
      const t1 = performance.now();
      const prediction = await loaded.predict(pixels).finally(() => pixels.dispose());
      inferences++;
      const t2 = performance.now();
      const top = topK(prediction.probs, request.topK);
      const cam = explain(loaded, prediction.features, request.camClass ?? top[0].index, request.method);
      const topCams = request.camForTop
        ? top.filter((t) => t.index !== cam.classIndex).map((t) => explain(loaded, prediction.features, t.index, request.method))
        : [];
      const t3 = performance.now();
      if (request.keepAs) features.set(request.keepAs, prediction.features);
      const probs = request.allProbs ? prediction.probs : null;
      const timings = { preprocessMs: t1 - t0, inferMs: t2 - t1, camMs: t3 - t2, totalMs: t3 - t0 };
      clock.predicted(timings);
      post(
        {
          type: 'prediction',
          id: request.id,
          top,
          probs,
          cam,
          topCams,
          timings,
          inferences,
          numTensors: tf.memory().numTensors,
          clock: clock.read(),
        },
        [cam.data.buffer, ...topCams.map((c) => c.data.buffer), ...(probs ? [probs.buffer] : [])],
      );
      return;
    }
    case 'explain': {
      const cam = explain(requireModel(), keptFeatures(request.key), request.classIndex, request.method);
      post({ type: 'explanation', id: request.id, cam }, [cam.data.buffer]);
      return;
    }
    case 'explain-mix': {
      const loaded = requireModel();
      const method = methodFor(loaded, request.method);
      const map = explainMix(loaded, keptFeatures(request.key), request.mix, method);
      post({ type: 'mix-explanation', id: request.id, map: { method, ...map } }, [map.data.buffer]);
      return;
    }
    case 'faithfulness':
    case 'faithfulness-cancel':
      throw new Error(`${request.type} is handled as it arrives, outside the queue`);
    case 'forget': {
      for (const key of request.keys) features.delete(key);
      return;
    }
    case 'import': {
      const { camHolds } = await storeImportedModel(request.spec, request.artifacts, request.classWnids);
      post({ type: 'imported', id: request.id, camHolds });
      return;
    }
    case 'remove': {
      await removeStoredModel(request.url);
      post({ type: 'removed', id: request.id });
      return;
    }
    case 'bench': {
      const loaded = requireModel();
      const pixels = bitmapToTensor(request.frame);
      const bareMs: number[] = [];
      const fullMs: number[] = [];
      try {
        const bare = async () => {
          const start = performance.now();
          await loaded.predictBare(pixels);
          bareMs.push(performance.now() - start);
        };
        const full = async () => {
          const start = performance.now();
          const prediction = await loaded.predict(pixels);
          explain(loaded, prediction.features, topK(prediction.probs, 1)[0].index, 'cam');
          fullMs.push(performance.now() - start);
        };
        // Alternate which goes first, so order and warm-up effects cancel out.
        for (let run = 0; run < request.runs; run++) {
          if (run % 2 === 0) {
            await bare();
            await full();
          } else {
            await full();
            await bare();
          }
        }
      } finally {
        pixels.dispose();
      }
      post({ type: 'bench-result', id: request.id, bareMs, fullMs });
      return;
    }
    case 'fault': {
      if (request.fault === 'crash') {
        setTimeout(() => {
          throw new Error('Simulated worker crash');
        });
      } else {
        const lose = webglContext()?.getExtension('WEBGL_lose_context');
        if (!lose) throw new Error('No WebGL context to lose (the backend is not WebGL)');
        lose.loseContext();
      }
      return;
    }
    default:
      assertNever(request);
  }
}

function assertNever(value: never): never {
  throw new Error(`Unknown worker request ${JSON.stringify(value)}`);
}

const PHASES = {
  init: 'init',
  load: 'load',
  predict: 'predict',
  explain: 'explain',
  'explain-mix': 'explain',
  faithfulness: 'explain',
  'faithfulness-cancel': 'explain',
  forget: 'explain',
  import: 'load',
  remove: 'load',
  bench: 'predict',
  fault: 'predict',
} as const;

let queue = Promise.resolve();

/** Runs `task` as one turn of the request queue (after every request that arrived before). */
function inQueue<T>(task: () => Promise<T> | T): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    queue = queue.then(async () => {
      try {
        resolve(await task());
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
}

/** The faithfulness check: its batches take turns in the queue with the other requests. */
function startFaithfulness(request: Extract<WorkerRequest, { type: 'faithfulness' }>) {
  const prepare = () => {
    const tensor = bitmapToTensor(request.frame);
    try {
      const loaded = requireModel();
      const feature = keptFeatures(request.key);
      const classMap = (method: CamMethod) => explainMix(loaded, feature, singleClass(request.classIndex), method);
      return { loaded, pixels: Float32Array.from(tensor.dataSync()), size: tensor.shape[0], maps: { cam: classMap('cam'), gradcam: classMap('gradcam') } };
    } finally {
      tensor.dispose();
    }
  };
  runFaithfulness(request.id, request, prepare, {
    inQueue,
    isCurrent: (loaded) => model === loaded,
    counted: (images) => (inferences += images),
    progress: (done, total) => post({ type: 'faithfulness-step', id: request.id, done, total }),
  }).then(
    (curves) => post({ type: 'faithfulness-result', id: request.id, curves }),
    (error: unknown) => post({ type: 'error', id: request.id, phase: 'explain', message: error instanceof Error ? error.message : String(error) }),
  );
}

/** One request's turn: handled, a failure answered as an error, the worker's clock kept. */
async function turn(request: WorkerRequest): Promise<void> {
  clock.started();
  try {
    await handle(request);
  } catch (error) {
    if (request.type === 'predict') request.frame.close();
    post({
      type: 'error',
      id: 'id' in request ? request.id : null,
      phase: PHASES[request.type],
      message: error instanceof Error ? error.message : String(error),
    });
  } finally {
    clock.ended();
  }
}

scope.onmessage = (event) => {
  const request = event.data;
  if (request.type === 'faithfulness-cancel') return cancelFaithfulness(request.id);
  if (request.type === 'faithfulness') return startFaithfulness(request);
  queue = queue.then(() => turn(request));
};
