import * as tf from '@tensorflow/tfjs';
import type { ClassifierWeights, FeatureMap } from '../cam/cam';
import { graphHead, layersHead, linearHead, type GradCamHead } from '../cam/gradcam';
import { recoverLinearHead } from './graph-head';
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
  /**
   * Classifier weights with their columns in Keras's class order; null when CAM does not hold for the head
   * (a Grad-CAM-only spec, or a graph model whose head did not prove linear): its maps are Grad-CAM.
   */
  classifier: ClassifierWeights | null;
  /** The model's output index of a Keras class (they differ for models with their own class order). */
  outputIndex(classIndex: number): number;
  /** RGB pixels (H×W×3, 0–255, already the model's input size) → prediction. No tensor outlives it. */
  predict(pixels: tf.Tensor3D): Promise<Prediction>;
  /** Bare `model.predict()` + read of the probabilities: the baseline the benchmark compares against. */
  predictBare(pixels: tf.Tensor3D): Promise<Float32Array>;
  /** A preprocessed batch (N×S×S×3) → class probabilities in the model's own output order (call inside tf.tidy). */
  probabilities(batch: tf.Tensor4D): tf.Tensor2D;
  /** The head from the feature map to the logits, for Grad-CAM. */
  head: GradCamHead;
  /** The TF.js model itself. */
  model: tf.LayersModel | tf.GraphModel;
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

/** A layers model (Keras) or a graph model (a converted SavedModel or frozen graph), as TF.js holds them. */
export type AnyModel = tf.LayersModel | tf.GraphModel;

/** The tensors holding a model's weights (a layers model's variables, a graph model's constants). */
export function weightTensors(model: AnyModel): tf.Tensor[] {
  return model instanceof tf.GraphModel ? Object.values(model.weights).flat() : model.weights.map((w) => w.read());
}

function isGraph(spec: ModelSpec): boolean {
  return spec.format === 'graph';
}

/** Either kind of model from a URL or an IOHandler (the same fetch, checks and IndexedDB storage serve both). */
function loadAny(spec: ModelSpec, source: string | tf.io.IOHandler, options?: tf.io.LoadOptions): Promise<AnyModel> {
  return isGraph(spec) ? tf.loadGraphModel(source, options) : tf.loadLayersModel(source, options);
}

