import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { diskIOHandler, modelDir, useCpuBackend } from '../../test-support/model-files';
import type { ImportArtifacts } from './model-files';
import { buildFromMemory } from './store-model';

/** The Tiny Darknet files as the import hands them to the worker, with its topology changed by `edit`. */
async function darknetArtifacts(edit: (layers: { class_name: string; config: Record<string, unknown> }[]) => void = () => undefined): Promise<ImportArtifacts> {
  const artifacts = (await diskIOHandler(modelDir('darknet_tiny')).load!()) as ImportArtifacts;
  const topology = structuredClone(artifacts.modelTopology) as { model_config: { config: { layers: { class_name: string; config: Record<string, unknown> }[] } } };
  edit(topology.model_config.config.layers);
  return { ...artifacts, modelTopology: topology };
}

describe('buildFromMemory', () => {
  beforeAll(useCpuBackend);

  it('builds the model from the files in memory', async () => {
    const before = tf.memory().numTensors;
    const model = (await buildFromMemory(await darknetArtifacts())) as tf.LayersModel;
    try {
      expect(model.layers).toHaveLength(52);
      expect(model.outputs[0].shape).toEqual([null, 1000]);
      const logits = tf.tidy(() => (model.predict(tf.ones([1, 224, 224, 3]).mul(0.5)) as tf.Tensor).dataSync());
      expect(logits.every(Number.isFinite)).toBe(true);
      expect(Math.max(...logits) - Math.min(...logits)).toBeGreaterThan(1);
    } finally {
      model.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('says when the weights do not fit the layers', async () => {
    const artifacts = await darknetArtifacts((layers) => (layers.find((l) => l.class_name === 'Conv2D')!.config.filters = 32));
    const before = tf.memory().numTensors;
    await expect(buildFromMemory(artifacts)).rejects.toThrow(/^the weights do not fit the model's layers/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('says when a layer is unknown to TF.js', async () => {
    const artifacts = await darknetArtifacts((layers) => (layers.find((l) => l.class_name === 'LeakyReLU')!.class_name = 'Mish'));
    await expect(buildFromMemory(artifacts)).rejects.toThrow(/^it uses a layer TF.js does not know \(Unknown layer: Mish/);
  });
});
