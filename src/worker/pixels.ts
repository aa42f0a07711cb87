import * as tf from '@tensorflow/tfjs';

let canvas: OffscreenCanvas | null = null;
let context: OffscreenCanvasRenderingContext2D | null = null;

/**
 * An ImageBitmap (already the model's input size) → RGB tensor, through one reused 2-D canvas.
 * Going through ImageData works the same on every backend; the bitmap is closed here.
 */
export function bitmapToTensor(bitmap: ImageBitmap): tf.Tensor3D {
  const { width, height } = bitmap;
  if (!canvas || !context || canvas.width !== width || canvas.height !== height) {
    canvas = new OffscreenCanvas(width, height);
    context = canvas.getContext('2d', { willReadFrequently: true });
    if (!context) throw new Error('This browser cannot draw images in a worker (no OffscreenCanvas 2D)');
  }
  try {
    // Transparent pixels are seen on white, as an image viewer shows them.
    context.fillStyle = '#fff';
    context.fillRect(0, 0, width, height);
    context.drawImage(bitmap, 0, 0);
    return tf.browser.fromPixels(context.getImageData(0, 0, width, height), 3);
  } finally {
    bitmap.close();
  }
}
