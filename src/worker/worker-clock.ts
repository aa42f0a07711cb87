/**
 * The worker's own clock: how long it had nothing to do (waiting for the next request from the main
 * thread) and how long each stage of its predictions took, cumulative since it started. A request is
 * busy from when its turn starts until it has been answered.
 */
import type { PredictTimings, WorkerClock } from './protocol';

export class WorkerClockKeeper {
  private idleMs = 0;
  private idleSince: number | null;
  private busy = 0;
  private predictions = 0;
  private preprocessMs = 0;
  private inferMs = 0;
  private camMs = 0;

  constructor(private readonly now: () => number = () => performance.now()) {
    this.idleSince = now();
  }

  /** A request's turn starts. */
  started(): void {
    if (this.busy++ === 0 && this.idleSince !== null) {
      this.idleMs += this.now() - this.idleSince;
      this.idleSince = null;
    }
  }

  /** A request's turn ends. */
  ended(): void {
    if (--this.busy === 0) this.idleSince = this.now();
  }

  predicted(timings: PredictTimings): void {
    this.predictions++;
    this.preprocessMs += timings.preprocessMs;
    this.inferMs += timings.inferMs;
    this.camMs += timings.camMs;
  }

  read(): WorkerClock {
    const atMs = this.now();
    const idleMs = this.idleMs + (this.idleSince === null ? 0 : atMs - this.idleSince);
    return { atMs, idleMs, predictions: this.predictions, preprocessMs: this.preprocessMs, inferMs: this.inferMs, camMs: this.camMs };
  }
}
