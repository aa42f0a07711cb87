/**
 * A TF.js GRAPH model made from a TF.js layers model, the way tensorflowjs_converter writes one (no converter
 * is installed and no hub is reachable here): model.json with `format: "graph-model"`, a GraphDef of
 * Placeholder/Const/Conv2D/BiasAdd/LeakyRelu/MaxPool/Mean/Softmax nodes (BatchNormalization folded into the
 * convolution's kernel and bias, as the converter's optimiser does), a signature, and the weights as float32
 * shards of at most 4 MB with a weightsManifest. Used by the Vitest unit tests and the Playwright specs.
 *
 * Variants of the head (the body is the layers model's, layer for layer):
 * - `plain`: the model as it is (Tiny Darknet: 1×1 conv → Mean over H, W), then Softmax. CAM holds.
 * - `nonlinear`: an Elu after the pooling, before the Softmax: the head is not linear, Grad-CAM only.
 * - `einsum`: pooling first, then the classifier as Einsum "bc,cd->bd" + BiasAdd, then Softmax: linear
 *   (CAM holds), but the WASM backend has no Einsum kernel (the CPU and WebGL backends have one).
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export type GraphVariant = 'plain' | 'nonlinear' | 'einsum';

/** The node names the app must find in the graph models written here. */
export const GRAPH_NODES = {
  input: 'input_1',
  /** The last feature map (Tiny Darknet: 14×14×128). */
  features: 'leaky_re_lu_15/LeakyRelu',
  output: 'Identity',
} as const;

interface LayerJson {
  class_name: string;
  name: string;
  config: Record<string, unknown>;
}

interface ManifestEntry {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
}

interface GraphNode {
  name: string;
  op: string;
  input: string[];
  attr: Record<string, unknown>;
}

const SHARD_BYTES = 4 * 1024 * 1024;
const base64 = (text: string) => Buffer.from(text).toString('base64');
const FLOAT = { type: 'DT_FLOAT' };
const ints = (values: number[]) => ({ list: { i: values.map(String) } });
const shapeOf = (shape: number[]) => ({ dim: shape.map((size) => ({ size: String(size) })) });

/** The layers model's weights by name (`conv2d_1/kernel` …), read from its shards. */
function readLayersWeights(dir: string): { layers: LayerJson[]; weights: Map<string, { shape: number[]; data: Float32Array }> } {
  const json = JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8'));
  const layers = json.modelTopology.model_config.config.layers as LayerJson[];
  const weights = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const group of json.weightsManifest as { paths: string[]; weights: ManifestEntry[] }[]) {
    const bytes = Buffer.concat(group.paths.map((file) => readFileSync(path.join(dir, file))));
    let offset = 0;
    for (const entry of group.weights) {
      if (entry.dtype !== 'float32') throw new Error(`${entry.name}: only float32 weights are converted`);
      const size = entry.shape.reduce((a, b) => a * b, 1);
      const data = new Float32Array(size);
      for (let i = 0; i < size; i++) data[i] = bytes.readFloatLE(offset + 4 * i);
      offset += 4 * size;
      weights.set(entry.name, { shape: entry.shape, data });
    }
  }
  return { layers, weights };
}

class GraphWriter {
  readonly nodes: GraphNode[] = [];
  readonly manifest: ManifestEntry[] = [];
  private readonly buffers: Buffer[] = [];

  node(name: string, op: string, input: string[], attr: Record<string, unknown> = {}): string {
    this.nodes.push({ name, op, input, attr });
    return name;
  }

