/**
 * House rule: no tensor may leak — tf.memory().numTensors is the same after every prediction.
 * The real MobileNet (read from disk) through preprocess + predict in tf.tidy, and through gradCam.
 * (loadModel's own predict/predictBare are covered the same way in load.test.ts.)
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gradCam } from '../cam/gradcam';
import { builtInModel, loadModelFromDisk, useCpuBackend } from '../test-support/model-files';
import { randomArray, syntheticPhoto } from '../test-support/random';
import { preprocess } from './preprocess';

const N = 5;

describe('no tensor leaks with the real MobileNet', () => {
  const spec = builtInModel('mobilenet_v1_0.75');
  let model: tf.LayersModel;
  let pixels: tf.Tensor3D;

  beforeAll(async () => {
    await useCpuBackend();
    model = await loadModelFromDisk(spec.id);
    pixels = tf.tensor3d(syntheticPhoto(224), [224, 224, 3], 'int32');
  });
  afterAll(() => {
    pixels?.dispose();
    model?.dispose();
  });

  it(`preprocess + model.predict in tf.tidy: numTensors unchanged after ${N} predictions`, async () => {
    const before = tf.memory().numTensors;
    let firstProbs: Float32Array | null = null;
    for (let i = 0; i < N; i++) {
      const probs = tf.tidy(() => model.predict(preprocess(pixels, spec.preprocess)) as tf.Tensor);
      expect(tf.memory().numTensors).toBe(before + 1);
      const data = (await probs.data()) as Float32Array;
      probs.dispose();
      expect(tf.memory().numTensors).toBe(before);
      expect(data).toHaveLength(1000);
      // Same input, same output: the prediction is deterministic.
      if (firstProbs) expect(Array.from(data)).toEqual(Array.from(firstProbs));
      else firstProbs = data;
    }
    expect(firstProbs?.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
  });

  it(`gradCam: numTensors unchanged after ${N} calls`, () => {
    const features = { data: randomArray(7 * 7 * 768, 7, 0, 6), height: 7, width: 7, channels: 768 };
    const before = tf.memory().numTensors;
    for (let i = 0; i < N; i++) {
      const map = gradCam(model, spec.featureLayer, spec.classifierLayer, features, (i * 211) % 1000);
      expect(map.data).toHaveLength(49);
      expect(tf.memory().numTensors).toBe(before);
    }
  });
});
