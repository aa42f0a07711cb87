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

export interface PaceTimers {
  now(): number;
  later(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const BROWSER_TIMERS: PaceTimers = {
  now: () => performance.now(),
  later: (callback, ms) => setTimeout(callback, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export function paced(run: () => void, intervalMs: number, timers: PaceTimers = BROWSER_TIMERS): Paced {
  let lastRun = -Infinity;
  let waiting: unknown = null;
  const fire = () => {
    waiting = null;
    lastRun = timers.now();
    run();
  };
  return {
    request() {
      if (waiting !== null) return;
      const wait = lastRun + intervalMs - timers.now();
      if (wait <= 0) fire();
      else waiting = timers.later(fire, wait);
    },
    cancel() {
      if (waiting !== null) timers.clear(waiting);
      waiting = null;
    },
  };
}
