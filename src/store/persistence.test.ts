import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryStorage } from '../test-support/memory-storage';

const storage = new MemoryStorage();
vi.stubGlobal('localStorage', storage);

// The store reads localStorage when it is created, so it is imported after the stub.
let store: typeof import('./index').useAppStore;
let KEY: string;
beforeAll(async () => {
  ({ useAppStore: store } = await import('./index'));
  ({ SETTINGS_KEY: KEY } = await import('./persistence'));
});

describe('settings persistence', () => {
  beforeEach(() => {
    store.setState(store.getInitialState(), true);
    storage.clear();
    storage.writes = 0;
  });

  it('writes nothing for state that is not a setting: download progress, photos, live state', () => {
    store.getState().updateSettings({ opacity: 0.7 });
    const writes = storage.writes;
    for (let loaded = 0; loaded < 200; loaded++) store.getState().modelProgress({ loaded, total: 200, fromCache: false });
    store.getState().liveOpening('video', 'Opening…', 'kitchen.webm');
    store.getState().recordingChanged(true);
    store.getState().notify('info', 'hello');
    expect(storage.writes).toBe(writes);
  });

  it('writes each change of a setting or of the model, once, with only those fields', () => {
    store.getState().updateSettings({ colormap: 'viridis' });
    store.getState().modelLoading('resnet50');
    const saved = JSON.parse(storage.getItem(KEY) ?? '{}') as { state: Record<string, unknown> };
    expect(saved.state).toMatchObject({ colormap: 'viridis', modelId: 'resnet50' });
    expect(Object.keys(saved.state).sort()).toEqual(
      ['backendPreference', 'camMethod', 'colormap', 'mirror', 'modelId', 'opacity', 'smoothing', 'threshold', 'view', 'wasmThreads'].sort(),
    );
    const writes = storage.writes;
    store.getState().updateSettings({ colormap: 'viridis' });
    expect(storage.writes).toBe(writes);
  });

  it('restores saved values of the right type and ignores the rest', async () => {
    storage.setItem(KEY, JSON.stringify({ state: { threshold: 0.2, opacity: 'loud', modelId: 42, view: 'photo' }, version: 2 }));
    await store.persist.rehydrate();
    const state = store.getState();
    expect(state.threshold).toBe(0.2);
    expect(state.view).toBe('photo');
    expect(state.opacity).toBe(0.5);
    // No model remembered: the catalog's default is chosen when the app starts.
    expect(state.modelId).toBe('');
  });

  it('restores any model id: whether this deployment lists it is decided when the app starts', async () => {
    storage.setItem(KEY, JSON.stringify({ state: { modelId: 'my-own-model' }, version: 2 }));
    await store.persist.rehydrate();
    expect(store.getState().modelId).toBe('my-own-model');
  });

  it('survives a storage that refuses writes (private mode, full disk)', () => {
    const refuse = vi.spyOn(storage, 'setItem').mockImplementation(() => {
      throw new DOMException('full', 'QuotaExceededError');
    });
    expect(() => store.getState().updateSettings({ threshold: 0.9 })).not.toThrow();
    expect(store.getState().threshold).toBe(0.9);
    refuse.mockRestore();
  });
});
