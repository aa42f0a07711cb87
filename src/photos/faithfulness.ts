/**
 * Runs the faithfulness check of a photo's shown class: crops the photo exactly as it was classified
 * (the model's input), hands it to the worker with the photo's kept feature map, and records progress
 * and the curves in the store. One check at a time: starting another cancels the one running.
 */
import { FAITHFULNESS_SEED, FAITHFULNESS_STEPS } from '../explain/faithfulness';
import { errorMessage } from '../errors';
import type { ModelSession } from '../inference/model-session';
import { findModel } from '../models/registry';
import { cropToInput } from '../sources/photo-decode';
import { photoLibrary } from '../sources/photo-library';
import { useAppStore } from '../store';
import type { PhotoResult } from '../store/photos';

type Store = typeof useAppStore;

export class FaithfulnessChecker {
  constructor(
    private readonly session: Pick<ModelSession, 'client'>,
    private readonly store: Store = useAppStore,
  ) {}

  async run(photo: PhotoResult): Promise<void> {
    this.cancel();
    const { cam, crop, modelId } = photo;
    const full = photoLibrary.full(photo.id);
    const spec = modelId ? findModel(this.store.getState().models, modelId) : undefined;
    if (!cam || !crop || !full || !modelId || !spec) {
      this.store.getState().notify('error', 'This photo has no heatmap to check yet; wait until it is classified');
      return;
    }
    const actions = this.store.getState();
    let runId: number | null = null;
    try {
      const input = await cropToInput(await full, crop, spec.inputSize);
      const curves = await this.session.client.faithfulness(
        input,
        { key: photo.id, classIndex: cam.classIndex, steps: FAITHFULNESS_STEPS, seed: FAITHFULNESS_SEED },
        (id) => {
          runId = id;
          actions.faithfulnessStarted({ runId: id, photoId: photo.id, classIndex: cam.classIndex, modelId });
        },
        (done, total) => runId !== null && actions.faithfulnessProgressed(runId, done, total),
      );
      if (runId !== null) actions.faithfulnessFinished(runId, curves);
    } catch (error) {
      const message = `The faithfulness check stopped: ${errorMessage(error)}`;
      if (runId !== null) actions.faithfulnessFailed(runId, message);
      else actions.notify('error', message);
    }
  }

  /** Stops the running check after its current batch (its partial curves are dropped). */
  cancel(): void {
    const run = this.store.getState().faithfulness;
    if (run?.state === 'running') this.session.client.cancelFaithfulness(run.runId);
  }
}
