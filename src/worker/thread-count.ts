/**
 * How many threads the WASM backend runs the model on. Pure (no TensorFlow.js), so the page can show
 * the choice too.
 */

/** The backend starts a pool of 8 workers; more threads than that would start new ones mid-run. */
export const MAX_WASM_THREADS = 8;

/**
 * The automatic choice: half the logical cores (the backend's own rule, right where cores have two
 * hardware threads each), at least 1, at most 8. On a 2- or 3-core computer that is one thread; see
 * README, Performance, for what two threads do there.
 */
export function wantedThreads(cores: number): number {
  const logical = Math.floor(cores) || 1;
  return Math.min(MAX_WASM_THREADS, Math.max(1, Math.floor(logical / 2)));
}

/** `choice` from Settings: 0 is automatic; anything else is kept between 1 and 8. */
export function threadCount(choice: number, cores: number): number {
  if (!Number.isFinite(choice) || choice <= 0) return wantedThreads(cores);
  return Math.min(MAX_WASM_THREADS, Math.max(1, Math.floor(choice)));
}
