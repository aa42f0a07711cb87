import type { StateCreator } from 'zustand';
import type { ExplainedMap } from '../cam/types';
import type { PhotoGroup } from '../hierarchy/groups';
import type { CropRect } from '../models/crop';
import type { ClassScore } from '../models/topk';
import type { AppState } from './index';

export type ResultState = 'pending' | 'done' | 'error';

/** One photo and what the model said about it. Pixels live outside the store (see sources/photo-library). */
export interface PhotoResult {
  id: string;
  name: string;
  /** Small preview, an object URL. */
  thumbnailUrl: string | null;
  width: number;
  height: number;
  crop: CropRect | null;
  state: ResultState;
  /** Model the predictions came from. */
  modelId: string | null;
  top: ClassScore[];
  /** All class probabilities: kept only for the most recently classified photos and the one shown (see PhotoQueue). */
  probs: Float32Array | null;
  /** The class groups (WordNet) shown for the photo, computed when its result arrives (null: none could be computed). */
  groups: PhotoGroup[] | null;
  /** The heatmap on screen: its class and method are in the map itself. */
  cam: ExplainedMap | null;
  error: string | null;
  /** Things worth telling about the input (e.g. "animated GIF: first frame used"). */
  notes: string[];
}

export interface Notice {
  id: number;
  kind: 'error' | 'info';
  message: string;
}

/** Progress of a batch; times are performance.now() milliseconds. */
export interface BatchProgress {
  done: number;
  total: number;
  startedAt: number;
  /** When "Pause" was pressed; null while running. */
  pausedAt: number | null;
  /** Time spent paused before `pausedAt`, left out of the rate. */
  pausedMs: number;
}

/** Finished photos per second and the seconds left at that rate (null until one is done). */
export function batchRate(batch: BatchProgress, now: number): { perSecond: number; secondsLeft: number } | null {
  const runningMs = (batch.pausedAt ?? now) - batch.startedAt - batch.pausedMs;
  if (batch.done === 0 || runningMs <= 0) return null;
  const perSecond = (batch.done * 1000) / runningMs;
  return { perSecond, secondsLeft: (batch.total - batch.done) / perSecond };
}

export interface PhotosSlice {
  photos: PhotoResult[];
  selectedId: string | null;
  notices: Notice[];
  /** Progress of the photos being classified; null when none are waiting. */
  batch: BatchProgress | null;
  /** Adds photos (pending) to the gallery and to the batch in progress. */
  addPhotos(photos: PhotoResult[]): void;
  updatePhoto(id: string, patch: Partial<PhotoResult>): void;
  /** A photo was classified; `dropProbs` lose their full class vector (only the most recent keep it). */
  photoClassified(id: string, result: Pick<PhotoResult, 'modelId' | 'top' | 'probs' | 'groups' | 'cam'>, dropProbs: string[]): void;
  batchPaused(): void;
  batchResumed(): void;
  removePhotos(ids: string[]): void;
  select(id: string | null): void;
  notify(kind: Notice['kind'], message: string): void;
  dismiss(id: number): void;
  /** One photo of the batch is finished (classified or failed). */
  photoFinished(): void;
  /** "Cancel": photos still waiting become errors saying so; finished ones stay. */
  pendingCancelled(ids: string[]): void;
  /** Photos to classify again (another model): pending, without a batch (their old results stay until replaced). */
  photosRequeued(ids: string[]): void;
}

let noticeId = 0;

export const createPhotosSlice: StateCreator<AppState, [], [], PhotosSlice> = (set) => ({
  photos: [],
  selectedId: null,
  notices: [],
  batch: null,
  addPhotos: (added) =>
    set((state) => ({
      photos: [...state.photos, ...added],
      selectedId: state.selectedId ?? added[0]?.id ?? null,
      batch: state.batch
        ? { ...state.batch, total: state.batch.total + added.length }
        : { done: 0, total: added.length, startedAt: performance.now(), pausedAt: null, pausedMs: 0 },
    })),
  updatePhoto: (id, patch) =>
    set((state) => ({ photos: state.photos.map((photo) => (photo.id === id ? { ...photo, ...patch } : photo)) })),
  photoClassified: (id, result, dropProbs) =>
    set((state) => {
      const drop = new Set(dropProbs);
      return {
        photos: state.photos.map((photo) => {
          if (photo.id === id) return { ...photo, ...result, state: 'done' as const, error: null };
          return drop.has(photo.id) && photo.probs ? { ...photo, probs: null } : photo;
        }),
      };
    }),
  batchPaused: () => set((state) => (state.batch && state.batch.pausedAt === null ? { batch: { ...state.batch, pausedAt: performance.now() } } : {})),
  batchResumed: () =>
    set((state) => {
      if (!state.batch || state.batch.pausedAt === null) return {};
      return { batch: { ...state.batch, pausedAt: null, pausedMs: state.batch.pausedMs + performance.now() - state.batch.pausedAt } };
    }),
  removePhotos: (ids) =>
    set((state) => {
      const removed = new Set(ids);
      const photos = state.photos.filter((photo) => !removed.has(photo.id));
      const selectedId = state.selectedId && removed.has(state.selectedId) ? (photos[0]?.id ?? null) : state.selectedId;
      // Photos removed before they were finished leave the batch too.
      const unfinished = state.photos.filter((photo) => removed.has(photo.id) && photo.state === 'pending').length;
      const total = (state.batch?.total ?? 0) - unfinished;
      const batch = state.batch && state.batch.done < total ? { ...state.batch, total } : null;
      return { photos, selectedId, batch };
    }),
  select: (selectedId) => set({ selectedId }),
  notify: (kind, message) =>
    set((state) => ({ notices: [...state.notices.slice(-4), { id: ++noticeId, kind, message }] })),
  dismiss: (id) => set((state) => ({ notices: state.notices.filter((notice) => notice.id !== id) })),
  photoFinished: () =>
    set((state) => {
      if (!state.batch) return {};
      const done = state.batch.done + 1;
      return { batch: done >= state.batch.total ? null : { ...state.batch, done } };
    }),
  pendingCancelled: (ids) =>
    set((state) => {
      const cancelled = new Set(ids);
      return {
        photos: state.photos.map((photo) => (cancelled.has(photo.id) ? { ...photo, state: 'error' as const, error: 'Cancelled' } : photo)),
        batch: null,
      };
    }),
  photosRequeued: (ids) =>
    set((state) => {
      const again = new Set(ids);
      return { photos: state.photos.map((photo) => (again.has(photo.id) ? { ...photo, state: 'pending' as const, error: null } : photo)) };
    }),
});
