/**
 * Memory readings shared by the benchmark and the soak: the page's JS heap after a forced full GC, and
 * the inference worker's `tf.memory()`.
 */

/**
 * Forces a full GC through DevTools, then reads V8's used heap of the page (`Runtime.getHeapUsage`)
 * and `performance.memory.usedJSHeapSize` (which lags: it is cached between updates even with
 * --enable-precise-memory-info, so verdicts use the V8 figure). The GC runs on the main thread, so its
 * interval (page clock) is returned too, to leave it out of long-task figures.
 */
export async function heapAfterGc({ page, cdp }) {
  const from = await page.evaluate(() => performance.now());
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');
  const after = await page.evaluate(() => ({ t: performance.now(), used: performance.memory?.usedJSHeapSize ?? null }));
  return { heapAfterGc: heap.usedSize, performanceMemory: after.used, gcWindow: [from, after.t] };
}

/**
 * tf.memory() of the inference worker — the page's worker that holds TF.js's engine global
 * (`self._tfengine`; the WASM backend's thread workers do not) — or why it cannot be read.
 */
export async function workerMemory(page) {
  const read = () => {
    const engine = globalThis._tfengine;
    if (!engine) return null;
    const m = engine.memory();
    return {
      backend: engine.backendName,
      numTensors: m.numTensors,
      numDataBuffers: m.numDataBuffers,
      numBytes: m.numBytes,
      numBytesInGPU: m.numBytesInGPU ?? null,
      numBytesInGPUAllocated: m.numBytesInGPUAllocated ?? null,
      wasmHeapBytes: engine.backendName === 'wasm' ? (engine.backend?.wasm?.HEAPU8?.byteLength ?? null) : null,
      unreliable: Boolean(m.unreliable),
    };
  };
  const failures = [];
  for (const worker of page.workers()) {
    try {
      const memory = await worker.evaluate(read);
      if (memory) return memory;
    } catch (error) {
      failures.push(error.message.split('\n')[0]);
    }
  }
  return { error: `no worker with TF.js's engine among ${page.workers().length} workers${failures.length ? ` (${failures.join('; ')})` : ''}` };
}
