import { beforeEach, describe, expect, it } from 'vitest';
import type { ExplainedMap } from '../cam/types';
import { photoLibrary } from '../sources/photo-library';
import { useAppStore } from '../store';
import type { InferenceClient, PredictionReply } from '../worker/client';
import { PhotoQueue, type PhotoTools } from './photo-queue';

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
  let inferences = 0;
  let generation = 1;
  const client = {
    predict: async (): Promise<PredictionReply> => {
      inferences++;
      const cam = { classIndex: inferences, method: 'cam', width: 7, height: 7, data: new Float32Array(49) } as ExplainedMap;
      return { type: 'prediction', id: inferences, top: [{ index: inferences, prob: 0.9 }], probs: null, cam, topCams: [], timings: { totalMs: 10 } as PredictionReply['timings'], inferences, numTensors: 42 };
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
    switchModel: () => {
      generation++;
      for (const listener of switchListeners) listener();
    },
  };
}

function tools(overrides: Partial<PhotoTools> = {}) {
  const revoked: string[] = [];
  const all: PhotoTools = {
    decode: async (f) => {
      if (f.name.startsWith('bad')) throw new Error(`${f.name} is not an image this browser can read`);
      return { bitmap: bitmap(), notes: [] } as unknown as Awaited<ReturnType<PhotoTools['decode']>>;
    },
    thumbnail: async () => `blob:thumb-${Math.random()}`,
    toInput: async () => bitmap(224, 224),
    revoke: (url) => revoked.push(url),
    ...overrides,
  };
  return { tools: all, revoked };
}

const settled = async () => {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setTimeout(resolve, 0));
};

describe('PhotoQueue', () => {
  beforeEach(() => {
    useAppStore.setState(useAppStore.getInitialState(), true);
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
        return { bitmap: bitmap(), notes: [] } as unknown as Awaited<ReturnType<PhotoTools['decode']>>;
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
    expect(photoLibrary.get(a.id)).toBeUndefined();
    expect(photoLibrary.get(b.id)).toBeDefined();
    expect(useAppStore.getState().photos.map((p) => p.id)).toEqual([b.id]);
  });
});
