import { afterEach, describe, expect, it, vi } from 'vitest';
import { PhotoPrep, type PhotoWorkerPort } from './photo-prep';
import type { FromPhotoWorker, ToPhotoWorker } from './photo-worker-protocol';
import type { PrepareSteps } from './prepare-photo';

const bitmap = (width: number, height: number, label: string) => ({ width, height, label, close: () => undefined }) as unknown as ImageBitmap;

/** The page's way, on fakes: every picture 300×200, its input labelled "page". */
const pageSteps: PrepareSteps = {
  decode: async () => ({ bitmap: bitmap(300, 200, 'decoded'), width: 300, height: 200, notes: [] }),
  thumbnail: async () => 'blob:page-thumb',
  toInput: async (_b, _crop, size) => bitmap(size, size, 'page'),
};

/** A photo worker that answers as told; `sent` is what the page asked of it. */
function fakeWorker() {
  const sent: ToPhotoWorker[] = [];
  let terminated = false;
  const port: PhotoWorkerPort = {
    postMessage: (message) => void sent.push(message),
    onmessage: null,
    onerror: null,
    terminate: () => void (terminated = true),
  };
  const say = (message: FromPhotoWorker) => port.onmessage?.({ data: message } as MessageEvent<FromPhotoWorker>);
  const lastId = () => (sent.filter((m) => m.type === 'prepare').at(-1) as { id: number }).id;
  return { port, sent, say, lastId, terminated: () => terminated };
}

const file = (name: string) => new File(['x'], name, { type: 'image/jpeg' });
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
const label = (b: ImageBitmap) => (b as unknown as { label: string }).label;

describe('PhotoPrep: photos prepared in the photo worker, or on the page', () => {
  afterEach(() => vi.restoreAllMocks());

  it('sends files to the worker once it is ready, and releases a thumbnail there', async () => {
    const worker = fakeWorker();
    const prep = new PhotoPrep(() => worker.port, 1000, pageSteps);
    const prepared = prep.prepareFile(file('a.jpg'), 224, true);
    await tick();
    expect(worker.sent).toEqual([]);
    worker.say({ type: 'ready', problem: null });
    await tick();
    expect(worker.sent).toMatchObject([{ type: 'prepare', size: 224, thumbnail: true }]);
    const photo = { width: 640, height: 480, crop: { x: 80, y: 30, width: 420, height: 420 }, notes: [], thumbnailUrl: 'blob:worker-thumb', input: bitmap(224, 224, 'worker') };
    worker.say({ type: 'prepared', id: worker.lastId(), photo });
    expect(await prepared).toBe(photo);
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    prep.revoke('blob:worker-thumb');
    expect(worker.sent.at(-1)).toEqual({ type: 'revoke', url: 'blob:worker-thumb' });
    expect(prep.whyOnPage).toBeNull();
  });

  it("gives the user's message for a bad file; an SVG is drawn on the page", async () => {
    const worker = fakeWorker();
    const prep = new PhotoPrep(() => worker.port, 1000, pageSteps);
    const bad = prep.prepareFile(file('bad.jpg'), 224, true);
    worker.say({ type: 'ready', problem: null });
    await tick();
    worker.say({ type: 'failed', id: worker.lastId(), message: 'bad.jpg could not be decoded: the file is damaged or incomplete.', onPage: false });
    await expect(bad).rejects.toThrow('bad.jpg could not be decoded');
    const svg = prep.prepareFile(file('logo.svg'), 224, false);
    await tick();
    worker.say({ type: 'failed', id: worker.lastId(), message: 'logo.svg is an SVG: drawn by the page', onPage: true });
    expect(label((await svg).input)).toBe('page');
  });

  it('an engine that cannot do it in a worker: the page prepares every photo', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const worker = fakeWorker();
    const prep = new PhotoPrep(() => worker.port, 1000, pageSteps);
    const first = prep.prepareFile(file('a.jpg'), 224, true);
    worker.say({ type: 'ready', problem: 'no 2d OffscreenCanvas' });
    expect(label((await first).input)).toBe('page');
    expect(label((await prep.prepareFile(file('b.jpg'), 224, true)).input)).toBe('page');
    expect(worker.sent).toEqual([]);
    expect(worker.terminated()).toBe(true);
    expect(prep.whyOnPage).toMatch(/no 2d OffscreenCanvas/);
  });

  it('a worker that never answers, or stops with photos in it: those photos and the rest are done on the page', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const silent = fakeWorker();
    const slow = new PhotoPrep(() => silent.port, 20, pageSteps);
    expect(label((await slow.prepareFile(file('a.jpg'), 224, true)).input)).toBe('page');
    expect(slow.whyOnPage).toMatch(/did not start/);

    const worker = fakeWorker();
    const prep = new PhotoPrep(() => worker.port, 1000, pageSteps);
    const photos = [prep.prepareFile(file('a.jpg'), 224, true), prep.prepareFile(file('b.jpg'), 224, true)];
    worker.say({ type: 'ready', problem: null });
    await tick();
    expect(worker.sent).toHaveLength(2);
    worker.port.onerror?.({ message: 'out of memory' } as ErrorEvent);
    expect((await Promise.all(photos)).map((p) => label(p.input))).toEqual(['page', 'page']);
    expect(prep.whyOnPage).toMatch(/stopped: out of memory/);
  });
});
