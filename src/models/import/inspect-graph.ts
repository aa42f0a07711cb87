/**
 * What a TF.js GRAPH model.json (a GraphDef as JSON: `modelTopology.node[]` with name, op, input, attr)
 * says about a model: its one input (a Placeholder N×S×S×3), its output (the signature's, or the one
 * node nothing consumes), softmax or logits, the head from the logits back to the feature node (the input
 * of the global pooling, or of the 1×1 convolution before it) and earlier nodes a heatmap can be taken
 * from. Pure: no TF.js. Whether CAM really holds is checked when the model runs (models/graph-head.ts).
 */
import { manifestBytes, type WeightsGroup } from '../manifest';
import { ImportError } from './errors';
import type { ModelInspection } from './inspect';

interface GraphNode {
  name: string;
  op: string;
  input: string[];
  attr: Record<string, unknown>;
}

/** Ops that pass a tensor on unchanged (for the head: linear and shape-only). */
const PASS = new Set(['Identity', 'IdentityN', 'StopGradient', 'Reshape', 'Squeeze', 'ExpandDims']);
/** Linear ops that take a constant second operand (a bias, a scale). */
const AFFINE = new Set(['BiasAdd', 'Add', 'AddV2', 'Sub', 'Mul']);
/** The linear classifier: a matrix product or a 1×1 convolution with constant weights. */
const CLASSIFIERS = new Set(['MatMul', '_FusedMatMul', 'Einsum', 'Conv2D', '_FusedConv2D']);
const POOLING = new Set(['Mean', 'AvgPool']);
/** Ops a graph with control flow needs (it must be run asynchronously, and the heatmaps cannot be). */
const CONTROL_FLOW = new Set(['Switch', 'Merge', 'Enter', 'Exit', 'NextIteration', 'LoopCond', 'While', 'StatelessWhile', 'If', 'StatelessIf']);
/** How many candidate feature nodes to offer. */
const MAX_CANDIDATES = 6;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
/** `name:1` → `name`; control inputs (`^name`) are not data. */
const nodeOf = (input: string) => input.replace(/:\d+$/, '');

function readNodes(topology: Record<string, unknown>): GraphNode[] {
  const list = topology.node;
  if (!Array.isArray(list) || list.length === 0 || !list.every((n) => isObject(n) && typeof n.name === 'string' && typeof n.op === 'string')) {
    throw new ImportError('model.json is marked as a graph model but describes no graph nodes.');
  }
  return (list as Record<string, unknown>[]).map((n) => ({
    name: n.name as string,
    op: n.op as string,
    input: (Array.isArray(n.input) ? n.input.map(String) : []).filter((i) => !i.startsWith('^')).map(nodeOf),
    attr: isObject(n.attr) ? n.attr : {},
  }));
}

/** The dims of a `shape`/`tensorShape` attribute (-1 for unknown). */
function dims(shape: unknown): number[] | null {
  if (!isObject(shape)) return null;
  if (shape.unknownRank) return null;
  return Array.isArray(shape.dim) ? shape.dim.map((d) => Number(isObject(d) ? (d.size ?? -1) : -1)) : [];
}

/** The shape of a Const node's value. */
function constShape(node: GraphNode | undefined): number[] | null {
  const value = node?.attr.value;
  return isObject(value) && isObject(value.tensor) ? dims(value.tensor.tensorShape) : null;
}

function signatureNames(json: Record<string, unknown>, side: 'inputs' | 'outputs'): string[] {
  const signature = json.signature;
  const entries = isObject(signature) && isObject(signature[side]) ? Object.values(signature[side]) : [];
  return entries.filter(isObject).map((e) => nodeOf(String(e.name ?? ''))).filter(Boolean);
}

