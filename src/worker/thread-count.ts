/**
 * How many threads the WASM backend runs the model on, and whether it can have more than one. Pure (no
 * TensorFlow.js), so the page can show the choice too.
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

/** "1 thread", "2 threads": how Settings and the backend's reason name a count. */
export const threadsLabel = (count: number): string => (count === 1 ? '1 thread' : `${count} threads`);

/** `choice` from Settings: 0 is automatic; anything else is kept between 1 and 8. */
export function threadCount(choice: number, cores: number): number {
  if (!Number.isFinite(choice) || choice <= 0) return wantedThreads(cores);
  return Math.min(MAX_WASM_THREADS, Math.max(1, Math.floor(choice)));
}

/**
 * Why WASM runs on one thread, or null when it can use threads: threads need both SharedArrayBuffer
 * and a cross-origin-isolated page (WebKit, for one, has no SharedArrayBuffer even when isolated).
 */
export function wasmSingleThreadReason(): string | null {
  const shared = typeof SharedArrayBuffer !== 'undefined';
  const isolated = self.crossOriginIsolated === true;
  if (shared && isolated) return null;
  if (!shared && !isolated) return 'this page is not cross-origin isolated and this browser offers no SharedArrayBuffer';
  return shared ? 'this page is not cross-origin isolated' : 'this browser offers no SharedArrayBuffer here';
}
