/**
 * Runs `run` at most once per `intervalMs`, and always ends on the latest request: the first request runs
 * at once; requests inside the interval are folded into one run when it ends. For what a person reads
 * (figures that would flicker at the live frame rate), not for what a frame needs.
 */
export interface Paced {
  request(): void;
  /** Drops a run waiting for the interval to end. */
  cancel(): void;
}

export function paced(run: () => void, intervalMs: number): Paced {
  let lastRun = -Infinity;
  let waiting: ReturnType<typeof setTimeout> | null = null;
  const fire = () => {
    waiting = null;
    lastRun = performance.now();
    run();
  };
  return {
    request() {
      if (waiting !== null) return;
      const wait = lastRun + intervalMs - performance.now();
      if (wait <= 0) fire();
      else waiting = setTimeout(fire, wait);
    },
    cancel() {
      if (waiting !== null) clearTimeout(waiting);
      waiting = null;
    },
  };
}
