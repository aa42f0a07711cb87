import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpuBackend } from '../test-support/model-files';
import { rgbTensor } from './pixels';

beforeAll(useCpuBackend);

describe('rgbTensor', () => {
  it('gives the RGB values tf.browser.fromPixels gives, as int32, the alpha channel left out', () => {
    const width = 5;
    const height = 3;
    const data = new Uint8ClampedArray(width * height * 4);
    for (let i = 0; i < data.length; i++) data[i] = (i * 37 + 11) % 256;
    const ours = rgbTensor({ width, height, data });
    const theirs = tf.browser.fromPixels({ width, height, data: new Uint8Array(data) }, 3);
    expect(ours.shape).toEqual([height, width, 3]);
    expect(ours.dtype).toBe('int32');
    expect(Array.from(ours.dataSync())).toEqual(Array.from(theirs.dataSync()));
    tf.dispose([ours, theirs]);
  });

  it('keeps each tensor true to its own image (the CPU backend holds the array it is given)', () => {
    const image = (value: number) => ({ width: 2, height: 2, data: new Uint8ClampedArray(16).fill(value) });
    const first = rgbTensor(image(10));
    const second = rgbTensor(image(20));
    expect(Array.from(first.dataSync())).toEqual(new Array(12).fill(10));
    expect(Array.from(second.dataSync())).toEqual(new Array(12).fill(20));
    tf.dispose([first, second]);
  });
});
