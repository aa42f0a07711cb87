import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MODELS_DIR, modelDir, readModelJson, topologyLayerNames } from '../test-support/model-files';
import { manifestBytes } from './load';
import { DEFAULT_MODEL_ID, IMAGENET_LABELS_URL, MODELS, findModel, getModel, type ModelSpec } from './registry';

describe('registry MODELS', () => {
  it('has unique ids and display names', () => {
    expect(new Set(MODELS.map((m) => m.id)).size).toBe(MODELS.length);
    expect(new Set(MODELS.map((m) => m.displayName)).size).toBe(MODELS.length);
  });

  it.each(MODELS.map((m) => [m.id, m] as const))('%s has every field with a sensible value', (_id, spec) => {
    expect(spec.displayName.length).toBeGreaterThan(0);
    expect(spec.url).toBe(`models/${spec.id}/model.json`);
    expect(spec.inputSize).toBe(224);
    expect(['symmetric', 'unit', 'caffe']).toContain(spec.preprocess);
    expect(['softmax', 'logits']).toContain(spec.output);
    expect(spec.featureLayer.length).toBeGreaterThan(0);
    expect(spec.classifierLayer.length).toBeGreaterThan(0);
    const { zoo } = spec;
    expect(zoo.sizeMB).toBeGreaterThan(0);
    expect(zoo.top1).toBeGreaterThan(0);
    if (zoo.top5 !== null) {
      expect(zoo.top1).toBeLessThan(zoo.top5);
      expect(zoo.top5).toBeLessThanOrEqual(1);
    }
    expect(Number.isInteger(zoo.parameters)).toBe(true);
    expect(Number.isInteger(zoo.depth)).toBe(true);
  });

  it('the default model is in the registry', () => {
    expect(findModel(MODELS, DEFAULT_MODEL_ID)).toBeDefined();
  });

  it('the class index is served next to the models', () => {
    expect(IMAGENET_LABELS_URL).toBe('models/imagenet_class_index.json');
    expect(existsSync(join(MODELS_DIR, 'imagenet_class_index.json'))).toBe(true);
  });
});

describe.each(MODELS.map((m) => [m.id, m as ModelSpec] as const))('provisioned files of %s', (id, spec) => {
  const json = readModelJson(id);
  const layers = topologyLayerNames(json);

  it('has model.json and every shard it lists, with the byte sizes the manifest implies', () => {
    let onDisk = 0;
    for (const group of json.weightsManifest) {
      for (const path of group.paths) {
        const file = join(modelDir(id), path);
        expect(existsSync(file), file).toBe(true);
        onDisk += statSync(file).size;
      }
    }
    expect(onDisk).toBe(manifestBytes(json));
  });

  it('has a SHA256SUMS listing model.json, every shard and its own class list if it has one, matching the files', () => {
    const sums = new Map<string, string>();
    for (const line of readFileSync(join(modelDir(id), 'SHA256SUMS'), 'utf8').split('\n')) {
      const match = /^([0-9a-f]{64})\s+\*?(.+)$/.exec(line.trim());
      if (match) sums.set(match[2], match[1]);
    }
    const files = ['model.json', ...json.weightsManifest.flatMap((g) => g.paths), ...(spec.outputWnids ? [spec.outputWnids] : [])];
    expect([...sums.keys()].sort()).toEqual([...files].sort());
    for (const file of files) {
      expect(createHash('sha256').update(readFileSync(join(modelDir(id), file))).digest('hex'), file).toBe(sums.get(file));
    }
  });

  it('contains the feature and classifier layers, classifier after features', () => {
    expect(layers).toContain(spec.featureLayer);
    expect(layers).toContain(spec.classifierLayer);
    expect(layers.indexOf(spec.classifierLayer)).toBeGreaterThan(layers.indexOf(spec.featureLayer));
  });

  it('zoo facts agree with the files: size in MB, parameter count, depth', () => {
    const bytes = manifestBytes(json);
    expect(spec.zoo.sizeMB).toBeCloseTo(bytes / 1e6, 1);
    // Every weight is float32, so parameters ≈ bytes / 4 (MobileNet's figure is the rounded "2.6 M").
    expect(Math.abs(spec.zoo.parameters - bytes / 4) / (bytes / 4)).toBeLessThan(0.01);
    expect(spec.zoo.depth).toBe(layers.length);
  });
});

describe('getModel / findModel', () => {
  it('getModel returns the registry entry for each id', () => {
    for (const spec of MODELS) expect(getModel(spec.id)).toBe(spec);
    expect(getModel('resnet50').featureLayer).toBe('activation_48');
    expect(getModel('mobilenet_v1_0.75').classifierLayer).toBe('conv_preds');
  });

  it('getModel throws on an unknown id', () => {
    expect(() => getModel('vgg16' as never)).toThrow(/Unknown model "vgg16"/);
  });

  it('findModel finds exactly the listed ids', () => {
    expect(findModel(MODELS, 'resnet50')?.id).toBe('resnet50');
    expect(findModel(MODELS, 'mobilenet_v1_0.75')?.id).toBe('mobilenet_v1_0.75');
    for (const id of ['ResNet50', '', 'mobilenet_v1_0.75 ']) expect(findModel(MODELS, id)).toBeUndefined();
  });
});
