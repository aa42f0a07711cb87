import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ExplainedMap } from '../cam/types';
import { loadHierarchy } from '../hierarchy/load';
import { photoLibrary } from '../sources/photo-library';
import { prepareBitmap, prepareFile, type PrepareSteps } from '../sources/prepare-photo';
import { useAppStore } from '../store';
import { builtInModel } from '../test-support/model-files';
import { FAKE_CLOCK } from '../test-support/fake-worker';
import type { InferenceClient, PredictionReply } from '../worker/client';
import { IN_WORKER, PhotoQueue, PREPARE_AHEAD, PROBS_KEPT, type PhotoTools } from './photo-queue';

function bitmap(width = 300, height = 200): ImageBitmap {
  return { width, height, close: () => undefined } as ImageBitmap;
}

function file(name: string): File {
  return new File([new Uint8Array(8)], name, { type: 'image/jpeg' });
}

/** A model session whose worker answers each prediction with the number of predictions so far as its top class. */
function fakeSession() {
  const switchListeners = new Set<() => void>();
  const forgotten: string[][] = [];
  /** The photo ids in the order the model saw them. */
  const seen: string[] = [];
  /** While set, predictions wait for it (the model is busy). */
  let busy: Promise<void> | null = null;
  let inferences = 0;
  let generation = 1;
  const client = {
    predict: async (_input: ImageBitmap, options: { keepAs: string | null }): Promise<PredictionReply> => {
      seen.push(options.keepAs ?? '');
      if (busy) await busy;
      inferences++;
      const cam = { classIndex: inferences, method: 'cam', width: 7, height: 7, data: new Float32Array(49) } as ExplainedMap;
      return { type: 'prediction', id: inferences, top: [{ index: inferences, prob: 0.9 }], probs: new Float32Array(1000), cam, topCams: [], timings: { totalMs: 10 } as PredictionReply['timings'], inferences, numTensors: 42, clock: FAKE_CLOCK };
    },
    forget: (keys: string[]) => forgotten.push(keys),
  };
  const session = {
    client: client as unknown as InferenceClient,
    whenSettled: () => Promise.resolve(),
    get token() {
      return generation;
    },
    isCurrent: (token: number) => token === generation,
    onSwitch: (listener: () => void) => {
      switchListeners.add(listener);
      return () => switchListeners.delete(listener);
    },
    forget: (keys: string[]) => client.forget(keys),
  };
  return {
    session,
    forgotten,
    seen,
    /** Holds every prediction until the returned function is called. */
    hold: () => {
      let release: () => void = () => undefined;
      busy = new Promise<void>((resolve) => (release = resolve));
      return () => {
        busy = null;
        release();
      };
    },
    switchModel: () => {
      generation++;
      for (const listener of switchListeners) listener();
    },
  };
}

/** The queue's tools: the real preparation (sources/prepare-photo) on fake browser steps; `overrides` replace steps. */
function tools(overrides: Partial<PrepareSteps> = {}) {
  const revoked: string[] = [];
  const steps: PrepareSteps = {
    decode: async (f) => {
      if (f.name.startsWith('bad')) throw new Error(`${f.name} is not an image this browser can read`);
      return { bitmap: bitmap(), width: 300, height: 200, notes: [] };
    },
    thumbnail: async () => `blob:thumb-${Math.random()}`,
    toInput: async () => bitmap(224, 224),
    ...overrides,
  };
  const all: PhotoTools = {
    prepareFile: (f, size, thumbnail) => prepareFile(f, size, thumbnail, steps),
    prepareBitmap: (b, size, thumbnail) => prepareBitmap(b, size, thumbnail, [], steps),
    revoke: (url) => revoked.push(url),
  };
  return { tools: all, revoked };
}

const settled = async () => {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setTimeout(resolve, 0));
};

