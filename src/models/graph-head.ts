/**
 * Does CAM hold for a graph model's head? The op pattern alone is not trusted: the K×C classifier is
 * recovered by running the head on probes (the feature node fed K one-hot 1×1×K maps and one zero map, in
 * one batch: head(e_k) − head(0) = W_k, head(0) = b), then the head must equal "mean over positions of
 * A·W + b" on the given feature map and on its negative (which a ReLU, an Elu or any other non-linearity
 * after the pooling would fail). A head that refuses a batch of 1×1 maps, or fails the check, is not linear
 * after (or before) global average pooling: the model then gets Grad-CAM only.
 */
import * as tf from '@tensorflow/tfjs';

/** Largest difference allowed between the head and its linear recovery, relative to the largest logit (at least 1). */
const TOLERANCE = 1e-3;

export interface LinearHead {
  /** Row-major K×C, in the model's own output order. */
  kernel: Float32Array;
  bias: Float32Array;
}

/** Logits N×C from the head's output (N×C, or N×h×w×C for a classifier before the pooling). */
function pooled(output: tf.Tensor): tf.Tensor2D {
  return (output.rank === 4 ? output.mean([1, 2]) : output) as tf.Tensor2D;
}

/** `head`: feature maps N×h×w×K → logits; `features`: a 1×h×w×K feature map of the model. Null when CAM does not hold. */
export function recoverLinearHead(head: (features: tf.Tensor4D) => tf.Tensor, features: tf.Tensor4D): LinearHead | null {
  const channels = features.shape[3];
  let result: LinearHead | null = null;
  try {
    tf.tidy(() => {
      const probes = tf.concat([tf.eye(channels), tf.zeros([1, channels])]).reshape([channels + 1, 1, 1, channels]) as tf.Tensor4D;
      const out = pooled(head(probes));
      if (out.rank !== 2 || out.shape[0] !== channels + 1) return;
      const bias = out.slice([channels, 0], [1, -1]);
      const kernel = out.slice([0, 0], [channels, -1]).sub(bias);
      const both = tf.concat([features, features.neg()]) as tf.Tensor4D;
      const actual = pooled(head(both));
      const expected = both.reshape([2, -1, channels]).mean(1).matMul(kernel).add(bias);
      const error = actual.sub(expected).abs().max().dataSync()[0];
      const scale = Math.max(1, actual.abs().max().dataSync()[0]);
      if (!(error <= TOLERANCE * scale)) return;
      result = { kernel: kernel.dataSync() as Float32Array, bias: bias.dataSync() as Float32Array };
    });
  } catch {
    // The head does not take 1×1 maps or batches (e.g. a flatten to a fixed size): not GAP-linear.
    return null;
  }
  return result;
}
