import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtInModel, BUILT_IN_MODELS, MODELS_DIR, modelDir, readModelJson, TEST_CATALOG_URL, topologyLayerNames } from '../test-support/model-files';
import { readCatalog } from './catalog';
import { manifestBytes } from './load';
import { findModel, IMAGENET_LABELS_URL, type ModelSpec } from './registry';

/** The catalog `npm run models` wrote into public/models/, as the app reads it. */
const provisioned = readCatalog(JSON.parse(readFileSync(join(MODELS_DIR, 'catalog.json'), 'utf8')), TEST_CATALOG_URL);

describe('the provisioned catalog', () => {
  it('lists every built-in model, available, with no notice, and a default among them', () => {
    expect(provisioned.notices).toEqual([]);
    expect(provisioned.models.map((m) => m.id)).toEqual(BUILT_IN_MODELS.map((m) => m.id));
    for (const spec of provisioned.models) expect(spec.unavailable, spec.id).toBeUndefined();
    expect(findModel(provisioned.models, provisioned.defaultId ?? '')).toBeDefined();
  });

  it('has unique display names', () => {
    expect(new Set(provisioned.models.map((m) => m.displayName)).size).toBe(provisioned.models.length);
  });

  it.each(provisioned.models.map((m) => [m.id, m] as const))('%s: model.json next to the catalog, sensible zoo facts', (_id, spec) => {
    expect(spec.url).toBe(new URL(`${spec.id}/model.json`, TEST_CATALOG_URL).href);
    const { zoo } = spec;
    expect(zoo.sizeMB).toBeGreaterThan(0);
    expect(zoo.top1).toBeGreaterThan(0);
    if (zoo.top1 !== null && zoo.top5 !== null) expect(zoo.top1).toBeLessThan(zoo.top5);
  });

  it('the class index is served next to the models', () => {
    expect(IMAGENET_LABELS_URL).toBe('models/imagenet_class_index.json');
    expect(existsSync(join(MODELS_DIR, 'imagenet_class_index.json'))).toBe(true);
  });
});

describe.each(provisioned.models.map((m) => [m.id, m as ModelSpec] as const))('provisioned files of %s', (id, spec) => {
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
    expect(Math.abs((spec.zoo.parameters ?? 0) - bytes / 4) / (bytes / 4)).toBeLessThan(0.01);
    expect(spec.zoo.depth).toBe(layers.length);
  });
});

describe('findModel / builtInModel', () => {
  it('builtInModel gives the catalog entry for each id', () => {
    for (const spec of provisioned.models) expect(builtInModel(spec.id)).toEqual(spec);
    expect(builtInModel('resnet50').featureLayer).toBe('activation_48');
    expect(builtInModel('mobilenet_v1_0.75').classifierLayer).toBe('conv_preds');
    expect(() => builtInModel('vgg16')).toThrow(/No built-in model "vgg16"/);
  });

  it('findModel finds exactly the listed ids', () => {
    expect(findModel(provisioned.models, 'resnet50')?.id).toBe('resnet50');
    expect(findModel(provisioned.models, 'mobilenet_v1_0.75')?.id).toBe('mobilenet_v1_0.75');
    for (const id of ['ResNet50', '', 'mobilenet_v1_0.75 ']) expect(findModel(provisioned.models, id)).toBeUndefined();
  });
});
