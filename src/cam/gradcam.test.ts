/**
 * Grad-CAM on tiny Keras-style models built in the test. For a head GAP → linear, ∂logit_c/∂A[y,x,k] =
 * W[k,c]/(H·W), so Grad-CAM must equal CAM divided by H·W exactly (up to float error).
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifierWeightsOf } from '../test-support/classifier';
import { useCpuBackend } from '../test-support/model-files';
import { randomArray } from '../test-support/random';
import { correlation } from '../test-support/correlation';
import { classActivationMap, mixActivationMap, type FeatureMap, type Map2D } from './cam';
import { gradCam, gradCamMix, layersHead } from './gradcam';

const H = 4;
const W = 4;
const CLASSES = 5;

const init = (seed: number) => tf.initializers.glorotUniform({ seed });
const biasInit = (seed: number) => tf.initializers.randomUniform({ minval: -0.5, maxval: 0.5, seed });

/** input 4×4×3 → conv `feat` (relu) → GAP → dense `cls` (softmax). */
function denseHeadModel(): tf.LayersModel {
  const input = tf.input({ shape: [H, W, 3] });
  const feat = tf.layers.conv2d({ name: 'feat', filters: 6, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(1) }).apply(input) as tf.SymbolicTensor;
  const pooled = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(feat) as tf.SymbolicTensor;
  const out = tf.layers.dense({ name: 'cls', units: CLASSES, activation: 'softmax', kernelInitializer: init(2), biasInitializer: biasInit(3) }).apply(pooled) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

/** Like MobileNet: … → GAP → reshape [1,1,K] → dropout → 1×1 conv `cls` → softmax → reshape [C]. */
function convHeadModel(): tf.LayersModel {
  const input = tf.input({ shape: [H, W, 3] });
  const feat = tf.layers.conv2d({ name: 'feat', filters: 8, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(4) }).apply(input) as tf.SymbolicTensor;
  let x = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(feat) as tf.SymbolicTensor;
  x = tf.layers.reshape({ name: 'reshape_1', targetShape: [1, 1, 8] }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.dropout({ name: 'dropout', rate: 0.5 }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.conv2d({ name: 'cls', filters: CLASSES, kernelSize: 1, padding: 'same', kernelInitializer: init(5), biasInitializer: biasInit(6) }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.activation({ name: 'act_softmax', activation: 'softmax' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.reshape({ name: 'reshape_2', targetShape: [CLASSES] }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: x });
}

function expectNoLeak(model: tf.LayersModel, features: FeatureMap) {
  gradCam(model, 'feat', 'cls', features, 0);
  const before = tf.memory().numTensors;
  for (let i = 0; i < 5; i++) gradCam(model, 'feat', 'cls', features, i % CLASSES);
  expect(tf.memory().numTensors).toBe(before);
}

/** A test model and its feature map on a seeded input. */
function modelWithFeatures(make: () => tf.LayersModel, seed: number): { model: tf.LayersModel; features: FeatureMap } {
  const model = make();
  return { model, features: featuresOf(model, seed) };
}

/** Runs the model up to `feat` on a seeded random input. */
function featuresOf(model: tf.LayersModel, seed: number): FeatureMap {
  return tf.tidy(() => {
    const sub = tf.model({ inputs: model.inputs, outputs: model.getLayer('feat').output as tf.SymbolicTensor });
    const out = sub.predict(tf.tensor4d(randomArray(H * W * 3, seed, -1, 1), [1, H, W, 3])) as tf.Tensor;
    const [, height, width, channels] = out.shape;
    return { data: Float32Array.from(out.dataSync()), height, width, channels };
  });
}

/** Grad-CAM · H·W must equal CAM cell by cell. */
function expectGradCamIsScaledCam(grad: Map2D, cam: Map2D, cells: number) {
  expect([grad.width, grad.height]).toEqual([cam.width, cam.height]);
  const scale = Math.max(...cam.data.map(Math.abs));
  expect(scale).toBeGreaterThan(0);
  for (let i = 0; i < cam.data.length; i++) expect(Math.abs(grad.data[i] * cells - cam.data[i])).toBeLessThan(1e-4 * scale);
  expect(correlation(grad.data, cam.data)).toBeGreaterThan(0.999);
}

beforeAll(useCpuBackend);

describe('gradCam, dense classifier head (GAP → dense)', () => {
  let model: tf.LayersModel;
  let features: FeatureMap;
  beforeAll(() => ({ model, features } = modelWithFeatures(denseHeadModel, 11)));
  afterAll(() => model.dispose());

  it('the test features are a non-trivial 4×4×6 ReLU map', () => {
    expect([features.height, features.width, features.channels]).toEqual([4, 4, 6]);
    expect(Math.min(...features.data)).toBeGreaterThanOrEqual(0);
    expect(features.data.filter((v) => v > 0).length).toBeGreaterThan(20);
  });

  it.each([0, 1, 2, 3, 4])('class %i: Grad-CAM = CAM / (H·W)', (c) => {
    const weights = classifierWeightsOf(model.getLayer('cls'));
    expect([weights.channels, weights.classes]).toEqual([6, CLASSES]);
    expectGradCamIsScaledCam(gradCam(model, 'feat', 'cls', features, c), classActivationMap(features, weights, c), H * W);
  });

  it('a mix of classes (a group, a contrast): Grad-CAM of the weighted logits = the mix\'s CAM / (H·W)', () => {
    const weights = classifierWeightsOf(model.getLayer('cls'));
    for (const mix of [
      [{ classIndex: 1, weight: 0.6 }, { classIndex: 3, weight: 0.4 }],
      [{ classIndex: 2, weight: 1 }, { classIndex: 0, weight: -1 }],
    ]) {
      expectGradCamIsScaledCam(gradCamMix(layersHead(model, 'feat', 'cls'), features, mix), mixActivationMap(features, weights, mix), H * W);
    }
  });

  it('also holds for features with negative values', () => {
    const signed: FeatureMap = { height: H, width: W, channels: 6, data: randomArray(H * W * 6, 99, -2, 2) };
    const weights = classifierWeightsOf(model.getLayer('cls'));
    expectGradCamIsScaledCam(gradCam(model, 'feat', 'cls', signed, 3), classActivationMap(signed, weights, 3), H * W);
  });

  it('different classes give different maps', () => {
    const a = gradCam(model, 'feat', 'cls', features, 0).data;
    const b = gradCam(model, 'feat', 'cls', features, 1).data;
    expect(correlation(a, b)).toBeLessThan(0.999);
  });

  it('does not leak tensors over 5 calls', () => expectNoLeak(model, features));
});

describe('gradCam, sequential model', () => {
  it('works on tf.sequential (conv → GAP → dense)', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [H, W, 3], name: 'feat', filters: 5, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(21) }),
        tf.layers.globalAveragePooling2d({}),
        tf.layers.dense({ name: 'cls', units: CLASSES, activation: 'softmax', kernelInitializer: init(22) }),
      ],
    });
    const features: FeatureMap = { height: H, width: W, channels: 5, data: randomArray(H * W * 5, 23) };
    const weights = classifierWeightsOf(model.getLayer('cls'));
    expectGradCamIsScaledCam(gradCam(model, 'feat', 'cls', features, 2), classActivationMap(features, weights, 2), H * W);
    model.dispose();
  });
});

