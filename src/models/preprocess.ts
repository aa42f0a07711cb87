import * as tf from '@tensorflow/tfjs';
import type { PreprocessMode } from './registry';

/** Keras `caffe` means, in BGR order (ImageNet, as ResNet-50 was trained). */
export const CAFFE_BGR_MEANS = [103.939, 116.779, 123.68] as const;

/**
 * RGB pixels (H×W×3, 0–255) → the model's batch of one, exactly as Keras `preprocess_input` does:
 * `symmetric` (Keras `tf`) → x/127.5 − 1; `caffe` → RGB→BGR, then minus the channel means, no scaling;
 * and `unit` → x/255 (Darknet).
 */
export function preprocess(rgb: tf.Tensor3D, mode: PreprocessMode): tf.Tensor4D {
  return tf.tidy(() => {
    const x = rgb.toFloat();
    const normalised =
      mode === 'symmetric' ? x.div(127.5).sub(1) : mode === 'unit' ? x.div(255) : tf.reverse(x, -1).sub(tf.tensor1d([...CAFFE_BGR_MEANS]));
    return normalised.expandDims(0) as tf.Tensor4D;
  });
}
