import * as tf from '@tensorflow/tfjs';
import type { ClassifierWeights, FeatureMap } from '../cam/cam';
import { preprocess } from './preprocess';
import type { ModelSpec } from './registry';

export interface LoadProgress {
  loaded: number;
  total: number;
  fromCache: boolean;
}

export interface LoadOptions {
  /** Absolute URL of model.json. */
  url: string;
  onProgress?: (progress: LoadProgress) => void;
  /** Keep a copy in IndexedDB and load from it next time. */
  cache?: boolean;
}

export interface Prediction {
  /** Softmax over all classes, in the model's label order. */
  probs: Float32Array;
  /** The last conv feature map, the A of CAM. */
  features: FeatureMap;
}

/** A loaded model: `predict` runs one forward pass that yields the probabilities and the feature map. */
export interface LoadedModel {
  spec: ModelSpec;
  fromCache: boolean;
  classifier: ClassifierWeights;
  /** RGB pixels (H×W×3, 0–255, already the model's input size) → prediction. No tensor outlives it. */
  predict(pixels: tf.Tensor3D): Promise<Prediction>;
  /** Bare `model.predict()` + read of the probabilities: the baseline the benchmark compares against. */
  predictBare(pixels: tf.Tensor3D): Promise<Float32Array>;
  /** The Keras model, for Grad-CAM. */
  model: tf.LayersModel;
  dispose(): void;
}

/** Bump when cached models must be refetched (e.g. the files changed). */
const CACHE_VERSION = 1;

export function cacheKey(spec: ModelSpec): string {
  return `indexeddb://whats-in-the-picture/${spec.id}/v${CACHE_VERSION}`;
}

/** Bytes of all weights listed in a model.json manifest (float32/int32 = 4 bytes, others as declared). */
export function manifestBytes(modelJson: { weightsManifest?: { weights: { shape: number[]; dtype?: string }[] }[] }): number {
  const bytesPer: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, float16: 2, uint16: 2 };
  let total = 0;
  for (const group of modelJson.weightsManifest ?? []) {
    for (const weight of group.weights) {
      total += weight.shape.reduce((a, b) => a * b, 1) * (bytesPer[weight.dtype ?? 'float32'] ?? 4);
    }
  }
  return total;
}

/**
 * A fetch that counts body bytes as they stream in, so progress is in real bytes (model.json gives the
 * total before any shard arrives).
 */
function countingFetch(onBytes: (delta: number) => void, onManifest: (total: number) => void): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    if (!response.ok) {
      throw new Error(`${String(input).split('/').pop()} could not be loaded (HTTP ${response.status})`);
    }
    const url = String(input);
    if (url.endsWith('.json')) {
      const text = await response.text();
      onManifest(manifestBytes(JSON.parse(text)));
      return new Response(text, { status: 200, headers: response.headers });
    }
    if (!response.body) return response;
    const reader = response.body.getReader();
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const { done, value } = await reader.read();
        if (done) {
          controller.close();
          return;
        }
        onBytes(value.byteLength);
        controller.enqueue(value);
      },
      cancel: (reason) => reader.cancel(reason),
    });
    return new Response(stream, { status: response.status, headers: response.headers });
  };
}

async function isCached(key: string): Promise<boolean> {
  try {
    const models = await tf.io.listModels();
    return key in models;
  } catch {
    return false;
  }
}

async function fetchLayersModel(options: LoadOptions): Promise<tf.LayersModel> {
  let loaded = 0;
  let total = 0;
  const report = () => options.onProgress?.({ loaded, total, fromCache: false });
  const fetchFunc = countingFetch(
    (delta) => {
      loaded += delta;
      report();
    },
    (bytes) => {
      total = bytes;
      report();
    },
  );
  return tf.loadLayersModel(options.url, { fetchFunc });
}

/** Checks the model has what the registry promises, so a wrong file fails at load, not at first predict. */
function checkShape(model: tf.LayersModel, spec: ModelSpec) {
  const input = model.inputs[0].shape;
  if (input[1] !== spec.inputSize || input[2] !== spec.inputSize || input[3] !== 3) {
    throw new Error(`${spec.displayName}: expected a ${spec.inputSize}×${spec.inputSize}×3 input, the file has ${input.slice(1).join('×')}`);
  }
  model.getLayer(spec.featureLayer);
  model.getLayer(spec.classifierLayer);
}

/** Reads the classifier kernel (dense K×C or 1×1 conv 1×1×K×C) as a K×C matrix. */
function readClassifier(model: tf.LayersModel, spec: ModelSpec): ClassifierWeights {
  const kernel = model.getLayer(spec.classifierLayer).getWeights()[0];
  const classes = kernel.shape[kernel.shape.length - 1];
  const channels = kernel.size / classes;
  return { kernel: kernel.dataSync() as Float32Array, channels, classes };
}

export async function loadModel(spec: ModelSpec, options: LoadOptions): Promise<LoadedModel> {
  const key = cacheKey(spec);
  let model: tf.LayersModel | null = null;
  let fromCache = false;
  if (options.cache && (await isCached(key))) {
    try {
      model = await tf.loadLayersModel(key);
      fromCache = true;
      const bytes = model.weights.reduce((sum, w) => sum + w.shape.reduce<number>((a, b) => a * (b ?? 1), 1) * 4, 0);
      options.onProgress?.({ loaded: bytes, total: bytes, fromCache });
    } catch {
      await tf.io.removeModel(key).catch(() => undefined);
      model = null;
    }
  }
  if (!model) {
    model = await fetchLayersModel(options);
    if (options.cache) {
      // A full or blocked IndexedDB only costs the next visit a download; it never fails this load.
      await model.save(key).catch(() => undefined);
    }
  }
  checkShape(model, spec);
  const classifier = readClassifier(model, spec);
  const featureOutput = model.getLayer(spec.featureLayer).output as tf.SymbolicTensor;
  const twoHeaded = tf.model({ inputs: model.inputs, outputs: [featureOutput, model.outputs[0]] });
  const loadedModel = model;

  return {
    spec,
    fromCache,
    classifier,
    model: loadedModel,
    async predict(pixels) {
      const [features, probs] = tf.tidy(() => twoHeaded.predict(preprocess(pixels, spec.preprocess)) as tf.Tensor[]);
      try {
        const [featureData, probData] = await Promise.all([features.data(), probs.data()]);
        const [, height, width, channels] = features.shape;
        return {
          probs: probData as Float32Array,
          features: { data: featureData as Float32Array, height, width, channels },
        };
      } finally {
        features.dispose();
        probs.dispose();
      }
    },
    async predictBare(pixels) {
      const probs = tf.tidy(() => loadedModel.predict(preprocess(pixels, spec.preprocess)) as tf.Tensor);
      try {
        return (await probs.data()) as Float32Array;
      } finally {
        probs.dispose();
      }
    },
    dispose() {
      loadedModel.dispose();
    },
  };
}
