/**
 * The faithfulness check's worker loop on a tiny real TF.js model (CPU backend): every planned image is
 * run once, in batches, with progress; a cancel between batches and a model switch both stop it.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Map2D } from '../cam/cam';
import { FAITHFULNESS_STEPS, planImages } from '../explain/faithfulness';
import type { LoadedModel } from '../models/load';
import { useCpuBackend } from '../test-support/model-files';
import { randomArray } from '../test-support/random';
import { cancelFaithfulness, FAITHFULNESS_BATCH, runFaithfulness, type FaithfulnessHost } from './faithfulness-run';

const SIZE = 28;
let model: tf.Sequential;
let loaded: LoadedModel;

beforeAll(async () => {
  await useCpuBackend();
  model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [SIZE, SIZE, 3], filters: 4, kernelSize: 3, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
      tf.layers.globalAveragePooling2d({}),
      tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
    ],
  });
  loaded = {
    spec: { preprocess: 'unit', output: 'softmax' },
    model,
    probabilities: (batch: tf.Tensor4D) => model.predict(batch) as tf.Tensor2D,
    outputIndex: (i: number) => i,
  } as unknown as LoadedModel;
});

afterAll(() => model.dispose());

const heat = (seed: number): Map2D => ({ width: 7, height: 7, data: randomArray(49, seed) });
const prepare = () => ({ loaded, pixels: randomArray(SIZE * SIZE * 3, 3, 0, 255), size: SIZE, maps: { cam: heat(4), gradcam: heat(5) } });

/** A host whose queue runs tasks one after another, recording what the loop reports. */
function host(overrides: Partial<FaithfulnessHost> = {}) {
  let queue = Promise.resolve();
  const record = { counted: 0, progress: [] as [number, number][] };
  const h: FaithfulnessHost = {
    inQueue: <T>(task: () => Promise<T> | T) =>
      new Promise<T>((resolve, reject) => {
        queue = queue.then(async () => {
          try {
            resolve(await task());
          } catch (error) {
            reject(error as Error);
          }
        });
      }),
    isCurrent: () => true,
    counted: (n) => (record.counted += n),
    progress: (done, total) => record.progress.push([done, total]),
    ...overrides,
  };
  return { h, record };
}

describe('runFaithfulness', () => {
  const request = { classIndex: 1, steps: FAITHFULNESS_STEPS, seed: 9 };
  const total = planImages(FAITHFULNESS_STEPS).length;

  it('runs every planned image once, in batches, and gives six curves of steps + 1 probabilities', async () => {
    const { h, record } = host();
    const tensors = tf.memory().numTensors;
    const result = await runFaithfulness(1, request, prepare, h);
    expect(result?.curves).toHaveLength(6);
    for (const curve of result!.curves) {
      expect(curve.probs).toHaveLength(FAITHFULNESS_STEPS + 1);
      for (const p of curve.probs) expect(p).toBeGreaterThanOrEqual(0);
    }
    expect(record.counted).toBe(total);
    expect(record.progress[0]).toEqual([0, total]);
    expect(record.progress.at(-1)).toEqual([total, total]);
    expect(record.progress).toHaveLength(1 + Math.ceil(total / FAITHFULNESS_BATCH));
    // Shared end points: deletion starts where insertion ends (the crop itself).
    const deletion = result!.curves.find((c) => c.source === 'cam' && c.kind === 'deletion')!;
    const insertion = result!.curves.find((c) => c.source === 'random' && c.kind === 'insertion')!;
    expect(deletion.probs[0]).toBe(insertion.probs[FAITHFULNESS_STEPS]);
    expect(tf.memory().numTensors).toBe(tensors);
  });

  it('a cancel between batches stops it: null, and only the batches already run were counted', async () => {
    const { h, record } = host({ progress: (done) => done === FAITHFULNESS_BATCH && cancelFaithfulness(2) });
    await expect(runFaithfulness(2, request, prepare, h)).resolves.toBeNull();
    expect(record.counted).toBe(FAITHFULNESS_BATCH);
  });

  it('another model loaded meanwhile ends it with a message saying so', async () => {
    let batches = 0;
    const { h } = host({ isCurrent: () => batches++ < 2 });
    await expect(runFaithfulness(3, request, prepare, h)).rejects.toThrow(/Another model was loaded/);
  });
});
