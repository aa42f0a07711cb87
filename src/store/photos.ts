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
  /** The heatmap shown, for `shownClass`. */
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
  batch: { done: number; total: number } | null;
  addPhotos(photos: PhotoResult[]): void;
  updatePhoto(id: string, patch: Partial<PhotoResult>): void;
  removePhotos(ids: string[]): void;
  select(id: string | null): void;
  notify(kind: Notice['kind'], message: string): void;
  dismiss(id: number): void;
}

let noticeId = 0;

export const createPhotosSlice: StateCreator<AppState, [], [], PhotosSlice> = (set) => ({
  photos: [],
  selectedId: null,
  notices: [],
  batch: null,
  addPhotos: (added) =>
    set((state) => ({ photos: [...state.photos, ...added], selectedId: state.selectedId ?? added[0]?.id ?? null })),
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
});