describe('PhotoQueue', () => {
  // The class groups are worked out when a result arrives: the hierarchy is loaded here, as the app's first photo loads it.
  beforeAll(() => loadHierarchy());

  beforeEach(() => {
    useAppStore.setState(useAppStore.getInitialState(), true);
    useAppStore.getState().modelsListed([builtInModel('mobilenet_v1_0.75')]);
    useAppStore.getState().modelLoading('mobilenet_v1_0.75');
    useAppStore.getState().modelLoaded('mobilenet_v1_0.75', { loadMs: 1, warmupMs: 1, fromCache: false });
  });

  it('classifies every photo once, keeps a bad file as an error result, and ends the batch', async () => {
    const { session } = fakeSession();
    const queue = new PhotoQueue(session, useAppStore, tools().tools);
    await queue.addFiles([file('a.jpg'), file('bad.jpg'), file('c.jpg')]);
    await settled();
    const photos = useAppStore.getState().photos;
    expect(photos.map((p) => [p.name, p.state])).toEqual([
      ['a.jpg', 'done'],
      ['bad.jpg', 'error'],
      ['c.jpg', 'done'],
    ]);
    expect(photos[1].error).toMatch(/bad\.jpg is not an image/);
    expect(new Set(photos.filter((p) => p.state === 'done').map((p) => p.top[0].index)).size).toBe(2);
    expect(useAppStore.getState().batch).toBeNull();
    expect(useAppStore.getState().inferences).toBe(2);
  });

  it('classifies again with a new model only the photos it has pixels for; errors stay errors', async () => {
    const { session, switchModel } = fakeSession();
    const queue = new PhotoQueue(session, useAppStore, tools().tools);
    await queue.addFiles([file('a.jpg'), file('bad.jpg')]);
    await settled();
    switchModel();
    await settled();
    const photos = useAppStore.getState().photos;
    expect(photos.map((p) => p.state)).toEqual(['done', 'error']);
    expect(photos[0].top[0].index).toBe(2);
  });

  it('cancel turns the photos still waiting into "Cancelled" results and keeps the finished ones', async () => {
    const { session } = fakeSession();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { tools: slow } = tools({
      decode: async (f) => {
        if (f.name !== 'a.jpg') await gate;
        return { bitmap: bitmap(), width: 300, height: 200, notes: [] };
      },
    });
    const queue = new PhotoQueue(session, useAppStore, slow);
    const adding = queue.addFiles([file('a.jpg'), file('b.jpg'), file('c.jpg')]);
    await settled();
    queue.cancelPending();
    release();
    await adding;
    await settled();
    const photos = useAppStore.getState().photos;
    expect(photos.map((p) => [p.name, p.state, p.error])).toEqual([
      ['a.jpg', 'done', null],
      ['b.jpg', 'error', 'Cancelled'],
      ['c.jpg', 'error', 'Cancelled'],
    ]);
    expect(useAppStore.getState().batch).toBeNull();
  });

  it('removing photos releases their thumbnails, pixels and the worker’s kept maps', async () => {
    const { session, forgotten } = fakeSession();
    const { tools: browser, revoked } = tools();
    const queue = new PhotoQueue(session, useAppStore, browser);
    await queue.addFiles([file('a.jpg'), file('b.jpg')]);
    await settled();
    const [a, b] = useAppStore.getState().photos;
    queue.removePhotos([a.id]);
    expect(revoked).toEqual([a.thumbnailUrl]);
    expect(forgotten).toEqual([[a.id]]);
    expect(photoLibrary.has(a.id)).toBe(false);
    expect(photoLibrary.has(b.id)).toBe(true);
    expect(useAppStore.getState().photos.map((p) => p.id)).toEqual([b.id]);
  });

  it('sends the next photo while the model is busy, prepares at most PREPARE_AHEAD more, and closes every decoded photo', async () => {
    const { session, seen, hold } = fakeSession();
    const release = hold();
    let decodes = 0;
    let open = 0;
    const { tools: counting } = tools({
      decode: async () => {
        decodes++;
        open++;
        const decoded = { width: 300, height: 200, close: () => open-- } as ImageBitmap;
        return { bitmap: decoded, width: 300, height: 200, notes: [] };
      },
    });
    const queue = new PhotoQueue(session, useAppStore, counting);
    void queue.addFiles(Array.from({ length: 20 }, (_, i) => file(`p${i}.jpg`)));
    await settled();
    // One photo is with the model and the next waits in the worker's queue, the next few are ready; the other 15 are still only files.
    expect(seen).toHaveLength(IN_WORKER);
    expect(decodes).toBe(IN_WORKER + PREPARE_AHEAD);
    expect(open).toBe(0);
    release();
    await settled();
    expect(decodes).toBe(20);
    expect(open).toBe(0);
    expect(useAppStore.getState().photos.every((p) => p.state === 'done')).toBe(true);
  });

  it('classifies in the order the photos were added, however long each takes to decode', async () => {
    const { session, seen } = fakeSession();
    const { tools: uneven } = tools({
      decode: async (f) => {
        const delay = (Number(f.name.replace(/\D/g, '')) * 7) % 5;
        for (let i = 0; i < delay; i++) await new Promise((resolve) => setTimeout(resolve, 0));
        return { bitmap: bitmap(), width: 300, height: 200, notes: [] };
      },
    });
    const queue = new PhotoQueue(session, useAppStore, uneven);
    await queue.addFiles(Array.from({ length: 12 }, (_, i) => file(`p${i}.jpg`)));
    await settled();
    const ids = useAppStore.getState().photos.map((p) => p.id);
    expect(seen).toEqual(ids);
  });

  it('pause stops new photos from starting; resume finishes the batch; the rate leaves the pause out', async () => {
    const { session, seen, hold } = fakeSession();
    const release = hold();
    const queue = new PhotoQueue(session, useAppStore, tools().tools);
    void queue.addFiles(Array.from({ length: 6 }, (_, i) => file(`p${i}.jpg`)));
    await settled();
    queue.pause();
    expect(useAppStore.getState().batch?.pausedAt).not.toBeNull();
    release();
    await settled();
    // The photos already sent to the worker finish; no other starts.
    expect(seen).toHaveLength(IN_WORKER);
    expect(useAppStore.getState().photos.map((p) => p.state)).toEqual(['done', 'done', 'pending', 'pending', 'pending', 'pending']);
    queue.resume();
    expect(useAppStore.getState().batch?.pausedAt).toBeNull();
    await settled();
    expect(seen).toHaveLength(6);
    expect(useAppStore.getState().photos.every((p) => p.state === 'done')).toBe(true);
    expect(useAppStore.getState().batch).toBeNull();
  });

  it('cancel while paused cancels everything waiting and nothing more is classified', async () => {
    const { session, seen } = fakeSession();
    const queue = new PhotoQueue(session, useAppStore, tools().tools);
    queue.pause();
    await queue.addFiles(Array.from({ length: 5 }, (_, i) => file(`p${i}.jpg`)));
    await settled();
    expect(seen).toHaveLength(0);
    queue.cancelPending();
    await settled();
    expect(seen).toHaveLength(0);
    expect(useAppStore.getState().photos.map((p) => p.error)).toEqual(Array(5).fill('Cancelled'));
    expect(useAppStore.getState().batch).toBeNull();
    // The next photos are not held by the old pause.
    await queue.addFiles([file('later.jpg')]);
    await settled();
    expect(useAppStore.getState().photos.at(-1)?.state).toBe('done');
  });

  it('clearing a paused batch leaves no pause behind', async () => {
    const { session } = fakeSession();
    const queue = new PhotoQueue(session, useAppStore, tools().tools);
    queue.pause();
    await queue.addFiles([file('a.jpg'), file('b.jpg')]);
    await settled();
    queue.removePhotos(useAppStore.getState().photos.map((p) => p.id));
    expect(useAppStore.getState().batch).toBeNull();
    await queue.addFiles([file('c.jpg')]);
    await settled();
    expect(useAppStore.getState().photos.map((p) => [p.name, p.state])).toEqual([['c.jpg', 'done']]);
  });

  it('keeps the full class vector only for the most recent photos and the one shown', async () => {
    const { session } = fakeSession();
    const queue = new PhotoQueue(session, useAppStore, tools().tools);
    await queue.addFiles(Array.from({ length: PROBS_KEPT + 10 }, (_, i) => file(`p${i}.jpg`)));
    await settled();
    const photos = useAppStore.getState().photos;
    const withProbs = photos.filter((p) => p.probs !== null).map((p) => p.id);
    // The first photo was selected when added, so it keeps its vector too.
    expect(withProbs).toEqual([photos[0].id, ...photos.slice(-(PROBS_KEPT - 1)).map((p) => p.id)]);
    expect(photos.every((p) => p.state === 'done' && p.top.length > 0)).toBe(true);
  });
});