  constant(name: string, shape: number[], data: Float32Array | Int32Array): string {
    const dtype = data instanceof Int32Array ? 'int32' : 'float32';
    const tfType = { type: dtype === 'int32' ? 'DT_INT32' : 'DT_FLOAT' };
    this.manifest.push({ name, shape, dtype });
    this.buffers.push(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    return this.node(name, 'Const', [], { dtype: tfType, value: { tensor: { dtype: tfType.type, tensorShape: shapeOf(shape) } } });
  }

  weightBytes(): Buffer {
    return Buffer.concat(this.buffers);
  }
}

/** Keras BatchNormalization after a convolution, folded into it: W·s and (b − mean)·s + beta, s = gamma/√(var + ε). */
function foldBatchNorm(kernel: Float32Array, bias: Float32Array | null, bn: LayerJson, weights: Map<string, { data: Float32Array }>) {
  const get = (what: string) => weights.get(`${bn.name}/${what}`)!.data;
  const [gamma, beta, mean, variance] = [get('gamma'), get('beta'), get('moving_mean'), get('moving_variance')];
  const epsilon = Number(bn.config.epsilon ?? 0.001);
  const channels = gamma.length;
  const scale = gamma.map((g, c) => g / Math.sqrt(variance[c] + epsilon));
  const folded = kernel.map((w, i) => w * scale[i % channels]);
  const foldedBias = new Float32Array(channels).map((_, c) => ((bias?.[c] ?? 0) - mean[c]) * scale[c] + beta[c]);
  return { kernel: folded, bias: foldedBias };
}

/** The GraphDef and weights of `variant`, converted from the layers model in `layersDir`. */
function convert(layersDir: string, variant: GraphVariant): { modelJson: object; weights: Buffer } {
  const { layers, weights } = readLayersWeights(layersDir);
  const graph = new GraphWriter();
  const input = layers[0];
  const inputShape = (input.config.batch_input_shape as (number | null)[]).map((d) => d ?? -1);
  let x = graph.node(input.name, 'Placeholder', [], { dtype: FLOAT, shape: { shape: shapeOf(inputShape) } });
  let channels = inputShape[3];
  const classifierIndex = layers.findLastIndex((l) => l.class_name === 'Conv2D' || l.class_name === 'Dense');

  for (let i = 1; i < layers.length; i++) {
    const layer = layers[i];
    const { name, config } = layer;
    if (i === classifierIndex && variant === 'einsum') {
      // Pool first, then the 1×1 classifier as an Einsum on the pooled vector: the same numbers (both are linear).
      const kernel = weights.get(`${name}/kernel`)!;
      const classes = kernel.shape[kernel.shape.length - 1];
      const pooled = graph.node('head/Mean', 'Mean', [x, graph.constant('head/Mean/reduction_indices', [2], Int32Array.from([1, 2]))], { T: FLOAT, Tidx: { type: 'DT_INT32' }, keep_dims: { b: false } });
      const product = graph.node('head/Einsum', 'Einsum', [pooled, graph.constant('head/kernel', [channels, classes], kernel.data)], { T: FLOAT, N: { i: '2' }, equation: { s: base64('bc,cd->bd') } });
      x = graph.node('head/BiasAdd', 'BiasAdd', [product, graph.constant('head/bias', [classes], weights.get(`${name}/bias`)!.data)], { T: FLOAT, data_format: { s: base64('NHWC') } });
      break; // The pooling layer after the classifier is done.
    }
    switch (layer.class_name) {
      case 'Conv2D': {
        const kernel = weights.get(`${name}/kernel`)!;
        let folded = { kernel: kernel.data, bias: weights.get(`${name}/bias`)?.data ?? new Float32Array(kernel.shape[3]) };
        if (layers[i + 1]?.class_name === 'BatchNormalization') {
          folded = foldBatchNorm(folded.kernel, weights.get(`${name}/bias`)?.data ?? null, layers[i + 1], weights);
          i++;
        }
        const strides = config.strides as number[];
        const dilations = config.dilation_rate as number[];
        const conv = graph.node(`${name}/Conv2D`, 'Conv2D', [x, graph.constant(`${name}/kernel`, kernel.shape, folded.kernel)], {
          T: FLOAT,
          strides: ints([1, strides[0], strides[1], 1]),
          dilations: ints([1, dilations[0], dilations[1], 1]),
          padding: { s: base64(String(config.padding).toUpperCase()) },
          data_format: { s: base64('NHWC') },
          use_cudnn_on_gpu: { b: true },
        });
        x = graph.node(`${name}/BiasAdd`, 'BiasAdd', [conv, graph.constant(`${name}/bias`, [kernel.shape[3]], folded.bias)], { T: FLOAT, data_format: { s: base64('NHWC') } });
        channels = kernel.shape[3];
        break;
      }
      case 'LeakyReLU':
        x = graph.node(`${name}/LeakyRelu`, 'LeakyRelu', [x], { T: FLOAT, alpha: { f: Number(config.alpha) } });
        break;
      case 'MaxPooling2D': {
        const pool = config.pool_size as number[];
        const strides = config.strides as number[];
        x = graph.node(`${name}/MaxPool`, 'MaxPool', [x], {
          T: FLOAT,
          ksize: ints([1, pool[0], pool[1], 1]),
          strides: ints([1, strides[0], strides[1], 1]),
          padding: { s: base64(String(config.padding).toUpperCase()) },
          data_format: { s: base64('NHWC') },
        });
        break;
      }
      case 'GlobalAveragePooling2D':
        x = graph.node(`${name}/Mean`, 'Mean', [x, graph.constant(`${name}/Mean/reduction_indices`, [2], Int32Array.from([1, 2]))], { T: FLOAT, Tidx: { type: 'DT_INT32' }, keep_dims: { b: false } });
        break;
      default:
        throw new Error(`${name}: a ${layer.class_name} layer is not converted by this fixture`);
    }
  }
  if (variant === 'nonlinear') x = graph.node('head/Elu', 'Elu', [x], { T: FLOAT });
  graph.node(GRAPH_NODES.output, 'Softmax', [x], { T: FLOAT });

  const tensorInfo = (name: string, shape: number[]) => ({ name: `${name}:0`, dtype: 'DT_FLOAT', tensorShape: shapeOf(shape) });
  const weightsData = graph.weightBytes();
  const shards = Math.max(1, Math.ceil(weightsData.byteLength / SHARD_BYTES));
  const modelJson = {
    format: 'graph-model',
    generatedBy: '2.15.0',
    convertedBy: 'TensorFlow.js Converter v4.22.0 (test fixture: e2e/support/graph-model.ts)',
    signature: { inputs: { [input.name]: tensorInfo(input.name, inputShape) }, outputs: { output_0: tensorInfo(GRAPH_NODES.output, [-1, 1000]) } },
    modelTopology: { node: graph.nodes, library: {}, versions: { producer: 1482 } },
    weightsManifest: [{ paths: Array.from({ length: shards }, (_, s) => `group1-shard${s + 1}of${shards}.bin`), weights: graph.manifest }],
  };
  return { modelJson, weights: weightsData };
}

/**
 * Writes the graph model of `variant` into `<parent>/darknet_tiny_graph_<variant>/` (model.json + shards) and
 * returns that folder's path; `parent` is a new temporary folder unless given. `layersDir` is a TF.js layers
 * model folder (e.g. the shared Tiny Darknet).
 */
export function writeGraphModel(layersDir: string, variant: GraphVariant, parent: string = mkdtempSync(path.join(tmpdir(), 'graph-model-'))): string {
  const { modelJson, weights } = convert(layersDir, variant);
  const dir = path.join(parent, `darknet_tiny_graph_${variant}`);
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'model.json'), JSON.stringify(modelJson));
  const { paths } = (modelJson as { weightsManifest: { paths: string[] }[] }).weightsManifest[0];
  paths.forEach((file, s) => writeFileSync(path.join(dir, file), weights.subarray(s * SHARD_BYTES, (s + 1) * SHARD_BYTES)));
  return dir;
}
