/**
 * Where photos are prepared for the model: in the photo worker (prepare.worker.ts) when this engine can,
 * otherwise — and for the few pictures that need the DOM (SVG) or are already decoded (paused video
 * frames) — on the page. Either way the result is the same PreparedPhoto.
 */
import { errorMessage } from '../errors';
import type { FromPhotoWorker, ToPhotoWorker } from './photo-worker-protocol';
import { BROWSER_STEPS, prepareBitmap, prepareFile, type PreparedPhoto, type PrepareSteps } from './prepare-photo';

/** The part of a Worker this uses (tests give a fake). */
export interface PhotoWorkerPort {
  postMessage(message: ToPhotoWorker, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<FromPhotoWorker>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
  terminate(): void;
}

/** How long the worker may take to say whether it can work (longer: the page does the work). */
export const PHOTO_WORKER_START_MS = 15_000;

const startPhotoWorker = (): PhotoWorkerPort => new Worker(new URL('./prepare.worker.ts', import.meta.url), { type: 'module', name: 'photos' });

/** "Do this one on the page" (an SVG, or the worker stopped). */
class OnPage extends Error {}

interface Pending {
  resolve(photo: PreparedPhoto): void;
  reject(error: Error): void;
}

export class PhotoPrep {
  private worker: PhotoWorkerPort | null = null;
  /** Resolves with whether the worker can be used; null until the first photo. */
  private started: Promise<boolean> | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  /** Why photos are prepared on the page (for the console and tests); null while the worker does it. */
  whyOnPage: string | null = null;
  private workerAnswered = false;

  constructor(
    private readonly start: () => PhotoWorkerPort = startPhotoWorker,
    private readonly startMs = PHOTO_WORKER_START_MS,
    /** The page's own way (tests give fakes). */
    private readonly pageSteps: PrepareSteps = BROWSER_STEPS,
  ) {}

  /** A file at the model's input `size`, with a thumbnail if asked. Errors are the user's messages ("… could not be decoded"). */
  async prepareFile(file: File, size: number, thumbnail: boolean): Promise<PreparedPhoto> {
    if (await this.workerUsable()) {
      try {
        return await this.inWorker(file, size, thumbnail);
      } catch (error) {
        if (!(error instanceof OnPage)) throw error;
      }
    }
    return prepareFile(file, size, thumbnail, this.pageSteps);
  }

  /** A picture already decoded (a paused video frame), on the page: it is already here, and there are few. */
  prepareBitmap(bitmap: ImageBitmap, size: number, thumbnail: boolean): Promise<PreparedPhoto> {
    return prepareBitmap(bitmap, size, thumbnail, [], this.pageSteps);
  }

  /** 'photo worker', or 'page: <why>'; null until it is known (before the first photo). */
  whereDone(): string | null {
    if (this.whyOnPage) return `page: ${this.whyOnPage}`;
    return this.workerAnswered ? 'photo worker' : null;
  }

  /** A thumbnail is no longer shown: wherever its URL was made, it is released. */
  revoke(url: string): void {
    URL.revokeObjectURL(url);
    this.worker?.postMessage({ type: 'revoke', url });
  }

  private workerUsable(): Promise<boolean> {
    this.started ??= new Promise<boolean>((resolve) => {
      let worker: PhotoWorkerPort;
      try {
        worker = this.start();
      } catch (error) {
        this.whyOnPage = `the photo worker could not start: ${errorMessage(error)}`;
        resolve(false);
        return;
      }
      const timer = setTimeout(() => this.stop(`the photo worker did not start within ${this.startMs / 1000} s`, resolve), this.startMs);
      worker.onmessage = (event) => {
        const message = event.data;
        if (message.type === 'ready') {
          clearTimeout(timer);
          if (message.problem) this.stop(`this browser cannot prepare photos in a worker (${message.problem})`, resolve);
          else {
            this.workerAnswered = true;
            resolve(true);
          }
        } else {
          this.settle(message);
        }
      };
      worker.onerror = (event) => {
        clearTimeout(timer);
        this.stop(`the photo worker stopped: ${event.message || 'unknown error'}`, resolve);
      };
      this.worker = worker;
    });
    return this.started;
  }

  /** From now on the page prepares the photos; those the worker had are done again on the page. */
  private stop(why: string, resolve: (usable: boolean) => void) {
    this.whyOnPage = why;
    console.warn(`Photos are prepared on the page: ${why}`);
    this.worker?.terminate();
    this.worker = null;
    this.started = Promise.resolve(false);
    resolve(false);
    for (const waiting of this.pending.values()) waiting.reject(new OnPage(why));
    this.pending.clear();
  }

  private inWorker(file: File, size: number, thumbnail: boolean): Promise<PreparedPhoto> {
    const worker = this.worker;
    if (!worker) return Promise.reject(new OnPage('no worker'));
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ type: 'prepare', id, file, size, thumbnail });
    });
  }

  private settle(message: Exclude<FromPhotoWorker, { type: 'ready' }>) {
    const waiting = this.pending.get(message.id);
    if (!waiting) {
      if (message.type === 'prepared') message.photo.input.close();
      return;
    }
    this.pending.delete(message.id);
    if (message.type === 'prepared') waiting.resolve(message.photo);
    else waiting.reject(message.onPage ? new OnPage(message.message) : new Error(message.message));
  }
}

/** The app's photo worker client. */
export const photoPrep = new PhotoPrep();
