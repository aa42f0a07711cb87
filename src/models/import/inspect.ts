/**
 * What a TF.js model.json says about a model, read before anything is loaded: input size, number of
 * outputs, softmax or logits, the classifier, the layers a heatmap can be taken from, and whether CAM
 * holds for its head (GAP → linear, or a 1×1 linear layer → GAP) or only Grad-CAM does. Pure: no TF.js.
 * Layers models are read here; graph models in inspect-graph.ts.
 */
import type { OutputKind } from '../registry';
import { manifestBytes, type WeightsGroup } from '../manifest';
import { ImportError } from './errors';
import { inspectGraphModelJson } from './inspect-graph';

export interface ModelInspection {
  /** A Keras layers model, or a graph model (then layer names below are graph node names). */
  format: 'layers' | 'graph';
  inputSize: number;
  outputs: number;
  output: OutputKind;
  /** The linear classifier (Dense, or a 1×1 Conv2D): Grad-CAM's score, CAM's weights. Graph model: the logits node. */
  classifierLayer: string;
  /** Layers with a spatial (N×h×w×K) output a heatmap can be taken from, the last one first. */
  featureLayers: string[];
  /** CAM holds for the first of `featureLayers` (the head is GAP → linear or linear → GAP); else Grad-CAM only. */
  camAvailable: boolean;
  /** Where global average pooling sits: before the classifier, after it, or nowhere (e.g. flatten → dense). */
  head: 'gap-linear' | 'linear-gap' | 'other';
  layerCount: number;
  parameters: number;
  weightBytes: number;
}

interface RawLayer {
  name: string;
  class_name: string;
  config: Record<string, unknown>;
  inbound_nodes?: unknown;
}

/** Layers that only reshape, regularise or activate: transparent between the features and the classifier. */
const PASS_THROUGH = new Set(['Activation', 'Softmax', 'Reshape', 'Flatten', 'Dropout', 'ReLU', 'LeakyReLU']);
const POOLING = 'GlobalAveragePooling2D';
/** How many candidate feature layers to offer. */
const MAX_CANDIDATES = 6;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Names of the layers feeding `layer` (Keras 2 functional format: [[["name", 0, 0, {}], …]]). */
function inboundNames(layer: RawLayer): string[] {
  const nodes = layer.inbound_nodes;
  if (!Array.isArray(nodes) || nodes.length === 0 || !Array.isArray(nodes[0])) return [];
  return (nodes[0] as unknown[]).map((entry) => (Array.isArray(entry) ? String(entry[0]) : '')).filter(Boolean);
}

function readLayers(topology: Record<string, unknown>): { layers: RawLayer[]; outputName: string } {
  const modelConfig = isObject(topology.model_config) ? topology.model_config : topology;
  const className = String(modelConfig.class_name ?? '');
  const config = modelConfig.config;
  const list = Array.isArray(config) ? config : isObject(config) ? config.layers : undefined;
  if (!Array.isArray(list) || list.length === 0 || !list.every((l) => isObject(l) && typeof l.class_name === 'string')) {
    throw new ImportError('model.json describes no layers: it is not a TF.js layers model (a Keras model exported with tensorflowjs_converter).');
  }
  const layers = (list as Record<string, unknown>[]).map((l) => ({
    name: String(l.name ?? (isObject(l.config) ? l.config.name : '')),
    class_name: String(l.class_name),
    config: isObject(l.config) ? l.config : {},
    inbound_nodes: l.inbound_nodes,
  }));
  if (className === 'Sequential') {
    // A sequential model chains its layers in order.
    layers.forEach((layer, i) => (layer.inbound_nodes = i > 0 ? [[[layers[i - 1].name, 0, 0, {}]]] : []));
    return { layers, outputName: layers[layers.length - 1].name };
  }
  const outputs = isObject(config) && Array.isArray(config.output_layers) ? config.output_layers : [];
  if (outputs.length !== 1 || !Array.isArray(outputs[0])) {
    throw new ImportError(`The model has ${outputs.length} outputs; an ImageNet classifier has exactly one.`);
  }
  return { layers, outputName: String(outputs[0][0]) };
}

