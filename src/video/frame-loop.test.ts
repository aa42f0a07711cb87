import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeDisplay, FakeVideo } from '../test-support/fake-video';
import { FrameLoop } from './frame-loop';

const FPS = 10;

/** A stand-in for the worker behind `process`: every frame handed over waits until the test finishes or fails it. */
class SlowInference {
  readonly times: number[] = [];
  private readonly open: { resolve(): void; reject(error: Error): void }[] = [];
  private inFlight = 0;
  maxInFlight = 0;

  readonly process = (_video: HTMLVideoElement, mediaTime: number): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      this.times.push(mediaTime);
      this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight);
      this.open.push({ resolve, reject });
    });

  /** Finishes the frame in flight and lets the loop react (all pending promise callbacks run). */
  async finish(): Promise<void> {
    this.take().resolve();
    await settle();
  }

  async fail(): Promise<void> {
    this.take().reject(new Error('inference failed'));
    await settle();
  }

  private take() {
    const frame = this.open.shift();
    if (!frame) throw new Error('no frame in flight');
    this.inFlight--;
    return frame;
  }
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('FrameLoop with requestVideoFrameCallback', () => {
  let video: FakeVideo;
  let inference: SlowInference;
  let loop: FrameLoop;
  let accepting: boolean;
  /** The loop's clock (ms): still unless a test moves it, so no frame goes ahead of time. */
  let clock: number;

  beforeEach(() => {
    video = new FakeVideo(FPS, { frameCallbacks: true });
    inference = new SlowInference();
    accepting = true;
    clock = 0;
    loop = new FrameLoop(video.element, inference.process, () => accepting, () => clock);
    loop.start();
    video.play();
  });

  afterEach(() => loop.stop());

  it('keeps one frame in flight and, when it finishes, hands over the newest frame at once', async () => {
    video.presentFrame();
    expect(inference.times).toEqual([0.1]);
    for (let i = 0; i < 4; i++) video.presentFrame();
    expect(inference.times).toEqual([0.1]);
    await inference.finish();
    // No new frame callback came: the newest waiting frame (0.5) went straight away, 0.2–0.4 were dropped.
    expect(inference.times).toEqual([0.1, 0.5]);
    expect(inference.maxInFlight).toBe(1);
    expect(loop.stats).toEqual({ presented: 5, processed: 2, dropped: 3 });
    await inference.finish();
    expect(inference.times).toEqual([0.1, 0.5]);
    video.presentFrame();
    expect(inference.times).toEqual([0.1, 0.5, 0.6]);
  });

  it('counts a waiting frame as pending, not dropped, and frames the compositor skipped as dropped', () => {
    video.presentFrame();
    video.presentFrame();
    expect(loop.stats).toEqual({ presented: 2, processed: 1, dropped: 0 });
    // The page was busy: presentedFrames jumps by 4 between two callbacks.
    video.presentFrame(3);
    expect(loop.stats).toEqual({ presented: 6, processed: 1, dropped: 4 });
  });

  it('neither processes nor counts frames while not accepting (model loading)', async () => {
    accepting = false;
    video.presentFrame();
    video.presentFrame();
    expect(inference.times).toEqual([]);
    expect(loop.stats).toEqual({ presented: 0, processed: 0, dropped: 0 });
    accepting = true;
    video.presentFrame();
    expect(inference.times).toEqual([0.3]);
    expect(loop.stats).toEqual({ presented: 1, processed: 1, dropped: 0 });
  });

  it('goes on after a frame fails', async () => {
    video.presentFrame();
    video.presentFrame();
    await inference.fail();
    expect(inference.times).toEqual([0.1, 0.2]);
    await inference.fail();
    video.presentFrame();
    expect(inference.times).toEqual([0.1, 0.2, 0.3]);
  });

  it('on pause while idle, infers the picture left on screen, labelled with that frame’s time (not the playback clock)', async () => {
    video.presentFrame();
    await inference.finish();
    // The playback clock has moved on to 0.13 s; the frame on screen is still the one at 0.1 s.
    video.pause(0.13);
    expect(inference.times).toEqual([0.1, 0.1]);
    await inference.finish();
    expect(inference.times).toEqual([0.1, 0.1]);
    // The second pass over the same frame is neither a new processed frame nor hides a dropped one.
    expect(loop.stats).toEqual({ presented: 1, processed: 1, dropped: 0 });
  });

  it('on pause while busy, infers the paused picture once the frame in flight finishes, and nothing after it', async () => {
    video.presentFrame();
    video.presentFrame();
    video.presentFrame();
    const shown = video.currentTime;
    video.pause(0.34);
    expect(inference.times).toEqual([0.1]);
    await inference.finish();
    expect(inference.times).toEqual([0.1, shown]);
    await inference.finish();
    expect(inference.times).toHaveLength(2);
    // 0.2 was dropped; 0.3, waiting when the video paused, was processed.
    expect(loop.stats).toEqual({ presented: 3, processed: 2, dropped: 1 });
  });

  it('infers the frame a paused video seeks to', async () => {
    video.presentFrame();
    await inference.finish();
    video.pause();
    await inference.finish();
    video.seek(2.5);
    expect(inference.times.at(-1)).toBe(2.5);
  });

  /** Frames every 100 ms (the video's 10 fps), the clock moving with them. */
  const presentAt = (ms: number) => {
    clock = ms;
    video.presentFrame();
  };

  it('hands the next frame over while one is in flight once the worker is due to be free before another frame comes', async () => {
    presentAt(0);
    presentAt(100);
    clock = 150;
    await inference.finish(); // 150 ms a frame; frame 2 (0.2) went at once at 150
    expect(inference.times).toEqual([0.1, 0.2]);
    presentAt(200); // the worker is due free at 300: another frame comes first
    expect(inference.times).toEqual([0.1, 0.2]);
    presentAt(300 - 1); // due free in 1 ms: hand this one over now, it waits in the worker
    expect(inference.times).toEqual([0.1, 0.2, 0.4]);
    expect(inference.maxInFlight).toBe(2);
    presentAt(310); // never a third in flight
    expect(inference.times).toEqual([0.1, 0.2, 0.4]);
    clock = 320;
    await inference.finish();
    // The frame handed ahead is with the worker now, due at 470; the newest waits.
    expect(inference.times).toEqual([0.1, 0.2, 0.4]);
    expect(loop.stats).toEqual({ presented: 5, processed: 3, dropped: 1 });
    presentAt(400);
    expect(inference.times).toEqual([0.1, 0.2, 0.4, 0.6]);
    expect(inference.maxInFlight).toBe(2);
  });

  it('hands over no frame ahead while the rates are unknown, or after a model change', async () => {
    presentAt(0);
    presentAt(100);
    presentAt(190);
    expect(inference.times).toEqual([0.1]);
    clock = 200;
    await inference.finish();
    expect(inference.times).toEqual([0.1, 0.3]);
    accepting = false; // a model loads
    presentAt(300);
    accepting = true;
    clock = 310;
    await inference.finish();
    presentAt(400);
    expect(inference.times).toEqual([0.1, 0.3, 0.5]);
    presentAt(599);
    expect(inference.times).toEqual([0.1, 0.3, 0.5]);
    expect(inference.maxInFlight).toBe(1);
  });

  it('again() infers the paused picture after what is in flight (a class pinned while paused)', async () => {
    presentAt(0);
    clock = 50;
    await inference.finish();
    video.pause();
    await inference.finish();
    expect(inference.times).toEqual([0.1, 0.1]);
    loop.again();
    expect(inference.times).toEqual([0.1, 0.1, 0.1]);
    loop.again();
    expect(inference.times).toEqual([0.1, 0.1, 0.1]);
    await inference.finish();
    expect(inference.times).toEqual([0.1, 0.1, 0.1, 0.1]);
    expect(loop.stats).toEqual({ presented: 1, processed: 1, dropped: 0 });
  });

  it('registers one frame callback however often it is started', () => {
    loop.start();
    loop.start();
    expect(video.waitingFrameCallbacks).toBe(1);
    video.presentFrame();
    expect(video.waitingFrameCallbacks).toBe(1);
  });

  it('stop() cancels the frame callback; nothing is processed or counted after it, not even a waiting frame', async () => {
    video.presentFrame();
    video.presentFrame();
    loop.stop();
    expect(video.waitingFrameCallbacks).toBe(0);
    const stats = loop.stats;
    video.presentFrame();
    video.pause();
    video.seek(1);
    await inference.finish();
    expect(inference.times).toEqual([0.1]);
    expect(loop.stats).toEqual(stats);
  });
});

