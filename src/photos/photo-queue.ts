/**
 * Photo intake and the classification queue: files (picked, dropped, pasted) and paused video frames
 * are shown at once as pending results and classified one at a time, in order, by the model in use.
 * A pipeline overlaps the work: while the worker runs the model on one photo, the next one waits in
 * the worker's queue (IN_WORKER), and the next few (at most PREPARE_AHEAD) are decoded, thumbnailed and
 * cropped to the model's input by the photo worker (sources/photo-prep); the decoded photo is closed
 * there as soon as that is done, so memory does not grow with the batch (the File stays, see
 * sources/photo-library). Bad files become error results with a message. A batch can be paused,
 * resumed and cancelled.
 */
import { TOP_K } from '../models/topk';
import type { ModelSession } from '../inference/model-session';
import { errorMessage } from '../errors';
import { resultGroups } from '../hierarchy/photo-groups';
import { photoPrep } from '../sources/photo-prep';
import { photoLibrary } from '../sources/photo-library';
import type { PreparedPhoto } from '../sources/prepare-photo';
import { selectCurrentModel, useAppStore } from '../store';
import type { PhotoResult } from '../store/photos';
import { WorkerCrashedError, type PredictionReply } from '../worker/client';

type Store = typeof useAppStore;

/** What the queue needs from the outside world: sources/photo-prep (the photo worker, or the page). */
export interface PhotoTools {
  /** A file decoded, measured, thumbnailed (when asked) and cropped to the model's input `size`. */
  prepareFile(file: File, size: number, thumbnail: boolean): Promise<PreparedPhoto>;
  /** The same for a picture already decoded (a paused video frame), which stays open. */
  prepareBitmap(bitmap: ImageBitmap, size: number, thumbnail: boolean): Promise<PreparedPhoto>;
  revoke(url: string): void;
}

let photoCounter = 0;

function newResult(name: string): PhotoResult {
  return {
    id: `photo-${++photoCounter}`,
    name,
    thumbnailUrl: null,
    width: 0,
    height: 0,
    crop: null,
    state: 'pending',
    modelId: null,
    top: [],
    probs: null,
    groups: null,
    cam: null,
    error: null,
    notes: [],
  };
}

/** Photos decoded and cropped ahead of the one the model is running on: enough to keep the model busy, never the batch. */
export const PREPARE_AHEAD = 3;
/**
 * Photos sent to the worker and not answered yet: the one the model runs on, and the next waiting in the
 * worker's queue, so the model goes on at once instead of waiting for the main thread to take a result in.
 */
export const IN_WORKER = 2;
/** Photos that keep their full 1000-class vector (for the class search's captions), besides the one shown. */
export const PROBS_KEPT = 64;

type Prepared = { input: ImageBitmap } | { error: unknown };

interface InFlight {
  id: string;
  generation: number;
  prepared: Promise<Prepared>;
}

export class PhotoQueue {
  /** Photos waiting for the pipeline, in the order they are classified. */
  private waiting: string[] = [];
  /** Photos being prepared (decode → thumbnail → model input), oldest first; never more than PREPARE_AHEAD. */
  private inFlight: InFlight[] = [];
  private draining = false;
  /** Bumped by "Cancel" and by a model switch: work prepared for an older generation is dropped. */
  private generation = 0;
  private paused: { resume: () => void; resumed: Promise<void> } | null = null;
  /** Predictions sent to the worker and not yet taken in (at most IN_WORKER). */
  private readonly classifying = new Set<Promise<void>>();
  /** Photos holding their full probability vector, oldest first. */
  private withProbs: string[] = [];

  constructor(
    private readonly session: Pick<ModelSession, 'client' | 'whenSettled' | 'token' | 'isCurrent' | 'onSwitch' | 'forget'>,
    private readonly store: Store = useAppStore,
    private readonly tools: PhotoTools = photoPrep,
  ) {
    session.onSwitch(() => this.classifyAllAgain());
  }