function inputSizeOf(layers: RawLayer[]): number {
  const shaped = layers.find((l) => Array.isArray(l.config.batch_input_shape ?? l.config.batch_shape));
  const shape = (shaped?.config.batch_input_shape ?? shaped?.config.batch_shape) as (number | null)[] | undefined;
  if (!shape) throw new ImportError('model.json does not say the input shape of the model.');
  const [, height, width, channels] = shape;
  if (shape.length !== 4 || channels !== 3) {
    throw new ImportError(`The model takes input of shape ${shape.slice(1).map((d) => d ?? '?').join('×')}; this app feeds RGB images (height×width×3).`);
  }
  if (!height || height !== width) {
    throw new ImportError(`The model takes ${height ?? '?'}×${width ?? '?'} images; this app feeds square images of a fixed size (e.g. 224×224).`);
  }
  return height;
}

function isLinear(layer: RawLayer): boolean {
  if (layer.class_name === 'Dense') return true;
  const kernel = layer.config.kernel_size;
  return layer.class_name === 'Conv2D' && Array.isArray(kernel) && kernel.every((k) => k === 1);
}

export function inspectModelJson(json: unknown): ModelInspection {
  if (!isObject(json)) throw new ImportError('model.json does not hold a TF.js model (it is not a JSON object).');
  if (json.format === 'graph-model' || (isObject(json.modelTopology) && Array.isArray(json.modelTopology.node))) return inspectGraphModelJson(json);
  if (!isObject(json.modelTopology)) throw new ImportError('model.json has no modelTopology: it is not a TF.js layers model.');
  if (!Array.isArray(json.weightsManifest)) throw new ImportError('model.json has no weightsManifest: it does not say which weight files belong to it.');
  const { layers, outputName } = readLayers(json.modelTopology);
  const byName = new Map(layers.map((l) => [l.name, l]));
  const consumers = new Map<string, number>();
  for (const layer of layers) for (const name of inboundNames(layer)) consumers.set(name, (consumers.get(name) ?? 0) + 1);
  const single = (layer: RawLayer): RawLayer | undefined => {
    const inbound = inboundNames(layer);
    return inbound.length === 1 ? byName.get(inbound[0]) : undefined;
  };

  // From the output back to the classifier: what comes after it says softmax or not, and GAP after it.
  let softmax = false;
  let gapAfter = false;
  let layer = byName.get(outputName);
  while (layer && !isLinear(layer) && layer.class_name !== 'Conv2D') {
    if (layer.class_name === 'Softmax' || layer.config.activation === 'softmax') softmax = true;
    if (layer.class_name === POOLING) gapAfter = true;
    layer = single(layer);
  }
  if (!layer) throw new ImportError('No linear classifier (a Dense or 1×1 Conv2D layer) was found at the end of the model.');
  const classifier = layer;
  if (classifier.config.activation === 'softmax') softmax = true;
  const outputs = Number(classifier.config.units ?? classifier.config.filters);

  // From the classifier back to the last spatial feature map: the input of the pooling or flatten
  // (more layers in between, such as VGG's dense layers, leave Grad-CAM only).
  let pooled = false;
  let flatten = false;
  let extra = false;
  let feature = single(classifier);
  while (feature && !gapAfter) {
    if (feature.class_name === POOLING || feature.class_name === 'Flatten') {
      pooled = feature.class_name === POOLING;
      flatten = !pooled;
      feature = single(feature);
      break;
    }
    if (!PASS_THROUGH.has(feature.class_name)) extra = true;
    feature = single(feature);
  }
  if (!feature || feature.class_name === 'InputLayer' || (!gapAfter && !pooled && !flatten)) {
    throw new ImportError('No convolutional feature map was found before the classifier (no global average pooling or flatten leads to it).');
  }
  const head = gapAfter ? 'linear-gap' : pooled && !extra ? 'gap-linear' : 'other';

  // Earlier layers qualify while the chain to the classifier stays single (Grad-CAM replays it).
  const featureLayers = [feature.name];
  let candidate = feature;
  while (featureLayers.length < MAX_CANDIDATES) {
    const previous = single(candidate);
    if (!previous || previous.class_name === 'InputLayer' || consumers.get(previous.name) !== 1) break;
    featureLayers.push(previous.name);
    candidate = previous;
  }
  const groups = json.weightsManifest as WeightsGroup[];
  return {
    format: 'layers',
    inputSize: inputSizeOf(layers),
    outputs,
    output: softmax ? 'softmax' : 'logits',
    classifierLayer: classifier.name,
    featureLayers,
    camAvailable: head !== 'other' && isLinear(classifier),
    head,
    layerCount: layers.length,
    parameters: groups.reduce((sum, g) => sum + g.weights.reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1), 0), 0),
    weightBytes: manifestBytes(json as { weightsManifest: WeightsGroup[] }),
  };
}
