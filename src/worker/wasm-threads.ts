/**
 * How many threads the WASM backend's XNNPACK runs the model on — and making it really get them.
 *
 * tfjs-backend-wasm (4.22) caps the count `setThreadsCount` asks for at `navigator.hardwareConcurrency / 2`
 * (it assumes two hardware threads per core; tensorflow/tfjs#6081), so on a 2-core computer asking for two
 * threads got one. While the backend starts, `navigator` here reports twice the count asked for, so the
 * cap is the count itself; afterwards it reports the real figure again. `threadsInUse()` is what the
 * backend says it uses, not what was asked for.
 */
import { getThreadsCount, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';

/** Runs `start` (which starts the WASM backend) with XNNPACK allowed `count` threads. */
export async function startWithThreads<T>(count: number, start: () => Promise<T>): Promise<T> {
  setThreadsCount(count);
  const nav = globalThis.navigator;
  Object.defineProperty(nav, 'hardwareConcurrency', { configurable: true, get: () => count * 2 });
  try {
    return await start();
  } finally {
    // The property was defined on this navigator object only: removing it shows the prototype's real value again.
    Reflect.deleteProperty(nav, 'hardwareConcurrency');
  }
}

/** Threads the started WASM backend runs XNNPACK on (1 when it has not started). */
export function threadsInUse(): number {
  try {
    return getThreadsCount();
  } catch {
    return 1;
  }
}