  /**
   * Adds image files as pending results and queues them; resolves once queued. Which files are photos is
   * decided by their content before they get here (see intake/route-files).
   */
  async addFiles(images: File[]): Promise<void> {
    if (images.length === 0) return;
    const added = images.map((file) => newResult(file.name || 'pasted image'));
    added.forEach((result, i) => photoLibrary.set(result.id, { kind: 'file', file: images[i] }));
    this.store.getState().addPhotos(added);
    this.waiting.push(...added.map((result) => result.id));
    void this.drain();
  }

  /** Adds an already decoded picture (a paused video frame) as a photo and shows it; the library takes ownership. */
  async addBitmap(name: string, bitmap: ImageBitmap, notes: string[] = []): Promise<string> {
    const result = { ...newResult(name), notes };
    photoLibrary.set(result.id, { kind: 'bitmap', bitmap });
    this.store.getState().addPhotos([result]);
    this.store.getState().select(result.id);
    // The user is looking at this one: it goes before the rest of a batch.
    this.waiting.unshift(result.id);
    void this.drain();
    return result.id;
  }

  /** "Pause": the photo with the model finishes, nothing new starts until resume(). */
  pause(): void {
    if (this.paused) return;
    let resume: () => void = () => undefined;
    const resumed = new Promise<void>((resolve) => (resume = resolve));
    this.paused = { resume, resumed };
    this.store.getState().batchPaused();
  }

  resume(): void {
    const paused = this.paused;
    if (!paused) return;
    this.paused = null;
    this.store.getState().batchResumed();
    paused.resume();
  }

  /** Cancels photos still waiting or being prepared (the batch's "Cancel"); finished results stay. */
  cancelPending(): void {
    this.generation++;
    const queued = new Set([...this.waiting, ...this.inFlight.map((item) => item.id)]);
    this.waiting = [];
    this.dropInFlight();
    const ids = this.store
      .getState()
      .photos.filter((p) => p.state === 'pending' && queued.has(p.id))
      .map((p) => p.id);
    this.store.getState().pendingCancelled(ids);
    this.resume();
  }

  removePhotos(ids: string[]): void {
    const removed = new Set(ids);
    for (const photo of this.store.getState().photos) {
      if (!removed.has(photo.id)) continue;
      if (photo.thumbnailUrl) this.tools.revoke(photo.thumbnailUrl);
      photoLibrary.delete(photo.id);
    }
    this.waiting = this.waiting.filter((id) => !removed.has(id));
    this.withProbs = this.withProbs.filter((id) => !removed.has(id));
    this.session.forget(ids);
    this.store.getState().removePhotos(ids);
    // Nothing left of a paused batch: the next photos added start at once.
    if (!this.store.getState().batch) this.resume();
  }

  /** Every photo, classified again by the model now loading. */
  private classifyAllAgain() {
    this.generation++;
    this.dropInFlight();
    const ids = this.store.getState().photos.filter((photo) => photoLibrary.has(photo.id)).map((photo) => photo.id);
    this.waiting = ids;
    if (ids.length === 0) return;
    this.store.getState().photosRequeued(ids);
    void this.drain();
  }

  /** Forgets photos being prepared; their model inputs are closed when ready. */
  private dropInFlight() {
    for (const item of this.inFlight) void item.prepared.then((p) => 'input' in p && p.input.close());
    this.inFlight = [];
  }

  /** Starts preparing waiting photos until PREPARE_AHEAD are on their way. */
  private prepareAhead() {
    const spec = selectCurrentModel(this.store.getState());
    // No model in use yet: the photos wait, and are prepared when one starts loading.
    if (!spec) return;
    const size = spec.inputSize;
    while (this.inFlight.length < PREPARE_AHEAD && this.waiting.length > 0) {
      const id = this.waiting.shift() as string;
      const prepared = this.prepare(id, size).then(
        (input) => ({ input }),
        (error: unknown) => ({ error }),
      );
      this.inFlight.push({ id, generation: this.generation, prepared });
    }
  }

