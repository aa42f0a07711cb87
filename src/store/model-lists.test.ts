import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ModelSpec } from '../models/registry';
import { BUILT_IN_MODELS } from '../test-support/model-files';
import { MemoryStorage } from '../test-support/memory-storage';

vi.stubGlobal('localStorage', new MemoryStorage());

// The store reads localStorage when it is created, so it is imported after the stub.
let store: typeof import('./index').useAppStore;
beforeAll(async () => {
  ({ useAppStore: store } = await import('./index'));
});

const mine: ModelSpec = { ...BUILT_IN_MODELS[2], id: 'user-mine-1', displayName: 'Mine', url: 'indexeddb://whats-in-the-picture/user/user-mine-1' };

describe("the deployment's and the user's models", () => {
  beforeEach(() => store.setState(store.getInitialState(), true));

  it('compose in either order: the deployment list read after the user models keeps them, and the reverse', () => {
    store.getState().userModelsListed([mine]);
    expect(store.getState().models.map((m) => m.id)).toEqual([mine.id]);
    store.getState().modelsListed([BUILT_IN_MODELS[0]]);
    expect(store.getState().models.map((m) => m.id)).toEqual([BUILT_IN_MODELS[0].id, mine.id]);
    store.getState().userModelsListed([]);
    expect(store.getState().models.map((m) => m.id)).toEqual([BUILT_IN_MODELS[0].id]);
    expect(store.getState().deploymentModels).toEqual([BUILT_IN_MODELS[0]]);
  });

  it("a deployment list passed back with the user's models in it leaves them the user's (removing one removes it)", () => {
    store.getState().userModelsListed([mine]);
    store.getState().modelsListed([...BUILT_IN_MODELS, mine]);
    expect(store.getState().deploymentModels).toEqual(BUILT_IN_MODELS);
    store.getState().userModelsListed([]);
    expect(store.getState().models.map((m) => m.id)).toEqual(BUILT_IN_MODELS.map((m) => m.id));
  });
});
