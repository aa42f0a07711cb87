/**
 * The frame loop: called for every frame the video presents (requestVideoFrameCallback, with a
 * requestAnimationFrame fallback), it hands a frame to `process` when the worker is free — or, at
 * most one frame ahead, when the worker will be free before the next frame comes (see `InferencePace`):
 * so the model runs back to back and never waits for the page to grab the next picture. Frames that
 * arrive meanwhile are dropped, never queued: when the worker frees up, the newest frame goes next at
 * once (no waiting for the next frame callback), so the model always works on the latest picture. The
 * video keeps playing at its own rate; results arrive at inference rate.
 */
import { InferencePace } from './pace';

export interface FrameLoopStats {
  /** Frames the video presented while the loop ran. */
  presented: number;
  /** Distinct frames handed to `process` (inferring the paused picture again does not count twice). */
  processed: number;
  /** Frames skipped because one was in flight. */
  dropped: number;
}

type VideoWithFrameCallback = HTMLVideoElement & {
  requestVideoFrameCallback?: (callback: (now: number, metadata: { mediaTime: number; presentedFrames: number }) => void) => number;
  cancelVideoFrameCallback?: (handle: number) => void;
};

export class FrameLoop {
  private presented = 0;
  private processed = 0;
  private handle: number | null = null;
  private usesVideoCallback: boolean;
  /** Frames handed to `process` and not yet finished (at most two: one working, one waiting in the worker). */
  private inFlight = 0;
  private readonly pace = new InferencePace();
  /** A frame arrived while busy; it (or a newer one) is processed as soon as the worker is free. */
  private newerWaiting = false;
  private latestTime = 0;
  private running = false;
  private lastTime = -1;
  private lastPresented = -1;
  /** Media time of the frame last handed to `process`. */
  private lastRunTime: number | null = null;
  /** Media time of the frame on screen, from the last frame callback (null without requestVideoFrameCallback). */
  private shownTime: number | null = null;

  constructor(
    private readonly video: VideoWithFrameCallback,
    /** Handles one frame; the loop waits for its promise before handing over another. */
    private readonly process: (video: HTMLVideoElement, mediaTime: number) => Promise<void>,
    /** Whether frames should be processed now (e.g. the model is ready). Frames skipped this way are not counted as dropped. */
    private readonly accepting: () => boolean = () => true,
    /** The clock the pace is measured with (ms). */
    private readonly now: () => number = () => performance.now(),
  ) {
    this.usesVideoCallback = typeof video.requestVideoFrameCallback === 'function';
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.video.addEventListener('pause', this.onPause);
    this.schedule();
  }

  stop(): void {
    this.running = false;
    this.video.removeEventListener('pause', this.onPause);
    if (this.handle !== null) {
      if (this.usesVideoCallback) this.video.cancelVideoFrameCallback?.(this.handle);
      else cancelAnimationFrame(this.handle);
    }
    this.handle = null;
  }

  get stats(): FrameLoopStats {
    const pending = this.newerWaiting ? 1 : 0;
    return { presented: this.presented, processed: this.processed, dropped: Math.max(0, this.presented - this.processed - pending) };
  }

  private schedule() {
    if (!this.running) return;
    if (this.usesVideoCallback && this.video.requestVideoFrameCallback) {
      this.handle = this.video.requestVideoFrameCallback((_now, metadata) => {
        const newFrames = this.lastPresented < 0 ? 1 : Math.max(1, metadata.presentedFrames - this.lastPresented);
        this.lastPresented = metadata.presentedFrames;
        this.shownTime = metadata.mediaTime;
        this.onFrame(metadata.mediaTime, newFrames);
      });
    } else {
      this.handle = requestAnimationFrame(() => {
        const time = this.video.currentTime;
        const changed = time !== this.lastTime && this.video.readyState >= 2;
        this.lastTime = time;
        if (changed) this.onFrame(time, 1);
        else this.schedule();
      });
    }
  }

  /**
   * Infers the picture on screen again, after what is in flight: on pause (its frame callback may have
   * come before the one in flight finished), or when what is asked of a paused picture changed (a class
   * pinned). The picture is the last frame presented: `currentTime` is the playback clock, which on a
   * busy machine (or at the end) can be frames away from it.
   */
  again(): void {
    if (!this.running || !this.accepting()) return;
    this.latestTime = this.shownTime ?? this.video.currentTime;
    if (this.inFlight > 0) this.newerWaiting = true;
    else this.run(this.latestTime);
  }

  private readonly onPause = () => this.again();

  private onFrame(mediaTime: number, newFrames: number) {
    this.schedule();
    if (!this.accepting()) {
      // A model loading: the worker's pace will be another one's.
      this.pace.reset();
      return;
    }
    this.presented += newFrames;
    this.latestTime = mediaTime;
    this.pace.framePresented(this.now());
    this.newerWaiting = true;
    this.runIfDue();
  }

  /** Hands over the newest frame waiting if the worker is free, or due to be before the next frame. */
  private runIfDue() {
    if (!this.newerWaiting || !this.running || !this.accepting()) return;
    if (this.inFlight === 0 || this.pace.handAhead(this.now())) this.run(this.latestTime);
  }

  private run(mediaTime: number) {
    this.inFlight++;
    this.newerWaiting = false;
    this.pace.handedOver(this.now());
    // On pause the picture on screen may be the frame just processed: a second pass over it is not a new frame.
    if (mediaTime !== this.lastRunTime) this.processed++;
    this.lastRunTime = mediaTime;
    this.process(this.video, mediaTime)
      .catch(() => undefined)
      .finally(() => {
        this.inFlight--;
        this.pace.finished(this.now());
        this.runIfDue();
      });
  }
}