  private async drain() {
    if (this.draining) return;
    this.draining = true;
    try {
      for (;;) {
        await this.session.whenSettled();
        if (this.store.getState().modelState !== 'ready') return;
        if (this.paused) {
          await this.paused.resumed;
          continue;
        }
        this.prepareAhead();
        const next = this.inFlight[0];
        if (!next) return;
        const prepared = await next.prepared;
        // Cancelled or another model meanwhile: dropInFlight has closed its input.
        if (next.generation !== this.generation) continue;
        this.inFlight.shift();
        this.prepareAhead();
        if ('error' in prepared) {
          this.failed(next.id, prepared.error);
          continue;
        }
        const classified = this.classify(next.id, prepared.input).finally(() => this.classifying.delete(classified));
        this.classifying.add(classified);
        while (this.classifying.size >= IN_WORKER) await Promise.race(this.classifying);
      }
    } finally {
      this.draining = false;
    }
  }

  /** Prepares the photo (in the photo worker when it can), fills in its size, crop and thumbnail the first time, and returns the model's input. */
  private async prepare(id: string, size: number): Promise<ImageBitmap> {
    const source = photoLibrary.source(id);
    if (!source) throw new Error('This photo was removed');
    const photo = this.store.getState().photos.find((p) => p.id === id);
    const thumbnail = photo !== undefined && !photo.thumbnailUrl;
    const prepared = source.kind === 'file' ? await this.tools.prepareFile(source.file, size, thumbnail) : await this.tools.prepareBitmap(source.bitmap, size, thumbnail);
    const { width, height, crop, thumbnailUrl, notes } = prepared;
    if (thumbnailUrl) {
      if (photo && photoLibrary.has(id)) {
        this.store.getState().updatePhoto(id, { width, height, crop, thumbnailUrl, notes: [...photo.notes, ...notes] });
      } else {
        this.tools.revoke(thumbnailUrl);
      }
    }
    return prepared.input;
  }

  private failed(id: string, error: unknown) {
    if (!photoLibrary.has(id)) return;
    this.store.getState().updatePhoto(id, { state: 'error', error: errorMessage(error) });
    this.store.getState().notify('error', errorMessage(error));
    this.store.getState().photoFinished();
  }

  private async classify(id: string, input: ImageBitmap) {
    const token = this.session.token;
    if (!photoLibrary.has(id)) {
      input.close();
      return;
    }
    const { modelId, camMethod } = this.store.getState();
    let reply: PredictionReply;
    try {
      reply = await this.session.client.predict(input, { topK: TOP_K, camClass: null, method: camMethod, keepAs: id, allProbs: true });
    } catch (error) {
      if (!this.session.isCurrent(token) || error instanceof WorkerCrashedError) return;
      this.store.getState().updatePhoto(id, { state: 'error', error: errorMessage(error) });
      this.store.getState().photoFinished();
      return;
    }
    // The class groups are kept with the result (the full probabilities are not, beyond the most recent photos).
    const groups = await resultGroups(reply.probs, (message) => this.store.getState().notify('error', message));
    if (!this.session.isCurrent(token) || !photoLibrary.has(id)) return;
    this.store.getState().predictionRecorded(modelId, { totalMs: reply.timings.totalMs, inferences: reply.inferences, numTensors: reply.numTensors });
    this.store.getState().photoClassified(id, { modelId, top: reply.top, probs: reply.probs, groups, cam: reply.cam }, this.probsToDrop(id));
    this.store.getState().photoFinished();
  }

  /** Records that `id` now holds its probabilities; returns the photos beyond PROBS_KEPT that give theirs up (never the one shown). */
  private probsToDrop(id: string): string[] {
    this.withProbs = [...this.withProbs.filter((kept) => kept !== id), id];
    const selected = this.store.getState().selectedId;
    const drop: string[] = [];
    while (this.withProbs.length - drop.length > PROBS_KEPT) {
      const oldest = this.withProbs.find((kept) => kept !== selected && !drop.includes(kept));
      if (!oldest) break;
      drop.push(oldest);
    }
    this.withProbs = this.withProbs.filter((kept) => !drop.includes(kept));
    return drop;
  }
}
