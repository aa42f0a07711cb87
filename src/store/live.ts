import type { StateCreator } from 'zustand';
import type { CameraInfo } from '../sources/webcam';
import type { AppState } from './index';

export type LiveKind = 'webcam' | 'video';

/** Where a live source is; each non-live state has a message telling the user what to do. */
export type LiveStatus = 'idle' | 'requesting' | 'live' | 'paused' | 'denied' | 'no-camera' | 'busy' | 'disconnected' | 'unsupported' | 'error';

/** Slow-changing live state only; per-frame results go through the live bus, never React state. */
export interface LiveSlice {
  liveKind: LiveKind | null;
  liveStatus: LiveStatus;
  liveMessage: string | null;
  cameras: CameraInfo[];
  cameraId: string | null;
  /** Front camera: mirrored by default. */
  facesUser: boolean;
  videoName: string | null;
  recording: boolean;
  render: { done: number; total: number; startedAt: number } | null;
  /** Class pinned by the user for the live heatmap; null = follow the top-1. */
  pinnedClass: number | null;
}

export const createLiveSlice: StateCreator<AppState, [], [], LiveSlice> = () => ({
  liveKind: null,
  liveStatus: 'idle',
  liveMessage: null,
  cameras: [],
  cameraId: null,
  facesUser: false,
  videoName: null,
  recording: false,
  render: null,
  pinnedClass: null,
});