export function inspectGraphModelJson(json: Record<string, unknown>): ModelInspection {
  if (!isObject(json.modelTopology)) throw new ImportError('model.json has no modelTopology: it is not a TF.js model.');
  if (!Array.isArray(json.weightsManifest)) throw new ImportError('model.json has no weightsManifest: it does not say which weight files belong to it.');
  const nodes = readNodes(json.modelTopology);
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const flow = nodes.find((n) => CONTROL_FLOW.has(n.op));
  if (flow) throw new ImportError(`The graph has control flow (a ${flow.op} node, ${flow.name}): this app runs graph models in one synchronous pass for its heatmaps, which such a graph does not allow.`);
  const consumers = new Map<string, number>();
  for (const node of nodes) for (const input of node.input) consumers.set(input, (consumers.get(input) ?? 0) + 1);
  const isConst = (name: string) => byName.get(name)?.op === 'Const';
  /** The one non-constant input of a node, or undefined when it has none or several. */
  const dataInput = (node: GraphNode): GraphNode | undefined => {
    const data = node.input.filter((name) => !isConst(name));
    return data.length === 1 ? byName.get(data[0]) : undefined;
  };

  const inputs = nodes.filter((n) => n.op === 'Placeholder');
  if (inputs.length !== 1) throw new ImportError(`The graph has ${inputs.length} inputs; an image classifier has exactly one.`);
  const shape = dims(isObject(inputs[0].attr.shape) ? inputs[0].attr.shape.shape : undefined);
  if (!shape || shape.length !== 4 || shape[3] !== 3) {
    throw new ImportError(`The model takes input of shape ${shape ? shape.slice(1).map((d) => (d < 0 ? '?' : d)).join('×') : 'unknown'}; this app feeds RGB images (height×width×3).`);
  }
  if (shape[1] <= 0 || shape[1] !== shape[2]) {
    const side = (d: number) => (d < 0 ? '?' : d);
    throw new ImportError(`The model takes ${side(shape[1])}×${side(shape[2])} images; this app feeds square images of a fixed size (e.g. 224×224).`);
  }

  const named = signatureNames(json, 'outputs');
  const outputs = named.length > 0 ? named : nodes.filter((n) => !consumers.has(n.name) && !['Const', 'Placeholder', 'NoOp'].includes(n.op)).map((n) => n.name);
  if (outputs.length !== 1 || !byName.has(outputs[0])) throw new ImportError(`The model has ${outputs.length} outputs; an ImageNet classifier has exactly one.`);

  // The output back to the logits: a Softmax (behind any Identity) means probabilities, its input is the logits.
  let logits = byName.get(outputs[0]);
  while (logits && PASS.has(logits.op) && logits.op !== 'Reshape') logits = dataInput(logits);
  const softmax = logits?.op === 'Softmax';
  if (softmax) logits = dataInput(logits!);
  if (!logits) throw new ImportError('No logits were found before the output (the node before the softmax has more than one input).');

  // The logits back to the feature node, through the head.
  let classifier: GraphNode | undefined;
  let linearAfterPool = true;
  let pool: GraphNode | undefined;
  let node: GraphNode | undefined = logits;
  let flatten: GraphNode | undefined;
  while (node && !pool) {
    if (POOLING.has(node.op)) pool = node;
    else if (CLASSIFIERS.has(node.op) && !classifier) classifier = node;
    else if (node.op === 'Reshape' && classifier && !flatten) flatten = node;
    else if (!PASS.has(node.op) && !AFFINE.has(node.op)) linearAfterPool = false;
    if (node.op === 'Placeholder') break;
    if (!pool) node = dataInput(node);
  }
  let feature: GraphNode | undefined;
  let head: ModelInspection['head'];
  if (pool) {
    feature = dataInput(pool);
    // A 1×1 convolution (plus bias) right before the pooling: the classifier is before it (Tiny Darknet).
    const before: GraphNode[] = [];
    let x = feature;
    while (x && (AFFINE.has(x.op) || PASS.has(x.op))) {
      before.push(x);
      x = dataInput(x);
    }
    const kernel = x && CLASSIFIERS.has(x.op) ? constShape(byName.get(x.input.find(isConst) ?? '')) : null;
    if (x && !classifier && kernel?.length === 4 && kernel[0] === 1 && kernel[1] === 1) {
      classifier = x;
      feature = dataInput(x);
      head = linearAfterPool ? 'linear-gap' : 'other';
    } else {
      head = classifier && linearAfterPool && !['_FusedMatMul', '_FusedConv2D'].includes(classifier.op) ? 'gap-linear' : 'other';
    }
  } else if (flatten) {
    feature = dataInput(flatten);
    head = 'other';
  } else {
    throw new ImportError('No convolutional feature map was found before the classifier (no global average pooling or flatten leads to it).');
  }
  if (!classifier) throw new ImportError('No linear classifier (a matrix product or a 1×1 convolution) was found at the end of the model.');
  if (!feature || feature.op === 'Placeholder') {
    throw new ImportError('No convolutional feature map was found before the classifier (no global average pooling or flatten leads to it).');
  }
  const weights = constShape(byName.get(classifier.input.find(isConst) ?? ''));
  const classes = weights?.[weights.length - 1] ?? -1;
  if (classes <= 0) throw new ImportError(`The classifier ${classifier.name} has no constant weights that say the number of classes.`);

  // Earlier nodes qualify while the chain to the head stays single (the head is run from the fed node).
  const featureLayers = [feature.name];
  let candidate = feature;
  while (featureLayers.length < MAX_CANDIDATES) {
    const previous = dataInput(candidate);
    if (!previous || previous.op === 'Placeholder' || consumers.get(previous.name) !== 1) break;
    featureLayers.push(previous.name);
    candidate = previous;
  }
  const groups = json.weightsManifest as WeightsGroup[];
  return {
    format: 'graph',
    inputSize: shape[1],
    outputs: classes,
    output: softmax ? 'softmax' : 'logits',
    classifierLayer: logits.name,
    featureLayers,
    camAvailable: head !== 'other',
    head,
    layerCount: nodes.filter((n) => n.op !== 'Const').length,
    parameters: groups.reduce((sum, g) => sum + g.weights.filter((w) => w.dtype === 'float32').reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1), 0), 0),
    weightBytes: manifestBytes(json as { weightsManifest: WeightsGroup[] }),
  };
}
