import { describe, expect, it } from 'vitest';
import { BUILT_IN_MODELS, builtInModel, readModelJson } from '../../test-support/model-files';
import { mergeModels } from '../model-list';
import { inspectModelJson } from './inspect';
import { userModelSpec } from './user-spec';

const inspection = inspectModelJson(readModelJson('darknet_tiny'));
const wnids = ['n02119789'];

describe('userModelSpec', () => {
  it('is the built-in entry again when made from the same files and choices, kept in IndexedDB', () => {
    const spec = userModelSpec(inspection, { displayName: 'My Darknet!', preprocess: 'unit', featureLayer: 'leaky_re_lu_15', outputWnidList: wnids }, 36 ** 3);
    const builtIn = builtInModel('darknet_tiny');
    expect(spec).toMatchObject({
      id: 'user-my-darknet-1000',
      displayName: 'My Darknet!',
      url: 'indexeddb://whats-in-the-picture/user/user-my-darknet-1000',
      inputSize: builtIn.inputSize,
      preprocess: builtIn.preprocess,
      output: builtIn.output,
      featureLayer: builtIn.featureLayer,
      classifierLayer: builtIn.classifierLayer,
      outputWnidList: wnids,
    });
    expect(spec.gradCamOnly).toBeUndefined();
    expect(spec.zoo).toMatchObject({ sizeMB: builtIn.zoo.sizeMB, top1: null, parameters: 1_046_488, depth: 52 });
  });

  it('an earlier layer than the last feature map gets Grad-CAM only', () => {
    const spec = userModelSpec(inspection, { displayName: '', preprocess: 'unit', featureLayer: 'conv2d_15', outputWnidList: wnids });
    expect(spec.gradCamOnly).toBe(true);
    expect(spec.displayName).toBe('My model');
    expect(spec.id).toMatch(/^user-model-/);
  });
});

describe('mergeModels', () => {
  it("lists the deployment's models first, then the user's, leaving out a user model with a deployment id", () => {
    const mine = userModelSpec(inspection, { displayName: 'Mine', preprocess: 'unit', featureLayer: 'leaky_re_lu_15', outputWnidList: wnids });
    const clash = { ...mine, id: 'resnet50', displayName: 'Not ResNet' };
    expect(mergeModels(BUILT_IN_MODELS, [mine, clash]).map((m) => m.id)).toEqual([...BUILT_IN_MODELS.map((m) => m.id), mine.id]);
    expect(mergeModels([], [mine])).toEqual([mine]);
  });
});
