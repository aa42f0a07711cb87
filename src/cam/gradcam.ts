import * as tf from '@tensorflow/tfjs';
import { checkMix, singleClass, type ClassMix, type FeatureMap, type Map2D } from './cam';

/**
 * Grad-CAM (Selvaraju et al. 2017): weights α_k = mean over (y, x) of ∂score_c/∂A_k, map = Σ_k α_k A_k.
 * Works for any head on top of the feature layer, not only GAP → linear. The score is the classifier's
 * pre-activation output (the logit), as the paper prescribes: a softmax score would mix in other classes.
 *
 * The head is replayed layer by layer from the feature layer to the classifier, which must be a
 * single chain (true of every Keras classification model: pooling, reshape, dropout, dense/conv).
 */
export function gradCam(model: tf.LayersModel, featureLayer: string, classifierLayer: string, features: FeatureMap, classIndex: number): Map2D {
  return gradCamMix(model, featureLayer, classifierLayer, features, singleClass(classIndex));
}

/**
 * Grad-CAM of a weighted sum of logits (class indices in the model's own output order): a group of
 * classes, or the logit difference A − B for "why A and not B".
 */
export function gradCamMix(model: tf.LayersModel, featureLayer: string, classifierLayer: string, features: FeatureMap, mix: ClassMix): Map2D {
  const head = headLayers(model, featureLayer, classifierLayer);
  const classifier = head[head.length - 1];
  if (!LINEAR_CLASSIFIERS.has(classifier.getClassName())) {
    throw new Error(`Grad-CAM: classifier layer ${classifier.name} is a ${classifier.getClassName()}; expected Dense or Conv2D`);
  }
  const kernelShape = classifier.getWeights()[0].shape;
  const classes = kernelShape[kernelShape.length - 1];
  checkMix(mix, classes);
  const coefficients = new Float32Array(classes);
  for (const { classIndex, weight } of mix) coefficients[classIndex] += weight;
  const { height, width, channels } = features;
  const score = (a: tf.Tensor): tf.Scalar => {
    let x = a;
    for (const layer of head.slice(0, -1)) x = layer.apply(x, { training: false }) as tf.Tensor;
    let logits = linearPart(head[head.length - 1], x);
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