async function fetchAnyModel(spec: ModelSpec, options: LoadOptions): Promise<AnyModel> {
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
    return await loadAny(spec, options.url, { fetchFunc });
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
async function loadStored(spec: ModelSpec, key: string, options: LoadOptions): Promise<AnyModel> {
  const model = await loadAny(spec, key);
  const bytes = weightTensors(model).reduce((sum, tensor) => sum + tensor.size * 4, 0);
  options.onProgress?.({ loaded: bytes, total: bytes, fromCache: true });
  return model;
}

/**
 * What the app needs from either kind of model: one pass to the feature map and the output, the output
 * alone (for batches), the classifier (null when CAM does not hold) and the head for Grad-CAM.
 */
interface Network {
  /** Preprocessed input → [feature map, output]; the output is `outputKind`. */
  run(input: tf.Tensor4D): [tf.Tensor4D, tf.Tensor2D];
  output(input: tf.Tensor4D): tf.Tensor2D;
  outputKind: ModelSpec['output'];
  /** K×C in the model's own output order. */
  classifier: ClassifierWeights | null;
  head: GradCamHead;
}

function layersNetwork(model: tf.LayersModel, spec: ModelSpec): Network {
  checkShape(model, spec);
  const classifier = readClassifier(model, spec);
  const featureOutput = model.getLayer(spec.featureLayer).output as tf.SymbolicTensor;
  const twoHeaded = tf.model({ inputs: model.inputs, outputs: [featureOutput, model.outputs[0]] });
  return {
    run: (input) => twoHeaded.predict(input) as [tf.Tensor4D, tf.Tensor2D],
    output: (input) => model.predict(input) as tf.Tensor2D,
    outputKind: spec.output,
    classifier: spec.gradCamOnly ? null : classifier,
    head: lazyLayersHead(model, spec),
  };
}

/** The layers head, checked when Grad-CAM first needs it (a head Grad-CAM cannot replay does not stop CAM). */
function lazyLayersHead(model: tf.LayersModel, spec: ModelSpec): GradCamHead {
  let head: GradCamHead | null = null;
  const get = () => (head ??= layersHead(model, spec.featureLayer, spec.classifierLayer));
  return {
    get classes() {
      return get().classes;
    },
    logits: (features) => get().logits(features),
  };
}

/**
 * A graph model: `featureLayer` and `classifierLayer` name its feature node and its logits node (before any
 * softmax; the app applies softmax). CAM holds only when the head proves linear on probes (graph-head.ts).
 */
function graphNetwork(model: tf.GraphModel, spec: ModelSpec): Network {
  const input = model.inputs[0]?.shape ?? [];
  if (model.inputs.length !== 1 || input[1] !== spec.inputSize || input[2] !== spec.inputSize || input[3] !== 3) {
    throw new Error(`${spec.displayName}: expected one ${spec.inputSize}×${spec.inputSize}×3 input, the file has ${model.inputs.map((i) => (i.shape ?? []).slice(1).join('×')).join(', ')}`);
  }
  const nodes = [spec.featureLayer, spec.classifierLayer];
  const run = (x: tf.Tensor4D) => model.execute(x, nodes) as [tf.Tensor4D, tf.Tensor2D];
  // In a scope: a graph that fails half-way (an op TF.js or this backend lacks) leaves no tensor behind.
  const [features, logits] = tf.tidy(() => run(tf.zeros([1, spec.inputSize, spec.inputSize, 3])));
  try {
    if (features.rank !== 4) throw new Error(`node ${spec.featureLayer} has no spatial map (its output has ${features.rank} dimensions), so no heatmap can come from it`);
    if (logits.rank !== 2) throw new Error(`node ${spec.classifierLayer} does not give one score per class (its output is ${logits.shape.join('×')})`);
    const channels = features.shape[3];
    const linear = spec.gradCamOnly ? null : recoverLinearHead((x) => model.execute({ [spec.featureLayer]: x }, spec.classifierLayer) as tf.Tensor, features);
    return {
      run,
      output: (x) => model.execute(x, spec.classifierLayer) as tf.Tensor2D,
      outputKind: 'logits',
      classifier: linear && { kernel: linear.kernel, channels, classes: linear.bias.length },
      // A head proven linear is its classifier: the same gradients, and no op without a gradient in the way.
      head: linear ? linearHead(linear.kernel, linear.bias, channels) : graphHead(model, spec.featureLayer, spec.classifierLayer, logits.shape[1]),
    };
  } finally {
    tf.dispose([features, logits]);
  }
}

export async function loadModel(spec: ModelSpec, options: LoadOptions): Promise<LoadedModel> {
  const key = cacheKey(spec);
  let model: AnyModel | null = null;
  let fromCache = false;
  if (isStoredUrl(options.url)) {
    model = await loadStored(spec, options.url, options).catch((error: unknown) => {
      throw new Error(`its files are no longer in this browser's storage (${(error as Error).message}); remove it and import it again`);
    });
    fromCache = true;
  } else if (options.cache && (await isCached(key))) {
    try {
      model = await loadStored(spec, key, options);
      fromCache = true;
    } catch {
      await tf.io.removeModel(key).catch(() => undefined);
      model = null;
    }
  }
  if (!model) {
    model = await fetchAnyModel(spec, options);
    if (options.cache) {
      // A full or blocked IndexedDB only costs the next visit a download; it never fails this load.
      await model.save(key).catch(() => undefined);
    }
  }
  let network: Network;
  let classifier: ClassifierWeights | null;
  let order: Int32Array | null;
  try {
    network = model instanceof tf.GraphModel ? graphNetwork(model, spec) : layersNetwork(model, spec);
    order = await fetchClassOrder(spec, options);
    classifier = network.classifier;
    if (order && classifier) classifier = { ...classifier, kernel: reorderColumns(classifier.kernel, classifier.classes, order), classes: mappedClasses(order) };
  } catch (error) {
    model.dispose();
    throw error;
  }
  const outputOf = order ? inverse(order) : null;
  const toProbabilities = (output: tf.Tensor2D) => (network.outputKind === 'logits' ? tf.softmax(output) : output);
  const loadedModel = model;

  return {
    spec,
    fromCache,
    classifier,
    head: network.head,
    model: loadedModel,
    outputIndex: (classIndex) => (outputOf ? outputOf[classIndex] : classIndex),
    probabilities: (batch) => toProbabilities(network.output(batch)),
    async predict(pixels) {
      const [features, probs] = tf.tidy(() => {
        const [map, output] = network.run(preprocess(pixels, spec.preprocess) as tf.Tensor4D);
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
      const probs = tf.tidy(() => network.output(preprocess(pixels, spec.preprocess) as tf.Tensor4D));
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
