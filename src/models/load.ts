import * as tf from '@tensorflow/tfjs';
import type { ClassifierWeights, FeatureMap } from '../cam/cam';
import { mappedClasses, outputToClassIndex, parseWnidList, reorderColumns, reorderScores } from './class-order';
import { manifestBytes } from './manifest';
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
  /** WordNet ids of the classes in Keras's order: needed by models with their own class order (`outputWnids`). */
  classWnids?: readonly string[];
}

export interface Prediction {
  /** Probabilities of all classes, in Keras's class order whatever the model's own. */
  probs: Float32Array;
  /** The last conv feature map, the A of CAM. */
  features: FeatureMap;
}

/** A loaded model: `predict` runs one forward pass that yields the probabilities and the feature map. */
export interface LoadedModel {
  spec: ModelSpec;
  fromCache: boolean;
  /** Classifier weights with their columns in Keras's class order. */
  classifier: ClassifierWeights;
  /** The model's output index of a Keras class (they differ for models with their own class order). */
  outputIndex(classIndex: number): number;
  /** RGB pixels (H×W×3, 0–255, already the model's input size) → prediction. No tensor outlives it. */
  predict(pixels: tf.Tensor3D): Promise<Prediction>;
  /** Bare `model.predict()` + read of the probabilities: the baseline the benchmark compares against. */
  predictBare(pixels: tf.Tensor3D): Promise<Float32Array>;
  /** The Keras model, for Grad-CAM. */
  model: tf.LayersModel;
  dispose(): void;
}

export { manifestBytes };

/** Bump when cached models must be refetched (e.g. the files changed). */
const CACHE_VERSION = 1;

export function cacheKey(spec: ModelSpec): string {
  return `indexeddb://whats-in-the-picture/${spec.id}/v${CACHE_VERSION}`;
}

export class ModelIntegrityError extends Error {
  override name = 'ModelIntegrityError';
}

/** A model file could not be fetched (HTTP error or no network); names the file. */
export class ModelFetchError extends Error {
  override name = 'ModelFetchError';
}

/**
 * Many static hosts (and `vite preview`) answer a missing file with the site's start page and status 200
 * (single-page-app fallback): a model file served as an HTML page is a missing file.
 */
function isPageFallback(response: Response): boolean {
  return (response.headers.get('content-type') ?? '').toLowerCase().startsWith('text/html');
}

/** `SHA256SUMS` next to model.json (`<hex>  <file>` lines), or null when the folder has none. */
async function fetchChecksums(modelUrl: string): Promise<Map<string, string> | null> {
  const response = await fetch(new URL('SHA256SUMS', modelUrl)).catch(() => null);
  if (!response?.ok || isPageFallback(response)) return null;
  const sums = new Map<string, string>();
  for (const line of (await response.text()).split('\n')) {
    const match = /^([0-9a-f]{64})\s+\*?(.+)$/.exec(line.trim());
    if (match) sums.set(match[2], match[1]);
  }
  return sums.size > 0 ? sums : null;
}

async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

async function readCounting(response: Response, onBytes: (delta: number) => void): Promise<Uint8Array<ArrayBuffer>> {
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    length += value.byteLength;
    onBytes(value.byteLength);
  }
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/**
 * A fetch for tf.loadLayersModel that counts bytes as they arrive (model.json gives the total first)
 * and checks every file against SHA256SUMS when the model folder has one.
 */
function verifyingFetch(
  sums: Map<string, string> | null,
  onBytes: (delta: number) => void,
  onManifest: (total: number) => void,
): typeof fetch {
  return async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    const name = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? url);
    const response = await fetch(input, init).catch(() => {
      throw new ModelFetchError(`${name} could not be downloaded (no network connection?)`);
    });
    if (!response.ok) throw new ModelFetchError(`${name} could not be loaded (HTTP ${response.status})`);
    if (isPageFallback(response)) throw new ModelFetchError(`${name} is not on the server (it answered with a web page instead of the file)`);
    const bytes = await readCounting(response, name.endsWith('.json') ? () => undefined : onBytes);
    const expected = sums?.get(name);
    if (sums && !expected) throw new ModelIntegrityError(`${name} is not listed in the model's SHA256SUMS`);
    if (expected && (await sha256Hex(bytes)) !== expected) {
      throw new ModelIntegrityError(`${name} is corrupt or incomplete (its SHA-256 checksum does not match)`);
    }
    if (name.endsWith('.json')) onManifest(manifestBytes(JSON.parse(new TextDecoder().decode(bytes))));
    return new Response(bytes, { status: 200, headers: response.headers });
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
  const sums = await fetchChecksums(options.url);
  const fetchFunc = verifyingFetch(
    sums,
    (delta) => {
      loaded += delta;
      report();
    },
    (bytes) => {
      total = bytes;
      report();
    },
  );
  try {
    return await tf.loadLayersModel(options.url, { fetchFunc });
  } catch (error) {
    if (error instanceof ModelIntegrityError || error instanceof ModelFetchError || !(error instanceof Error)) throw error;
    // Without checksums, a short or damaged shard shows up as a shape mismatch deep inside TF.js.
    if (total > 0 && loaded !== total) {
      throw new ModelIntegrityError(`the weight files are incomplete (${loaded} of ${total} bytes)`);
    }
    throw error;
  }
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

