import type { StateCreator } from 'zustand';
import type { CamMethod } from '../cam/types';
import type { ColormapId } from '../render/colormap';
import type { BackendPreference } from '../worker/protocol';
import type { AppState } from './index';

export type HeatmapView = 'overlay' | 'side-by-side' | 'photo';

export interface Settings {
  /** Classes below this probability are greyed out (the book: "with a threshold of 0.5, Cardigan is our answer"). */
  threshold: number;
  backendPreference: BackendPreference;
  /** Threads for the WASM backend; 0: the automatic choice (worker/thread-count). */
  wasmThreads: number;
  colormap: ColormapId;
  opacity: number;
  view: HeatmapView;
  camMethod: CamMethod;
  /** Exponential moving average of live heatmaps and probabilities. */
  smoothing: boolean;
  mirror: boolean;
}

export interface SettingsSlice extends Settings {
  updateSettings(patch: Partial<Settings>): void;
}

export const DEFAULT_SETTINGS: Settings = {
  threshold: 0.5,
  backendPreference: 'auto',
  wasmThreads: 0,
  colormap: 'jet',
  opacity: 0.5,
  view: 'overlay',
  camMethod: 'cam',
  smoothing: true,
  mirror: true,
};

export const createSettingsSlice: StateCreator<AppState, [], [], SettingsSlice> = (set) => ({
  ...DEFAULT_SETTINGS,
  updateSettings: (patch) => set(patch),
});
