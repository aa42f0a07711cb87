/**
 * The worker's one-slot mailbox for live frames. The main thread sends the next frame while the model
 * runs on the current one, so the model never waits for a round trip; a frame still waiting when a
 * newer one comes is given up (`superseded`: its bitmap closed, never processed late). One turn is
 * queued per filled slot, and that turn takes whatever frame is newest by then.
 */
export interface LiveFrameRequest {
  id: number;
  frame: { close(): void };
}

export class LiveMailbox<T extends LiveFrameRequest> {
  private waiting: T | null = null;

  constructor(
    /** Queues a turn behind the requests already waiting. */
    private readonly enqueue: (turn: () => Promise<void>) => void,
    /** Runs a frame (its turn has come). */
    private readonly run: (request: T) => Promise<void>,
    /** Tells the sender a frame was given up. */
    private readonly superseded: (request: T) => void,
  ) {}

  offer(request: T): void {
    const older = this.waiting;
    this.waiting = request;
    if (older) {
      older.frame.close();
      this.superseded(older);
      return;
    }
    this.enqueue(async () => {
      const next = this.waiting;
      this.waiting = null;
      if (next) await this.run(next);
    });
  }

}
