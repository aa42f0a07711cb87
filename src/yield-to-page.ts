/**
 * Long jobs on the main thread (a folder of thousands of files, an export) run in slices and give the
 * page its turn between them, so no task blocks input or rendering for long.
 */

/** How long one slice may run before it yields (ms): well under the 50 ms of a "long task". */
export const SLICE_MS = 8;

interface Scheduler {
  yield(): Promise<void>;
}

/** Lets the page handle input and paint, then continues (`scheduler.yield` where there is one: it keeps our place in the queue). */
export function yieldToPage(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: Partial<Scheduler> }).scheduler;
  if (typeof scheduler?.yield === 'function') return scheduler.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** A clock for slicing a loop: `due()` is true once SLICE_MS have passed since the last yield. */
export function sliceClock(now: () => number = () => performance.now()) {
  let start = now();
  return {
    due: () => now() - start >= SLICE_MS,
    async yield(): Promise<void> {
      await yieldToPage();
      start = now();
    },
  };
}
