/**
 * The frame loop: called for every frame the video presents (requestVideoFrameCallback, with a
 * requestAnimationFrame fallback), it hands a frame to `process` only when the previous one has
 * finished — one frame in flight; frames that arrive meanwhile are dropped, never queued. The video
 * keeps playing at its own rate; results arrive at inference rate.
 */

export interface FrameLoopStats {
  /** Frames the video presented while the loop ran. */
  presented: number;
  /** Frames handed to `process`. */
  processed: number;
  /** Frames skipped because one was in flight. */
  dropped: number;
}

type VideoWithFrameCallback = HTMLVideoElement & {
  requestVideoFrameCallback?: (callback: (now: number, metadata: { mediaTime: number; presentedFrames: number }) => void) => number;
  cancelVideoFrameCallback?: (handle: number) => void;
};

export class FrameLoop {
  readonly stats: FrameLoopStats = { presented: 0, processed: 0, dropped: 0 };
  private handle: number | null = null;
  private usesVideoCallback: boolean;
  private busy = false;
  private running = false;
  private lastTime = -1;
  private lastPresented = -1;

  constructor(
    private readonly video: VideoWithFrameCallback,
    /** Handles one frame; the loop waits for its promise before handing over another. */
    private readonly process: (video: HTMLVideoElement, mediaTime: number) => Promise<void>,
    /** Whether frames should be processed now (e.g. the model is ready). Frames skipped this way are not counted as dropped. */
    private readonly accepting: () => boolean = () => true,
  ) {
    this.usesVideoCallback = typeof video.requestVideoFrameCallback === 'function';
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule();
  }

  stop(): void {
    this.running = false;
    if (this.handle !== null) {
      if (this.usesVideoCallback) this.video.cancelVideoFrameCallback?.(this.handle);
      else cancelAnimationFrame(this.handle);
    }
    this.handle = null;
  }

  get isRunning(): boolean {
    return this.running;
  }

  private schedule() {
    if (!this.running) return;
    if (this.usesVideoCallback && this.video.requestVideoFrameCallback) {
      this.handle = this.video.requestVideoFrameCallback((_now, metadata) => {
        const newFrames = this.lastPresented < 0 ? 1 : Math.max(1, metadata.presentedFrames - this.lastPresented);
        this.lastPresented = metadata.presentedFrames;
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

  private onFrame(mediaTime: number, newFrames: number) {
    this.schedule();
    if (!this.accepting()) return;
    this.stats.presented += newFrames;
    if (this.busy) {
      this.stats.dropped += newFrames;
      return;
    }
    this.stats.dropped += newFrames - 1;
    this.busy = true;
    this.stats.processed++;
    this.process(this.video, mediaTime)
      .catch(() => undefined)
      .finally(() => {
        this.busy = false;
      });
  }
}
