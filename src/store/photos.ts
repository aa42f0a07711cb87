import type { StateCreator } from 'zustand';
import type { ExplainedMap } from '../cam/types';
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
  probs: Float32Array | null;
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

export interface PhotosSlice {
  photos: PhotoResult[];
  selectedId: string | null;
  notices: Notice[];
  /** Progress of the photos being classified; null when none are waiting. */
  batch: { done: number; total: number } | null;
  /** Adds photos (pending) to the gallery and to the batch in progress. */
  addPhotos(photos: PhotoResult[]): void;
  updatePhoto(id: string, patch: Partial<PhotoResult>): void;
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
      batch: { done: state.batch?.done ?? 0, total: (state.batch?.total ?? 0) + added.length },
    })),
  updatePhoto: (id, patch) =>
    set((state) => ({ photos: state.photos.map((photo) => (photo.id === id ? { ...photo, ...patch } : photo)) })),
  removePhotos: (ids) =>
    set((state) => {
      const photos = state.photos.filter((photo) => !ids.includes(photo.id));
      const selectedId = state.selectedId && ids.includes(state.selectedId) ? (photos[0]?.id ?? null) : state.selectedId;
      return { photos, selectedId };
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
