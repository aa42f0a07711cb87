/**
 * Photo intake and the classification queue: files (picked, dropped, pasted) and paused video frames
 * are decoded, shown at once as pending results, and classified one at a time by the model in use.
 * Bad files become error results with a message; everything else the user has is kept.
 */
import { centreCrop, type CropRect } from '../models/crop';
import { getModel } from '../models/registry';
import { TOP_K } from '../models/topk';
import type { ModelSession } from '../inference/model-session';
import { errorMessage } from '../errors';
import { cropToInput, decodePhoto, makeThumbnail, type DecodedPhoto } from '../sources/photo-decode';
import { photoLibrary } from '../sources/photo-library';
import { useAppStore } from '../store';
import type { PhotoResult } from '../store/photos';
import { WorkerCrashedError, type PredictionReply } from '../worker/client';

type Store = typeof useAppStore;

/** What the queue needs from the outside world; the defaults are the browser's. */
export interface PhotoTools {
  decode(file: File): Promise<DecodedPhoto>;
  thumbnail(bitmap: ImageBitmap): Promise<string>;
  toInput(bitmap: ImageBitmap, crop: CropRect, size: number): Promise<ImageBitmap>;
  revoke(url: string): void;
}

const BROWSER_TOOLS: PhotoTools = {
  decode: decodePhoto,
  thumbnail: (bitmap) => makeThumbnail(bitmap),
  toInput: cropToInput,
  revoke: (url) => URL.revokeObjectURL(url),
};

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
    cam: null,
    error: null,
    notes: [],
  };
}

export class PhotoQueue {
  private waiting: string[] = [];
  private draining = false;
  /** Bumped by "Cancel": files of older batches still waiting to be decoded are skipped. */
  private batchToken = 0;

  constructor(
    private readonly session: Pick<ModelSession, 'client' | 'whenSettled' | 'token' | 'isCurrent' | 'onSwitch' | 'forget'>,
    private readonly store: Store = useAppStore,
    private readonly tools: PhotoTools = BROWSER_TOOLS,
  ) {
    session.onSwitch(() => this.classifyAllAgain());
  }

  /** Decodes and classifies image files (which files are photos is decided by their content: see app/route-files). */
  async addFiles(images: File[]): Promise<void> {
    if (images.length === 0) return;
    const added = images.map((file) => newResult(file.name || 'pasted image'));
    this.store.getState().addPhotos(added);
    const token = this.batchToken;
    for (const [i, file] of images.entries()) {
      const id = added[i].id;
      if (token !== this.batchToken) continue;
      try {
        const decoded = await this.tools.decode(file);
        if (token !== this.batchToken) {
          decoded.bitmap.close();
          continue;
        }
        await this.accept(id, decoded.bitmap, decoded.notes);
      } catch (error) {
        this.store.getState().updatePhoto(id, { state: 'error', error: errorMessage(error) });
        this.store.getState().notify('error', errorMessage(error));
        this.store.getState().photoFinished();
      }
    }
  }

  /** Adds an already decoded picture (a paused video frame) as a photo and shows it; the library takes ownership. */
  async addBitmap(name: string, bitmap: ImageBitmap, notes: string[] = []): Promise<string> {
    const result = newResult(name);
    this.store.getState().addPhotos([result]);
    this.store.getState().select(result.id);
    await this.accept(result.id, bitmap, notes);
    return result.id;
  }

  /** Cancels photos still waiting (the batch's "Cancel"); finished results stay. */
  cancelPending(): void {
    this.batchToken++;
    const queued = new Set(this.waiting);
    this.waiting = [];
    const ids = this.store
      .getState()
      .photos.filter((p) => p.state === 'pending' && (queued.has(p.id) || !photoLibrary.get(p.id)))
      .map((p) => p.id);
    this.store.getState().pendingCancelled(ids);
  }

  removePhotos(ids: string[]): void {
    const removed = new Set(ids);
    for (const photo of this.store.getState().photos) {
      if (!removed.has(photo.id)) continue;
      if (photo.thumbnailUrl) this.tools.revoke(photo.thumbnailUrl);
      photoLibrary.delete(photo.id);
    }
    this.waiting = this.waiting.filter((id) => !removed.has(id));
    this.session.forget(ids);
    this.store.getState().removePhotos(ids);
  }

  /** Every photo, classified again by the model now loading. */
  private classifyAllAgain() {
    const ids = this.store.getState().photos.filter((photo) => photoLibrary.get(photo.id)).map((photo) => photo.id);
    if (ids.length === 0) return;
    this.store.getState().photosRequeued(ids);
    this.waiting = ids;
    void this.drain();
  }

  private async accept(id: string, bitmap: ImageBitmap, notes: string[]) {
    photoLibrary.set(id, bitmap);
    this.store.getState().updatePhoto(id, {
      width: bitmap.width,
      height: bitmap.height,
      crop: centreCrop(bitmap.width, bitmap.height),
      thumbnailUrl: await this.tools.thumbnail(bitmap),
      notes,
    });
    if (this.store.getState().photos.find((p) => p.id === id)?.state !== 'pending') return;
    this.waiting.push(id);
    void this.drain();
  }

  private async drain() {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.waiting.length > 0) {
        await this.session.whenSettled();
        if (this.store.getState().modelState !== 'ready') return;
        const id = this.waiting.shift();
        if (id) await this.classify(id);
      }
    } finally {
      this.draining = false;
    }
  }

  private async classify(id: string) {
    const token = this.session.token;
    const photo = this.store.getState().photos.find((p) => p.id === id);
    const bitmap = photoLibrary.get(id);
    if (!photo || !bitmap || !photo.crop) return;
    const { modelId, camMethod } = this.store.getState();
    let reply: PredictionReply;
    try {
      const input = await this.tools.toInput(bitmap, photo.crop, getModel(modelId).inputSize);
      reply = await this.session.client.predict(input, { topK: TOP_K, camClass: null, method: camMethod, keepAs: id, allProbs: true });
    } catch (error) {
      if (!this.session.isCurrent(token) || error instanceof WorkerCrashedError) return;
      this.store.getState().updatePhoto(id, { state: 'error', error: errorMessage(error) });
      this.store.getState().photoFinished();
      return;
    }
    if (!this.session.isCurrent(token)) return;
    this.store.getState().predictionRecorded(modelId, { totalMs: reply.timings.totalMs, inferences: reply.inferences, numTensors: reply.numTensors });
    this.store.getState().updatePhoto(id, { state: 'done', modelId, top: reply.top, probs: reply.probs, cam: reply.cam, error: null });
    this.store.getState().photoFinished();
  }
}
