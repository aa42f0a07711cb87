/**
 * The faithfulness check in the worker: builds each step's image of the deletion and insertion curves
 * (explain/faithfulness) and runs the model on them in small batches. Each batch is its own turn in the
 * worker's request queue, so a photo or a class asked for meanwhile is served between two batches, and
 * a cancel (recorded at once, outside the queue) stops the check before its next batch.
 */
import * as tf from '@tensorflow/tfjs';
import type { Map2D } from '../cam/cam';
import type { CamMethod } from '../cam/types';
import {
  assembleCurves,
  cellHeat,
  cellsAtStep,
  composeStep,
  FAITHFULNESS_CELLS,
  gaussianBlur,
  greyImage,
  heatOrder,
  INSERTION_BLUR_SIGMA,
  planImages,
  randomOrder,
  type FaithfulnessCurves,
  type OrderSource,
  type PlannedImage,
} from '../explain/faithfulness';
import type { LoadedModel } from '../models/load';
import { preprocess } from '../models/preprocess';

/** Images per forward pass: small, so a cancel or another request waits for little. */
export const FAITHFULNESS_BATCH = 4;

export interface FaithfulnessInputs {
  loaded: LoadedModel;
  /** The model's input crop, RGB 0–255, size² × 3. */
  pixels: Float32Array;
  size: number;
  /** The raw maps of the class (feature grid), one per method. */
  maps: Record<CamMethod, Map2D>;
}

export interface FaithfulnessHost {
  /** Runs a task as one turn of the worker's request queue. */
  inQueue<T>(task: () => Promise<T> | T): Promise<T>;
  /** False once another model was loaded: the check then stops with an error. */
  isCurrent(loaded: LoadedModel): boolean;
  /** Forward passes run (the worker's inference count). */
  counted(images: number): void;
  progress(done: number, total: number): void;
}

const cancelled = new Set<number>();

/**
 * Lets the worker take in the messages that arrived (a cancel, another request) before the next batch:
 * on the CPU and WASM backends a batch's results come back as already-settled promises, so without a
 * task boundary the whole check would run before any message is read.
 */
const messagesRead = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export function cancelFaithfulness(id: number): void {
  cancelled.add(id);
}

/** The class's probability for each image (one forward pass for the batch). */
async function classProbabilities(loaded: LoadedModel, images: Float32Array[], size: number, classIndex: number): Promise<Float32Array> {
  const probs = tf.tidy(() => {
    const batch = tf.concat(images.map((image) => preprocess(tf.tensor3d(image, [size, size, 3]), loaded.spec.preprocess)));
    return loaded.probabilities(batch as tf.Tensor4D).gather([loaded.outputIndex(classIndex)], 1).reshape([-1]);
  });
  try {
    return (await probs.data()) as Float32Array;
  } finally {
    probs.dispose();
  }
}

/** Resolves with the curves, or null when cancelled. */
export async function runFaithfulness(
  id: number,
  request: { classIndex: number; steps: number; seed: number },
  prepare: () => FaithfulnessInputs,
  host: FaithfulnessHost,
): Promise<FaithfulnessCurves | null> {
  try {
    const { classIndex, steps, seed } = request;
    const cells = FAITHFULNESS_CELLS;
    const inputs = await host.inQueue(prepare);
    const { loaded, pixels, size } = inputs;
    const grey = greyImage(size);
    const blurred = gaussianBlur(pixels, size, (INSERTION_BLUR_SIGMA * size) / 224);
    const orders: Record<OrderSource, Int32Array> = {
      cam: heatOrder(cellHeat(inputs.maps.cam, cells, size)),
      gradcam: heatOrder(cellHeat(inputs.maps.gradcam, cells, size)),
      random: randomOrder(cells * cells, seed),
    };
    const imageOf = ({ key, source, kind, step }: PlannedImage): Float32Array => {
      if (key === 'original') return pixels;
      if (key === 'grey') return grey;
      if (key === 'blurred') return blurred;
      const count = cellsAtStep(step, steps, cells * cells);
      return kind === 'deletion' ? composeStep(orders[source], count, cells, size, grey, pixels) : composeStep(orders[source], count, cells, size, pixels, blurred);
    };
    const planned = planImages(steps);
    const probOf = new Map<string, number>();
    host.progress(0, planned.length);
    for (let start = 0; start < planned.length; start += FAITHFULNESS_BATCH) {
      const batch = planned.slice(start, start + FAITHFULNESS_BATCH);
      await messagesRead();
      const done = await host.inQueue(async () => {
        if (cancelled.has(id)) return false;
        if (!host.isCurrent(loaded)) throw new Error('Another model was loaded during the faithfulness check; run it again');
        const probs = await classProbabilities(loaded, batch.map(imageOf), size, classIndex);
        host.counted(batch.length);
        batch.forEach((image, i) => probOf.set(image.key, probs[i]));
        return true;
      });
      if (!done) return null;
      host.progress(start + batch.length, planned.length);
    }
    return { classIndex, steps, cells, seed, curves: assembleCurves(steps, probOf) };
  } finally {
    cancelled.delete(id);
  }
}
