import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Catalog } from '../models/catalog';
import type { ClassLabel } from '../models/labels';
import { BUILT_IN_MODELS } from '../test-support/model-files';
import { MemoryStorage } from '../test-support/memory-storage';
import { WorkerCrashedError, type InferenceClient } from '../worker/client';
import type { BackendInfo } from '../worker/protocol';
import { ModelSession } from './model-session';
import { WorkerHost } from './worker-host';

vi.stubGlobal('localStorage', new MemoryStorage());
vi.stubGlobal('navigator', { onLine: true });

// The store reads localStorage when it is created, so it is imported after the stub.
let store: typeof import('../store').useAppStore;
beforeAll(async () => {
  ({ useAppStore: store } = await import('../store'));
});

const BACKEND: BackendInfo = { backend: 'wasm', reason: 'test', renderer: null, wasmThreads: 1, wasmSimd: true };
const LABELS: ClassLabel[] = [{ wnid: 'n01440764', label: 'tench' } as ClassLabel];

/** Workers as the session sees them: each one's `init` waits until the test starts or crashes it. */
function fakeWorkers() {
  const made: { start(): void; crash(): void; loads: string[] }[] = [];
  const spawn = (onCrash: (error: WorkerCrashedError) => void) => {
    let resolveInit: (info: BackendInfo) => void = () => undefined;
    let rejectInit: (error: Error) => void = () => undefined;
    const initDone = new Promise<BackendInfo>((resolve, reject) => ((resolveInit = resolve), (rejectInit = reject)));
    const loads: string[] = [];
    const client = {
      init: () => initDone,
      load: (spec: { id: string }) => {
        loads.push(spec.id);
        return Promise.resolve({ loadMs: 1, warmupMs: 1, fromCache: false });
      },
      terminate: () => undefined,
    };
    made.push({
      start: () => resolveInit(BACKEND),
      // As the real client does: pending requests are rejected, then the crash is reported (synchronously).
      crash: () => {
        const error = new WorkerCrashedError('The worker did not start within 30 s');
        rejectInit(error);
        onCrash(error);
      },
      loads,
    });
    return client as unknown as InferenceClient;
  };
  return { made, spawn };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('ModelSession start and restarts', () => {
  it('a worker that fails to start twice in a row is restarted each time and the model loads from the catalog read once', async () => {
    const { made, spawn } = fakeWorkers();
    const catalog: Catalog = { models: [...BUILT_IN_MODELS], defaultId: 'mobilenet_v1_0.75', notices: [] };
    const readCatalog = vi.fn(() => Promise.resolve(catalog));
    const session = new ModelSession(new WorkerHost(spawn), store, () => Promise.resolve(LABELS), () => 'http://localhost/', readCatalog);
    void session.start();
    await settle();
    made[0].crash();
    await settle();
    made[1].crash();
    await settle();
    expect(made).toHaveLength(3);
    made[2].start();
    await settle();
    await session.whenSettled();
    expect(store.getState().modelError).toBeNull();
    expect(store.getState().modelState).toBe('ready');
    expect(made[2].loads).toEqual(['mobilenet_v1_0.75']);
    expect(readCatalog).toHaveBeenCalledTimes(1);
  });

  it('a catalog that could not be read is read again on the next start', async () => {
    const { made, spawn } = fakeWorkers();
    const catalog: Catalog = { models: [...BUILT_IN_MODELS], notices: [] };
    const readCatalog = vi.fn().mockRejectedValueOnce(new Error('models/catalog.json could not be read (HTTP 503)')).mockResolvedValue(catalog);
    const session = new ModelSession(new WorkerHost(spawn), store, () => Promise.resolve(LABELS), () => 'http://localhost/', readCatalog);
    void session.start();
    made[0].start();
    await settle();
    expect(store.getState().modelState).toBe('error');
    expect(store.getState().modelError).toContain('HTTP 503');
    void session.start();
    made[1].start();
    await settle();
    await session.whenSettled();
    expect(store.getState().modelState).toBe('ready');
    expect(readCatalog).toHaveBeenCalledTimes(2);
  });
});