describe('gradCam, 1×1 conv classifier head (as MobileNet)', () => {
  let model: tf.LayersModel;
  let features: FeatureMap;
  beforeAll(() => ({ model, features } = modelWithFeatures(convHeadModel, 12)));
  afterAll(() => model.dispose());

  it.each([0, 2, 4])('class %i: Grad-CAM = CAM / (H·W) with the 1×1×K×C kernel read as K×C', (c) => {
    const weights = classifierWeightsOf(model.getLayer('cls'));
    expect([weights.channels, weights.classes]).toEqual([8, CLASSES]);
    expectGradCamIsScaledCam(gradCam(model, 'feat', 'cls', features, c), classActivationMap(features, weights, c), H * W);
  });

  it('is deterministic (dropout is inactive)', () => {
    const a = gradCam(model, 'feat', 'cls', features, 1).data;
    const b = gradCam(model, 'feat', 'cls', features, 1).data;
    expect(Array.from(b)).toEqual(Array.from(a));
  });

  it('does not leak tensors over 5 calls', () => expectNoLeak(model, features));
});

describe('gradCam errors', () => {
  let model: tf.LayersModel;
  let features: FeatureMap;
  beforeAll(() => ({ model, features } = modelWithFeatures(denseHeadModel, 13)));
  afterAll(() => model.dispose());

  it('refuses a head that is not a single chain (two branches merged by add)', () => {
    const input = tf.input({ shape: [H, W, 3] });
    const feat = tf.layers.conv2d({ name: 'feat', filters: 4, kernelSize: 1, activation: 'relu' }).apply(input) as tf.SymbolicTensor;
    const pooled = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(feat) as tf.SymbolicTensor;
    const left = tf.layers.dense({ name: 'left', units: 4 }).apply(pooled) as tf.SymbolicTensor;
    const right = tf.layers.dense({ name: 'right', units: 4 }).apply(pooled) as tf.SymbolicTensor;
    const merged = tf.layers.add({ name: 'merge' }).apply([left, right]) as tf.SymbolicTensor;
    const out = tf.layers.dense({ name: 'cls', units: CLASSES }).apply(merged) as tf.SymbolicTensor;
    const branched = tf.model({ inputs: input, outputs: out });
    const f: FeatureMap = { height: H, width: W, channels: 4, data: randomArray(H * W * 4, 5) };
    expect(() => gradCam(branched, 'feat', 'cls', f, 0)).toThrow(/Grad-CAM: the head from feat to cls is not a single chain \(at \w+\)/);
    branched.dispose();
  });

  it('refuses a classifier that comes before the feature layer, or unknown layer names', () => {
    expect(() => gradCam(model, 'cls', 'feat', features, 0)).toThrow('Grad-CAM: feat does not follow cls');
    expect(() => gradCam(model, 'nope', 'cls', features, 0)).toThrow(/does not follow/);
    expect(() => gradCam(model, 'feat', 'nope', features, 0)).toThrow(/does not follow/);
    expect(() => gradCam(model, 'feat', 'feat', features, 0)).toThrow(/does not follow/);
  });

  it('refuses a classifier layer that is neither Dense nor Conv2D', () => {
    const input = tf.input({ shape: [H, W, 3] });
    const feat = tf.layers.conv2d({ name: 'feat', filters: 4, kernelSize: 1 }).apply(input) as tf.SymbolicTensor;
    const pooled = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(feat) as tf.SymbolicTensor;
    const dense = tf.layers.dense({ name: 'logits', units: CLASSES }).apply(pooled) as tf.SymbolicTensor;
    const out = tf.layers.activation({ name: 'probs', activation: 'softmax' }).apply(dense) as tf.SymbolicTensor;
    const m = tf.model({ inputs: input, outputs: out });
    const f: FeatureMap = { height: H, width: W, channels: 4, data: randomArray(H * W * 4, 6) };
    expect(() => gradCam(m, 'feat', 'probs', f, 0)).toThrow('Grad-CAM: classifier layer probs is a Activation; expected Dense or Conv2D');
    m.dispose();
  });

  it('throws on a class index outside 0..C−1', () => {
    expect(() => gradCam(model, 'feat', 'cls', features, CLASSES)).toThrow();
    expect(() => gradCam(model, 'feat', 'cls', features, -1)).toThrow();
  });

  it('throws on a feature map whose channel count does not fit the head', () => {
    const wrong: FeatureMap = { height: H, width: W, channels: 7, data: randomArray(H * W * 7, 7) };
    expect(() => gradCam(model, 'feat', 'cls', wrong, 0)).toThrow();
  });

  // Known bug (src/cam/gradcam.ts): no class-index check, so tf.gather throws inside tf.grad and the
  // tensors already made in that gradient pass are never freed (7 per call with MobileNet).
  it('leaks no tensor when the class index is out of range', () => {
    const before = tf.memory().numTensors;
    expect(() => gradCam(model, 'feat', 'cls', features, CLASSES)).toThrow();
    expect(tf.memory().numTensors).toBe(before);
  });

  // Known bug (src/cam/gradcam.ts): a fractional index is silently truncated by tf.gather (1.5 → class 1),
  // whereas classActivationMap rejects it.
  it('rejects a non-integer class index like classActivationMap does', () => {
    expect(() => gradCam(model, 'feat', 'cls', features, 1.5)).toThrow(/Class index/);
  });
});
