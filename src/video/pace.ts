/**
 * When to hand the worker its next frame before the one it works on is finished. The worker takes
 * requests in turn, so a frame handed over early waits in its queue and starts the moment the previous
 * one ends: no gap for the page to grab, crop and send a frame after each result. Handed over too
 * early, the frame is older than it needs to be when it starts; so it goes only once the worker is
 * expected to be free before the video presents another frame. The picture is then the one the page
 * would have grabbed when the result came anyway — no staler, and the worker never waits on the page.
 *
 * The two rates are learnt as they go: how long the worker takes per frame (from one hand-over or
 * result to the next result) and how often the video presents a frame.
 */

/** Weight of the newest sample in the running averages. */
const WEIGHT = 0.3;
/** A gap between presented frames longer than this is a pause or a stall, not the video's rate. */
const MAX_FRAME_GAP_MS = 1000;

export class InferencePace {
  /** Running average of the worker's time per frame (ms); 0 until one frame has finished. */
  private serviceMs = 0;
  /** Running average of the time between presented frames (ms); 0 until two have come. */
  private frameMs = 0;
  private lastFrameAt: number | null = null;
  /** Hand-over times of the frames in flight, oldest first. */
  private readonly handovers: number[] = [];
  private lastFinishAt = -Infinity;
  /** Frames in flight at the last reset: their times belong to the old pace. */
  private unsampled = 0;

  /** The video presented a frame. */
  framePresented(now: number): void {
    if (this.lastFrameAt !== null) {
      const gap = now - this.lastFrameAt;
      if (gap > 0 && gap <= MAX_FRAME_GAP_MS) this.frameMs = average(this.frameMs, gap);
    }
    this.lastFrameAt = now;
  }

  /** A frame went to the worker. */
  handedOver(now: number): void {
    this.handovers.push(now);
  }

  /** The oldest frame in flight came back (with a result or an error). */
  finished(now: number): void {
    const handedAt = this.handovers.shift();
    if (handedAt === undefined) return;
    const sample = now - this.startOf(handedAt);
    if (this.unsampled > 0) this.unsampled--;
    else if (sample > 0) this.serviceMs = average(this.serviceMs, sample);
    this.lastFinishAt = now;
  }

  /**
   * Whether a frame handed over now should go although one is in flight: the worker is expected to
   * be free before the next frame would be presented. Never with two in flight, nor before both
   * rates are known.
   */
  handAhead(now: number): boolean {
    if (this.handovers.length !== 1 || this.serviceMs === 0 || this.frameMs === 0) return false;
    const freeIn = this.startOf(this.handovers[0]) + this.serviceMs - now;
    return freeIn < this.frameMs;
  }

  /** Forget both rates (the model or the video changed). */
  reset(): void {
    this.serviceMs = 0;
    this.frameMs = 0;
    this.lastFrameAt = null;
    this.unsampled = this.handovers.length;
  }

  /** When the worker started on a frame: on hand-over, or when the frame before it finished. */
  private startOf(handedAt: number): number {
    return Math.max(handedAt, this.lastFinishAt);
  }
}

const average = (current: number, sample: number) => (current === 0 ? sample : current * (1 - WEIGHT) + sample * WEIGHT);
