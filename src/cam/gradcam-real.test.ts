/**
 * Grad-CAM against CAM on the provisioned models. Both heads are GAP → linear, so the two methods must
 * agree up to the factor 1/(7·7): the feature/classifier layer names in the registry and gradCam's
 * replay of the head are checked on the real graphs.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preprocess } from '../models/preprocess';
import { topK } from '../models/topk';
import { biasOf, classifierWeightsOf, featureMapOf } from '../test-support/classifier';
import { builtInModel, loadModelFromDisk, useCpuBackend } from '../test-support/model-files';
import { correlation } from '../test-support/correlation';
import { randomArray, syntheticPhoto } from '../test-support/random';
import { classActivationMap, type ClassifierWeights, type FeatureMap } from './cam';
import { gradCam } from './gradcam';

beforeAll(useCpuBackend);

function meanOf(values: Float32Array): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function expectAgreement(model: tf.LayersModel, featureLayer: string, classifierLayer: string, features: FeatureMap, weights: ClassifierWeights, classIndex: number) {
  const grad = gradCam(model, featureLayer, classifierLayer, features, classIndex);
  const cam = classActivationMap(features, weights, classIndex);
  expect([grad.width, grad.height]).toEqual([7, 7]);
  expect(correlation(grad.data, cam.data)).toBeGreaterThanOrEqual(0.99);
  const cells = features.height * features.width;
  const scale = Math.max(...cam.data.map(Math.abs));
  for (let i = 0; i < cells; i++) expect(Math.abs(grad.data[i] * cells - cam.data[i])).toBeLessThan(1e-3 * scale);
}

describe('Grad-CAM vs CAM on MobileNet v1 0.75 (synthetic photo)', () => {
  const spec = builtInModel('mobilenet_v1_0.75');
  let model: tf.LayersModel;
  let features: FeatureMap;
  let weights: ClassifierWeights;
  let logits: number[];

  beforeAll(async () => {
    model = await loadModelFromDisk(spec.id);
    const pixels = tf.tensor3d(syntheticPhoto(224), [224, 224, 3], 'int32');
    const featureTensor = tf.tidy(() => {
      const upToFeatures = tf.model({ inputs: model.inputs, outputs: model.getLayer(spec.featureLayer).output as tf.SymbolicTensor });
      return upToFeatures.predict(preprocess(pixels, spec.preprocess)) as tf.Tensor;
    });
    features = featureMapOf(featureTensor);
    featureTensor.dispose();
    pixels.dispose();
    const classifier = model.getLayer(spec.classifierLayer);
    weights = classifierWeightsOf(classifier);
    const bias = biasOf(classifier, weights.classes);
    // logit_c = mean over cells of CAM_c + b_c (GAP and the 1×1 conv are linear).
    logits = Array.from({ length: weights.classes }, (_, c) => meanOf(classActivationMap(features, weights, c).data) + bias[c]);
  });
  afterAll(() => model?.dispose());

  it('features are 7×7×768 and the classifier is 768×1000', () => {
    expect([features.height, features.width, features.channels]).toEqual([7, 7, 768]);
    expect([weights.channels, weights.classes]).toEqual([768, 1000]);
    expect(features.data.some((v) => v > 0)).toBe(true);
  });

  it('top-1 class: correlation ≥ 0.99 and Grad-CAM · 49 = CAM', () => {
    const top = topK(logits, 1)[0].index;
    expectAgreement(model, spec.featureLayer, spec.classifierLayer, features, weights, top);
  });

  it('another class (Egyptian cat, 285), and the least likely class', () => {
    expectAgreement(model, spec.featureLayer, spec.classifierLayer, features, weights, 285);
    const worst = topK(logits.map((l) => -l), 1)[0].index;
    expectAgreement(model, spec.featureLayer, spec.classifierLayer, features, weights, worst);
  });
});

describe('Grad-CAM vs CAM on ResNet-50 (seeded ReLU-like features; no forward pass)', () => {
  const spec = builtInModel('resnet50');
  let model: tf.LayersModel;
  let features: FeatureMap;
  let weights: ClassifierWeights;

  beforeAll(async () => {
    model = await loadModelFromDisk(spec.id);
    const data = randomArray(7 * 7 * 2048, 2024, -1, 3).map((v) => Math.max(0, v));
    features = { data, height: 7, width: 7, channels: 2048 };
    weights = classifierWeightsOf(model.getLayer(spec.classifierLayer));
  });
  afterAll(() => model?.dispose());

  it('the classifier is a 2048×1000 dense layer', () => {
    expect(model.getLayer(spec.classifierLayer).getClassName()).toBe('Dense');
    expect([weights.channels, weights.classes]).toEqual([2048, 1000]);
  });

  it.each([0, 285, 999])('class %i: correlation ≥ 0.99 and Grad-CAM · 49 = CAM (uses logits, not the softmax)', (c) => {
    expectAgreement(model, spec.featureLayer, spec.classifierLayer, features, weights, c);
  });
});
