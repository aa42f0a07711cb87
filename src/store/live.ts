import type { StateCreator } from 'zustand';
import type { RecorderReport, RendererReport } from '../live/media-probe';
import type { CameraInfo } from '../sources/webcam';
import type { AppState } from './index';

export type LiveKind = 'webcam' | 'video';

/** Where a live source is; each state but 'idle', 'requesting' and 'live' comes with a message telling the user what to do. */
export type LiveStatus = 'idle' | 'requesting' | 'live' | 'denied' | 'no-camera' | 'busy' | 'disconnected' | 'unsupported' | 'error';
export type LiveFailure = Exclude<LiveStatus, 'idle' | 'requesting' | 'live'>;

export interface RenderProgress {
  done: number;
  total: number;
  startedAt: number;
}

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
  render: RenderProgress | null;
  /** Class pinned by the user for the live heatmap; null = follow the top-1. */
  pinnedClass: number | null;
  /** What Record and render mode can make in this browser, and why not when they cannot (null until checked). */
  recordSupport: RecorderReport | null;
  renderSupport: RendererReport | null;
  /** A live source is being opened (camera permission asked, video file loading). */
  liveOpening(kind: LiveKind, message: string, videoName?: string): void;
  /** Frames are flowing; for the webcam, which camera it is and which others there are. */
  liveStarted(camera?: { cameras: CameraInfo[]; cameraId: string; facesUser: boolean }): void;
  liveFailed(kind: LiveKind, status: LiveFailure, message: string, extra?: { cameras?: CameraInfo[]; videoName?: string }): void;
  liveClosed(): void;
  classPinned(classIndex: number | null): void;
  recordingChanged(recording: boolean): void;
  renderStarted(startedAt: number): void;
  renderProgressed(done: number, total: number): void;
  renderFinished(): void;
  mediaSupportFound(found: { record?: RecorderReport; render?: RendererReport }): void;
}

export const createLiveSlice: StateCreator<AppState, [], [], LiveSlice> = (set) => ({
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
  recordSupport: null,
  renderSupport: null,
  liveOpening: (liveKind, liveMessage, videoName) =>
    set({ liveKind, liveStatus: 'requesting', liveMessage, videoName: videoName ?? null, pinnedClass: null }),
  liveStarted: (camera) => set({ liveStatus: 'live', liveMessage: null, ...(camera ?? { facesUser: false }) }),
  liveFailed: (liveKind, liveStatus, liveMessage, extra) => set({ liveKind, liveStatus, liveMessage, ...extra }),
  liveClosed: () => set({ liveKind: null, liveStatus: 'idle', liveMessage: null, videoName: null, pinnedClass: null }),
  classPinned: (pinnedClass) => set({ pinnedClass }),
  recordingChanged: (recording) => set({ recording }),
  renderStarted: (startedAt) => set({ render: { done: 0, total: 0, startedAt } }),
  renderProgressed: (done, total) => set((state) => ({ render: state.render ? { ...state.render, done, total } : null })),
  renderFinished: () => set({ render: null }),
  mediaSupportFound: ({ record, render }) =>
    set((state) => ({ recordSupport: record ?? state.recordSupport, renderSupport: render ?? state.renderSupport })),
});
