import * as tf from '@tensorflow/tfjs';
import type { ClassifierWeights, FeatureMap } from '../cam/cam';

/**
 * The kernel of a dense (K×C) or 1×1 conv (1×1×K×C) layer as the row-major K×C matrix CAM expects.
 * Both layouts are already K×C in row-major order once flattened.
 */
export function classifierWeightsOf(layer: tf.layers.Layer): ClassifierWeights {
  const kernel = layer.getWeights()[0];
  const classes = kernel.shape[kernel.shape.length - 1];
  return { kernel: Float32Array.from(kernel.dataSync()), channels: kernel.size / classes, classes };
}

/** The bias vector of a layer (zeros if it has none). */
export function biasOf(layer: tf.layers.Layer, classes: number): Float32Array {
  const bias = layer.getWeights()[1];
  return bias ? Float32Array.from(bias.dataSync()) : new Float32Array(classes);
}

/** A batch-of-one feature tensor (1×H×W×K) as the FeatureMap the CAM code takes. */
export function featureMapOf(tensor: tf.Tensor): FeatureMap {
  const [batch, height, width, channels] = tensor.shape;
  if (batch !== 1 || tensor.rank !== 4) throw new Error(`Expected a 1×H×W×K tensor, got ${tensor.shape.join('×')}`);
  return { data: Float32Array.from(tensor.dataSync()), height, width, channels };
}
