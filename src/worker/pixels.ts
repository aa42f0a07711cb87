import * as tf from '@tensorflow/tfjs';

let canvas: OffscreenCanvas | null = null;
let context: OffscreenCanvasRenderingContext2D | null = null;
/**
 * RGB values of the last input, reused on the WASM backend, which copies a new tensor's values into its
 * own memory. A new 600 KB array per live frame (as tf.browser.fromPixels makes) kept the worker's
 * garbage collector busy enough to slow the model itself. The WebGL and CPU backends keep the array
 * they are given, so they get a new one each time.
 */
let reused = new Int32Array(0);

/**
 * An ImageBitmap (already the model's input size) → RGB int32 tensor, through one reused 2-D canvas.
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
    return rgbTensor(context.getImageData(0, 0, width, height));
  } finally {
    bitmap.close();
  }
}

/** RGBA bytes → RGB int32 tensor: what tf.browser.fromPixels(image, 3) gives, without a new array per call on WASM. */
export function rgbTensor({ width, height, data }: { width: number; height: number; data: Uint8ClampedArray }): tf.Tensor3D {
  const size = width * height * 3;
  const wasm = tf.getBackend() === 'wasm';
  if (wasm && reused.length !== size) reused = new Int32Array(size);
  const rgb = wasm ? reused : new Int32Array(size);
  for (let from = 0, to = 0; to < size; from += 4, to += 3) {
    rgb[to] = data[from];
    rgb[to + 1] = data[from + 1];
    rgb[to + 2] = data[from + 2];
  }
  return tf.tensor3d(rgb, [height, width, 3], 'int32');
}
