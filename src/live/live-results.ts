/**
 * Turns the worker's per-frame replies into what the live view shows: probabilities and heatmaps
 * smoothed over frames (when on), the heatmap of the class shown (pinned, or the top-1), the rate of
 * results, and the per-frame top classes kept for export. Holds the live session's own counters, so
 * nothing is read back from the live bus.
 */
import { blendMaps, normaliseMap } from '../cam/cam';
import type { ExplainedMap } from '../cam/types';
import type { CropRect } from '../models/crop';
import { TOP_K } from '../models/topk';
import { FrameRecords } from '../results/frame-records';
import type { ResultRow } from '../results/format';
import { ProbabilitySmoother } from '../results/smoothing';
import type { LiveFrame, LiveStats } from './live-bus';

/** Weight of the past in the moving averages when smoothing is on. */
export const SMOOTHING_KEEP = 0.6;
/** Per-frame results kept for export (about an hour at 15 fps). */
const MAX_RECORDS = 60_000;
/** Weight of the newest interval in the results-per-second average. */
const RATE_WEIGHT = 0.2;

export interface FrameReply {
  probs: Float32Array;
  /** Top classes of this frame alone (recorded as they are, unsmoothed). */
  top: { index: number; prob: number }[];
  cam: ExplainedMap;
  topCams: ExplainedMap[];
  totalMs: number;
  numTensors: number;
}

export interface FrameContext {
  crop: CropRect;
  videoWidth: number;
  videoHeight: number;
  mediaTime: number;
  /** Index of the model in the list given to `rows`. */
  model: number;
  smoothing: boolean;
  pinnedClass: number | null;
  /** When the reply arrived (ms, performance.now()). */
  now: number;
}

export class LiveResults {
  private readonly smoother = new ProbabilitySmoother(SMOOTHING_KEEP);
  private readonly records = new FrameRecords(MAX_RECORDS, TOP_K);
  private smoothedMap: Float32Array | null = null;
  private shownClass = -1;
  private fps = 0;
  private lastResultAt = 0;
  private frames = 0;
  private inferMs = 0;
  private numTensors = 0;

  /** The class the next frame's heatmap should follow, for the worker to compute (pinned, or the current top-1). */
  followedClass(pinnedClass: number | null, smoothing: boolean): number | null {
    return pinnedClass ?? (smoothing ? (this.smoother.top(1)[0]?.index ?? null) : null);
  }

  accept(reply: FrameReply, context: FrameContext): LiveFrame {
    this.smoother.keep = context.smoothing ? SMOOTHING_KEEP : 0;
    const probs = this.smoother.push(reply.probs);
    const top = this.smoother.top(TOP_K);
    // The heatmap shows the class the HUD shows: the pinned one, or the top-1 after this frame.
    const shown = context.pinnedClass ?? top[0]?.index ?? reply.cam.classIndex;
    const cam = [reply.cam, ...reply.topCams].find((c) => c.classIndex === shown) ?? reply.cam;
    if (cam.classIndex !== this.shownClass) this.smoothedMap = null;
    this.shownClass = cam.classIndex;
    this.smoothedMap = blendMaps(this.smoothedMap, normaliseMap(cam).data, context.smoothing ? SMOOTHING_KEEP : 0);
    if (this.lastResultAt > 0) {
      const instant = 1000 / Math.max(1, context.now - this.lastResultAt);
      this.fps = this.fps === 0 ? instant : this.fps * (1 - RATE_WEIGHT) + instant * RATE_WEIGHT;
    }
    this.lastResultAt = context.now;
    this.frames++;
    this.inferMs = reply.totalMs;
    this.numTensors = reply.numTensors;
    this.records.push(context.mediaTime, reply.top, context.model);
    return {
      top,
      probs,
      heatmap: { data: this.smoothedMap, width: cam.width, height: cam.height },
      classIndex: cam.classIndex,
      crop: context.crop,
      videoWidth: context.videoWidth,
      videoHeight: context.videoHeight,
      mediaTime: context.mediaTime,
    };
  }

  /** A pinned class changed: the smoothed heatmap starts afresh. */
  restartHeatmap(): void {
    this.smoothedMap = null;
  }

  stats(loop: { presented: number; dropped: number }): LiveStats {
    return { fps: this.fps, inferMs: this.inferMs, frames: this.frames, dropped: loop.dropped, presented: loop.presented, numTensors: this.numTensors };
  }

  rows(source: string, modelNames: readonly string[]): ResultRow[] {
    return this.records.toRows(source, modelNames);
  }

  /** A new source: nothing of the previous one is kept (the tensor count is the worker's and stays). */
  reset(): void {
    this.smoother.reset();
    this.records.clear();
    this.smoothedMap = null;
    this.shownClass = -1;
    this.fps = 0;
    this.lastResultAt = 0;
    this.frames = 0;
    this.inferMs = 0;
  }
}
