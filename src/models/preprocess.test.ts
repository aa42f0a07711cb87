import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpuBackend } from '../test-support/model-files';
import { CAFFE_BGR_MEANS, preprocess } from './preprocess';

beforeAll(useCpuBackend);

function expectClose(actual: ArrayLike<number>, expected: number[], digits = 4) {
  expect(actual.length).toBe(expected.length);
  expected.forEach((value, i) => expect(actual[i], `element ${i}`).toBeCloseTo(value, digits));
}

describe('preprocess, symmetric mode (Keras tf: x / 127.5 − 1)', () => {
  it('maps 0 → −1, 255 → 1, 127.5 → 0 and scales linearly in between', () => {
    // A 1×2 image: pixel 0 = (0, 255, 127.5), pixel 1 = (51, 204, 25.5).
    const rgb = tf.tensor3d([0, 255, 127.5, 51, 204, 25.5], [1, 2, 3], 'float32');
    const out = preprocess(rgb, 'symmetric');
    expect(out.shape).toEqual([1, 1, 2, 3]);
    expect(out.dtype).toBe('float32');
    // 51/127.5 − 1 = −0.6, 204/127.5 − 1 = 0.6, 25.5/127.5 − 1 = −0.8
    expectClose(out.dataSync(), [-1, 1, 0, -0.6, 0.6, -0.8], 6);
    out.dispose();
    rgb.dispose();
  });

  it('accepts int32 pixels and keeps the channel order (no BGR swap)', () => {
    const rgb = tf.tensor3d([255, 0, 0, 0, 0, 255], [1, 2, 3], 'int32');
    const out = preprocess(rgb, 'symmetric');
    expect(out.dtype).toBe('float32');
    expectClose(out.dataSync(), [1, -1, -1, -1, -1, 1], 6);
    out.dispose();
    rgb.dispose();
  });
});

describe('preprocess, unit mode (x / 255, Darknet)', () => {
  it('maps 0 → 0, 255 → 1 and keeps the channel order', () => {
    const rgb = tf.tensor3d([0, 255, 51, 102, 204, 25.5], [1, 2, 3], 'float32');
    const out = preprocess(rgb, 'unit');
    expect(out.shape).toEqual([1, 1, 2, 3]);
    expectClose(out.dataSync(), [0, 1, 0.2, 0.4, 0.8, 0.1], 6);
    out.dispose();
    rgb.dispose();
  });
});

describe('preprocess, caffe mode (RGB → BGR, minus [103.939, 116.779, 123.68])', () => {
  it('exports the Keras BGR means', () => {
    expect([...CAFFE_BGR_MEANS]).toEqual([103.939, 116.779, 123.68]);
  });

  it('reverses the channels then subtracts the means, per pixel of a 2×2 image', () => {
    const rgb = tf.tensor3d(
      [
        [
          [10, 20, 30],
          [255, 128, 0],
        ],
        [
          [0, 0, 0],
          [255, 255, 255],
        ],
      ],
      [2, 2, 3],
      'int32',
    );
    const out = preprocess(rgb, 'caffe');
    expect(out.shape).toEqual([1, 2, 2, 3]);
    expectClose(out.dataSync(), [
      // (R10, G20, B30) → BGR (30, 20, 10) − means
      30 - 103.939, 20 - 116.779, 10 - 123.68, // −73.939, −96.779, −113.68
      // (255, 128, 0) → (0, 128, 255) − means
      -103.939, 11.221, 131.32,
      // black
      -103.939, -116.779, -123.68,
      // white
      151.061, 138.221, 131.32,
    ], 3);
    out.dispose();
    rgb.dispose();
  });

  it('maps the mean colour (R 123.68, G 116.779, B 103.939) to zero', () => {
    const rgb = tf.tensor3d([123.68, 116.779, 103.939], [1, 1, 3], 'float32');
    const out = preprocess(rgb, 'caffe');
    expectClose(out.dataSync(), [0, 0, 0], 4);
    out.dispose();
    rgb.dispose();
  });
});

describe('preprocess, tensor hygiene', () => {
  it('leaves the input alive and creates exactly one tensor (the output)', () => {
    const rgb = tf.tensor3d(new Int32Array(4 * 4 * 3).fill(7), [4, 4, 3], 'int32');
    for (const mode of ['symmetric', 'unit', 'caffe'] as const) {
      const before = tf.memory().numTensors;
      const out = preprocess(rgb, mode);
      expect(tf.memory().numTensors).toBe(before + 1);
      out.dispose();
      expect(tf.memory().numTensors).toBe(before);
      expect(rgb.isDisposed).toBe(false);
    }
    rgb.dispose();
  });
});