/**
 * For a model with its own class order: its WordNet id list (given inline for an imported model; else a
 * file next to model.json, checked against the folder's SHA256SUMS like every other file) mapped onto Keras's order.
 */
async function fetchClassOrder(spec: ModelSpec, options: LoadOptions): Promise<Int32Array | null> {
  if (!spec.outputWnids && !spec.outputWnidList) return null;
  const classWnids = options.classWnids ?? [];
  if (classWnids.length === 0 || classWnids.some((wnid) => !wnid)) {
    throw new Error(`${spec.displayName} names its classes by WordNet id, and this app's class index has none; run \`npm run models\` with the full imagenet_class_index.json`);
  }
  try {
    if (spec.outputWnidList) return outputToClassIndex(spec.outputWnidList, classWnids);
    const fetchFunc = verifyingFetch(await fetchChecksums(options.url), () => undefined, () => undefined);
    const response = await fetchFunc(new URL(spec.outputWnids!, options.url).href);
    return outputToClassIndex(parseWnidList(await response.text()), classWnids);
  } catch (error) {
    if (error instanceof ModelIntegrityError || error instanceof ModelFetchError) throw error;
    throw new Error(`${spec.displayName}: its label list ${spec.outputWnids ?? ''} does not fit the ImageNet classes: ${(error as Error).message}`);
  }
}

function inverse(order: Int32Array): Int32Array {
  const out = new Int32Array(mappedClasses(order));
  order.forEach((classIndex, output) => {
    if (classIndex >= 0) out[classIndex] = output;
  });
  return out;
}

/** Where an imported model is kept: read from this browser's storage, never from the network. */
export function isStoredUrl(url: string): boolean {
  return url.startsWith('indexeddb://');
}

/** A model from IndexedDB (the download cache, or an imported model), reporting its size as progress. */
async function loadStored(key: string, options: LoadOptions): Promise<tf.LayersModel> {
  const model = await tf.loadLayersModel(key);
  const bytes = model.weights.reduce((sum, w) => sum + w.shape.reduce<number>((a, b) => a * (b ?? 1), 1) * 4, 0);
  options.onProgress?.({ loaded: bytes, total: bytes, fromCache: true });
  return model;
}

export async function loadModel(spec: ModelSpec, options: LoadOptions): Promise<LoadedModel> {
  const key = cacheKey(spec);
  let model: tf.LayersModel | null = null;
  let fromCache = false;
  if (isStoredUrl(options.url)) {
    model = await loadStored(options.url, options).catch((error: unknown) => {
      throw new Error(`its files are no longer in this browser's storage (${(error as Error).message}); remove it and import it again`);
    });
    fromCache = true;
  } else if (options.cache && (await isCached(key))) {
    try {
      model = await loadStored(key, options);
      fromCache = true;
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
  let classifier: ClassifierWeights;
  let order: Int32Array | null;
  try {
    checkShape(model, spec);
    order = await fetchClassOrder(spec, options);
    classifier = readClassifier(model, spec);
    if (order) classifier = { ...classifier, kernel: reorderColumns(classifier.kernel, classifier.classes, order), classes: mappedClasses(order) };
  } catch (error) {
    model.dispose();
    throw error;
  }
  const outputOf = order ? inverse(order) : null;
  const toProbabilities = (output: tf.Tensor) => (spec.output === 'logits' ? tf.softmax(output as tf.Tensor2D) : output);
  const featureOutput = model.getLayer(spec.featureLayer).output as tf.SymbolicTensor;
  const twoHeaded = tf.model({ inputs: model.inputs, outputs: [featureOutput, model.outputs[0]] });
  const loadedModel = model;

  return {
    spec,
    fromCache,
    classifier,
    model: loadedModel,
    outputIndex: (classIndex) => (outputOf ? outputOf[classIndex] : classIndex),
    async predict(pixels) {
      const [features, probs] = tf.tidy(() => {
        const [map, output] = twoHeaded.predict(preprocess(pixels, spec.preprocess)) as tf.Tensor[];
        return [map, toProbabilities(output)];
      });
      try {
        const [featureData, probData] = await Promise.all([features.data(), probs.data()]);
        const [, height, width, channels] = features.shape;
        return {
          probs: order ? reorderScores(probData as Float32Array, order) : (probData as Float32Array),
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
