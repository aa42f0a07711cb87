/**
 * Per-frame live results, outside React: the overlay canvas, the HUD and the recorder subscribe and
 * draw directly. Output only — the live session that publishes keeps its own state and never reads
 * this back.
 */
import type { CropRect } from '../models/crop';
import type { ClassScore } from '../models/topk';

export interface LiveFrame {
  /** Smoothed (or raw, when smoothing is off) top classes. */
  top: ClassScore[];
  /** All class probabilities, smoothed like `top` (the smoother's own vector: read it from the latest frame, do not keep it). */
  probs: Float32Array;
  /** Heatmap on the feature grid, normalised to 0–1 (then smoothed like the probabilities). */
  heatmap: { data: Float32Array; width: number; height: number };
  classIndex: number;
  crop: CropRect;
  videoWidth: number;
  videoHeight: number;
  mediaTime: number;
}

export interface LiveStats {
  /** Inferences per second (moving average). */
  fps: number;
  /** Worker time for the last frame (preprocess + inference + CAM). */
  inferMs: number;
  frames: number;
  dropped: number;
  presented: number;
  numTensors: number;
}

export const NO_LIVE_STATS: LiveStats = { fps: 0, inferMs: 0, frames: 0, dropped: 0, presented: 0, numTensors: 0 };

type Listener = (frame: LiveFrame | null, stats: LiveStats) => void;

const listeners = new Set<Listener>();
let latestFrame: LiveFrame | null = null;
let latestStats: LiveStats = NO_LIVE_STATS;

export const liveBus = {
  publish(frame: LiveFrame | null, stats: LiveStats) {
    latestFrame = frame;
    latestStats = stats;
    for (const listener of listeners) listener(frame, stats);
  },
  /** Calls back at once with the latest values, then on every new frame. */
  subscribe(listener: Listener): () => void {
    listeners.add(listener);
    listener(latestFrame, latestStats);
    return () => listeners.delete(listener);
  },
  /** The latest frame, for consumers that draw at their own pace (the recorder). */
  get frame(): LiveFrame | null {
    return latestFrame;
  },
  get stats(): LiveStats {
    return latestStats;
  },
};
