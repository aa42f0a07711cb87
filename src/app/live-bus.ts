/**
 * Per-frame live results, outside React: the overlay canvas and the HUD subscribe and draw directly.
 */
import type { CropRect } from '../models/crop';
import type { ClassScore } from '../models/topk';

export interface LiveFrame {
  /** Smoothed (or raw, when smoothing is off) top-5. */
  top: ClassScore[];
  /** Normalised heatmap on the feature grid (values 0–1), smoothed like the probabilities. */
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

type Listener = (frame: LiveFrame | null, stats: LiveStats) => void;

const listeners = new Set<Listener>();
let lastFrame: LiveFrame | null = null;
let lastStats: LiveStats = { fps: 0, inferMs: 0, frames: 0, dropped: 0, presented: 0, numTensors: 0 };

export const liveBus = {
  publish(frame: LiveFrame | null, stats: LiveStats) {
    lastFrame = frame;
    lastStats = stats;
    for (const listener of listeners) listener(frame, stats);
  },
  /** Calls back at once with the latest values, then on every new frame. */
  subscribe(listener: Listener): () => void {
    listeners.add(listener);
    listener(lastFrame, lastStats);
    return () => listeners.delete(listener);
  },
  get frame(): LiveFrame | null {
    return lastFrame;
  },
  get stats(): LiveStats {
    return lastStats;
  },
};
