/**
 * Fakes of a video's clock and of the display, for unit tests of the frame loop in Node: the test
 * decides when the video presents a frame, pauses or seeks, and when the display refreshes
 * (requestAnimationFrame). Callbacks run the way browsers run them: once each, at the next frame or
 * refresh; a callback registered while others run waits for the one after.
 */

/** The video element's clock, with or without requestVideoFrameCallback (Firefox < 132 has none). */
export class FakeVideo extends EventTarget {
  currentTime = 0;
  paused = true;
  /** HAVE_ENOUGH_DATA; below 2 (HAVE_CURRENT_DATA) there is no picture. */
  readyState = 4;
  /** Frames presented since the video was opened (frame callbacks' `presentedFrames`). */
  presentedFrames = 0;
  readonly requestVideoFrameCallback?: (callback: VideoFrameRequestCallback) => number;
  readonly cancelVideoFrameCallback?: (handle: number) => void;
  private readonly callbacks = new Callbacks<VideoFrameRequestCallback>();
  /** Index of the frame on screen (times are index / fps, computed once so they compare exactly). */
  private frame = 0;

  constructor(
    readonly fps: number,
    { frameCallbacks }: { frameCallbacks: boolean },
  ) {
    super();
    if (frameCallbacks) {
      this.requestVideoFrameCallback = (callback) => this.callbacks.add(callback);
      this.cancelVideoFrameCallback = (handle) => this.callbacks.cancel(handle);
    }
  }

  /** The element as the code under test takes it. */
  get element(): HTMLVideoElement {
    return this as unknown as HTMLVideoElement;
  }

  /** Frame callbacks waiting for the next frame. */
  get waitingFrameCallbacks(): number {
    return this.callbacks.size;
  }

  play(): void {
    this.paused = false;
    this.dispatchEvent(new Event('play'));
  }

  /**
   * The next frame reaches the screen (after `skipped` frames the compositor never showed): the clock
   * moves on and the frame callbacks run.
   */
  presentFrame(skipped = 0): void {
    this.frame += 1 + skipped;
    this.show(this.frame / this.fps, 1 + skipped);
  }

  /** Pauses with the clock at `at` (playback stops between two frames, not on one). */
  pause(at = this.currentTime): void {
    this.paused = true;
    this.currentTime = at;
    this.dispatchEvent(new Event('pause'));
  }

  /** Seeks (playing or paused): the frame at `time` is shown. */
  seek(time: number): void {
    this.frame = Math.floor(time * this.fps);
    this.show(time, 1);
    this.dispatchEvent(new Event('seeked'));
  }

  private show(time: number, frames: number) {
    this.currentTime = time;
    this.presentedFrames += frames;
    const metadata: VideoFrameCallbackMetadata = {
      mediaTime: time,
      presentedFrames: this.presentedFrames,
      presentationTime: time * 1000,
      expectedDisplayTime: time * 1000 + 16,
      width: 320,
      height: 240,
    };
    this.callbacks.runAll((callback) => callback(time * 1000, metadata));
  }
}

/** The display's refresh: a stand-in for the global requestAnimationFrame / cancelAnimationFrame. */
export class FakeDisplay {
  private readonly callbacks = new Callbacks<FrameRequestCallback>();
  private now = 0;

  readonly requestAnimationFrame = (callback: FrameRequestCallback): number => this.callbacks.add(callback);
  readonly cancelAnimationFrame = (handle: number): void => this.callbacks.cancel(handle);

  /** Animation frame callbacks waiting for the next refresh. */
  get waiting(): number {
    return this.callbacks.size;
  }

  /** One screen refresh (60 Hz). */
  refresh(): void {
    this.now += 1000 / 60;
    this.callbacks.runAll((callback) => callback(this.now));
  }
}

class Callbacks<T> {
  private readonly waiting = new Map<number, T>();
  private nextHandle = 1;

  get size(): number {
    return this.waiting.size;
  }

  add(callback: T): number {
    const handle = this.nextHandle++;
    this.waiting.set(handle, callback);
    return handle;
  }

  cancel(handle: number): void {
    this.waiting.delete(handle);
  }

  /** Runs the callbacks registered so far; those they register wait for the next round. */
  runAll(call: (callback: T) => void): void {
    const due = [...this.waiting.values()];
    this.waiting.clear();
    for (const callback of due) call(callback);
  }
}