describe('FrameLoop without requestVideoFrameCallback (animation frames)', () => {
  let video: FakeVideo;
  let display: FakeDisplay;
  let inference: SlowInference;
  let loop: FrameLoop;

  beforeEach(() => {
    display = new FakeDisplay();
    vi.stubGlobal('requestAnimationFrame', display.requestAnimationFrame);
    vi.stubGlobal('cancelAnimationFrame', display.cancelAnimationFrame);
    video = new FakeVideo(FPS, { frameCallbacks: false });
    inference = new SlowInference();
    loop = new FrameLoop(video.element, inference.process, () => true, () => 0);
    loop.start();
    video.play();
  });

  afterEach(() => {
    loop.stop();
    vi.unstubAllGlobals();
  });

  it('processes the picture shown at the first refresh, then a frame only when the clock has moved', async () => {
    display.refresh();
    expect(inference.times).toEqual([0]);
    await inference.finish();
    display.refresh();
    display.refresh();
    expect(inference.times).toEqual([0]);
    video.presentFrame();
    display.refresh();
    expect(inference.times).toEqual([0, 0.1]);
    await inference.finish();
    display.refresh();
    expect(inference.times).toEqual([0, 0.1]);
    expect(display.waiting).toBe(1);
  });

  it('skips refreshes while the video has no picture (readyState < 2)', () => {
    video.readyState = 1;
    display.refresh();
    video.presentFrame();
    display.refresh();
    expect(inference.times).toEqual([]);
    video.readyState = 4;
    video.presentFrame();
    display.refresh();
    expect(inference.times).toEqual([0.2]);
  });

  it('keeps one frame in flight and hands over the newest when it finishes', async () => {
    for (let i = 0; i < 4; i++) {
      video.presentFrame();
      display.refresh();
    }
    expect(inference.times).toEqual([0.1]);
    await inference.finish();
    expect(inference.times).toEqual([0.1, 0.4]);
    expect(inference.maxInFlight).toBe(1);
    expect(loop.stats).toEqual({ presented: 4, processed: 2, dropped: 2 });
  });

  it('stop() cancels the animation frame; nothing runs after it', async () => {
    video.presentFrame();
    display.refresh();
    video.presentFrame();
    display.refresh();
    loop.stop();
    expect(display.waiting).toBe(0);
    video.presentFrame();
    display.refresh();
    video.pause();
    await inference.finish();
    expect(inference.times).toEqual([0.1]);
  });
});
