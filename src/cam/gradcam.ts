import * as tf from '@tensorflow/tfjs';
import { checkMix, singleClass, type ClassMix, type FeatureMap, type Map2D } from './cam';

/**
 * A model's head as a function: the feature map (N×h×w×K) → the logits, the classifier's pre-activation
 * output (N×C, or N×h×w×C for a classifier before global average pooling, whose score is the map's mean).
 * Layers models replay their layers (`layersHead`); graph models run their graph from the feature node
 * (`graphHead`); a head whose linearity was checked can be its recovered classifier (`linearHead`).
 */
export interface GradCamHead {
  /** Number of outputs (classes in the model's own order). */
  classes: number;
  logits(features: tf.Tensor4D): tf.Tensor;
}

/**
 * Grad-CAM (Selvaraju et al. 2017): weights α_k = mean over (y, x) of ∂score_c/∂A_k, map = Σ_k α_k A_k.
 * Works for any head on top of the feature layer, not only GAP → linear. The score is the classifier's
 * pre-activation output (the logit), as the paper prescribes: a softmax score would mix in other classes.
 */
export function gradCam(model: tf.LayersModel, featureLayer: string, classifierLayer: string, features: FeatureMap, classIndex: number): Map2D {
  return gradCamMix(layersHead(model, featureLayer, classifierLayer), features, singleClass(classIndex));
}

/**
 * Grad-CAM of a weighted sum of logits (class indices in the model's own output order): a group of
 * classes, or the logit difference A − B for "why A and not B".
 */
export function gradCamMix(head: GradCamHead, features: FeatureMap, mix: ClassMix): Map2D {
  checkMix(mix, head.classes);
  const coefficients = new Float32Array(head.classes);
  for (const { classIndex, weight } of mix) coefficients[classIndex] += weight;
  const { height, width, channels } = features;
  const score = (a: tf.Tensor): tf.Scalar => {
    let logits = head.logits(a as tf.Tensor4D);
    // A classifier before global average pooling (Tiny Darknet) gives a map per class: its score is the map's mean.
    if (logits.rank === 4) logits = logits.mean([1, 2]);
    // A product with a dense coefficient vector, not gather: gather's gradient needs UnsortedSegmentSum,
    // which the WASM backend lacks.
    return logits.reshape([-1]).mul(tf.tensor1d(coefficients)).sum() as tf.Scalar;
  };
  const data = tf.tidy(() => {
    const a = tf.tensor4d(features.data, [1, height, width, channels]);
    const gradients = tf.grad(score)(a);
    const alpha = gradients.mean([1, 2]).reshape([channels, 1]);
    return a.reshape([height * width, channels]).matMul(alpha).reshape([height * width]);
  });
  try {
    return { data: data.dataSync() as Float32Array, width, height };
  } finally {
    data.dispose();
  }
}

/**
 * A layers model's head, replayed layer by layer from the feature layer to the classifier, which must be
 * a single chain (true of every Keras classification model: pooling, reshape, dropout, dense/conv).
 */
export function layersHead(model: tf.LayersModel, featureLayer: string, classifierLayer: string): GradCamHead {
  const head = headLayers(model, featureLayer, classifierLayer);
  const classifier = head[head.length - 1];
  if (!LINEAR_CLASSIFIERS.has(classifier.getClassName())) {
    throw new Error(`Grad-CAM: classifier layer ${classifier.name} is a ${classifier.getClassName()}; expected Dense or Conv2D`);
  }
  const kernelShape = classifier.getWeights()[0].shape;
  return {
    classes: kernelShape[kernelShape.length - 1],
    logits(features) {
      let x: tf.Tensor = features;
      for (const layer of head.slice(0, -1)) x = layer.apply(x, { training: false }) as tf.Tensor;
      return linearPart(classifier, x);
    },
  };
}

/** A graph model's head: the graph run from the feature node (fed, so what feeds it is skipped) to the logits node. */
export function graphHead(model: tf.GraphModel, featureNode: string, logitsNode: string, classes: number): GradCamHead {
  return { classes, logits: (features) => model.execute({ [featureNode]: features }, logitsNode) as tf.Tensor };
}

/**
 * A head known to be linear after (or before) global average pooling, as its classifier: logits =
 * mean over positions of A·W + b (W row-major K×C, in the model's own output order).
 */
export function linearHead(kernel: Float32Array, bias: Float32Array, channels: number): GradCamHead {
  const classes = bias.length;
  return {
    classes,
    logits: (features) => features.reshape([features.shape[0], -1, channels]).mean(1).matMul(tf.tensor2d(kernel, [channels, classes])).add(tf.tensor1d(bias)),
  };
}

const LINEAR_CLASSIFIERS = new Set(['Dense', 'Conv2D']);

/** The classifier's output before its activation: x·W + b for dense, the 1×1 convolution for conv. */
function linearPart(layer: tf.layers.Layer, x: tf.Tensor): tf.Tensor {
  const [kernel, bias] = layer.getWeights();
  const name = layer.getClassName();
  if (name === 'Dense') return tf.add(tf.matMul(x.reshape([x.shape[0] ?? 1, -1]) as tf.Tensor2D, kernel as tf.Tensor2D), bias ?? 0);
  if (name === 'Conv2D') {
    const out = tf.conv2d(x as tf.Tensor4D, kernel as tf.Tensor4D, 1, 'valid');
    return bias ? tf.add(out, bias) : out;
  }
  throw new Error(`Grad-CAM: classifier layer ${layer.name} is a ${name}; expected Dense or Conv2D`);
}

/** Layers after the feature layer up to and including the classifier, checked to form one chain. */
function headLayers(model: tf.LayersModel, featureLayer: string, classifierLayer: string): tf.layers.Layer[] {
  const layers = model.layers;
  const start = layers.findIndex((layer) => layer.name === featureLayer);
  const end = layers.findIndex((layer) => layer.name === classifierLayer);
  if (start < 0 || end <= start) throw new Error(`Grad-CAM: ${classifierLayer} does not follow ${featureLayer}`);
  const head = layers.slice(start + 1, end + 1);
  let previous = featureLayer;
  for (const layer of head) {
    const inbound = layer.inboundNodes[0]?.inboundLayers.map((l) => l.name) ?? [];
    if (inbound.length !== 1 || inbound[0] !== previous) {
      throw new Error(`Grad-CAM: the head from ${featureLayer} to ${classifierLayer} is not a single chain (at ${layer.name})`);
    }
    previous = layer.name;
  }
  return head;
}
