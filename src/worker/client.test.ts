import { beforeEach, describe, expect, it } from 'vitest';
import type { ExplainedMap } from '../cam/types';
import { FAKE_CLOCK, FakeWorker } from '../test-support/fake-worker';
import { InferenceClient, WorkerCrashedError, type PredictOptions } from './client';
import type { BackendInfo, WorkerResponse } from './protocol';
import { builtInModel } from '../test-support/model-files';

const OPTIONS: PredictOptions = { topK: 5, camClass: null, method: 'cam', keepAs: 'photo-1', allProbs: true };
const INFO: BackendInfo = { backend: 'wasm', reason: 'WebGL is software-rendered', renderer: 'SwiftShader', wasmThreads: 2, wasmSimd: true };

/** A stand-in for the ImageBitmap a caller hands over (Node has none). */
function frame(name: string): ImageBitmap {
  return { name, width: 224, height: 224, close: () => undefined } as unknown as ImageBitmap;
}

function map(classIndex: number): ExplainedMap {
  return { classIndex, method: 'cam', width: 7, height: 7, data: new Float32Array(49).fill(classIndex) };
}

function prediction(id: number, classIndex: number): Extract<WorkerResponse, { type: 'prediction' }> {
  return {
    type: 'prediction',
    id,
    top: [{ index: classIndex, prob: 0.9 }],
    probs: null,
    cam: map(classIndex),
    topCams: [],
    timings: { preprocessMs: 1, inferMs: 2, camMs: 3, totalMs: 6 },
    inferences: id,
    numTensors: 100,
    clock: { ...FAKE_CLOCK, predictions: id },
  };
}

/** Which of `promises` have settled so far, and how (after pending callbacks ran). */
async function outcomes(promises: Promise<unknown>[]): Promise<string[]> {
  const seen = promises.map(() => 'pending');
  promises.forEach((p, i) =>
    p.then(
      () => (seen[i] = 'resolved'),
      (error: Error) => (seen[i] = `${error.name}: ${error.message}`),
    ),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return seen;
}

describe('InferenceClient', () => {
  let worker: FakeWorker;
  let crashes: WorkerCrashedError[];
  let client: InferenceClient;

  beforeEach(() => {
    worker = new FakeWorker();
    crashes = [];
    client = new InferenceClient((error) => crashes.push(error), () => worker);
  });

  it('init resolves with the backend the worker reports; an init error rejects it', async () => {
    const started = client.init('auto', 2);
    expect(worker.request('init')).toEqual({ type: 'init', backend: 'auto', threads: 2 });
    worker.reply({ type: 'backend', info: INFO });
    await expect(started).resolves.toEqual(INFO);

    const again = client.init('webgl');
    worker.reply({ type: 'error', id: null, phase: 'init', message: 'WebGL is not available' });
    await expect(again).rejects.toThrow('WebGL is not available');
  });

  it('matches each reply to its request by id, in whatever order the replies come', async () => {
    const first = client.predict(frame('a'), OPTIONS);
    const second = client.predict(frame('b'), { ...OPTIONS, camClass: 7, camForTop: true });
    const [a, b] = worker.posted.map((p) => p.message);
    if (a.type !== 'predict' || b.type !== 'predict') throw new Error('expected two predict requests');
    expect(a.id).not.toBe(b.id);
    expect(a).toMatchObject({ ...OPTIONS, camForTop: false });
    expect(b).toMatchObject({ camClass: 7, camForTop: true });

    worker.reply(prediction(b.id, 222));
    expect(await outcomes([first, second])).toEqual(['pending', 'resolved']);
    worker.reply(prediction(a.id, 111));
    expect((await first).top[0].index).toBe(111);
    expect((await second).top[0].index).toBe(222);
  });

  it('the clock is the latest prediction’s', async () => {
    expect(client.clock).toBeNull();
    const first = client.predict(frame('a'), OPTIONS);
    const second = client.predict(frame('b'), OPTIONS);
    const [a, b] = worker.posted.map((p) => p.message as { id: number });
    worker.reply(prediction(a.id, 4));
    worker.reply(prediction(b.id, 5));
    expect((await first).top[0].index).toBe(4);
    expect((await second).top[0].index).toBe(5);
    expect(client.clock).toEqual({ ...FAKE_CLOCK, predictions: b.id });
  });

  it('transfers the frame of predict and bench, and nothing else', () => {
    const predicted = frame('predicted');
    const benched = frame('benched');
    void client.predict(predicted, OPTIONS);
    void client.bench(benched, 10);
    void client.explain('photo-1', 3, 'gradcam');
    void client.load(builtInModel('mobilenet_v1_0.75'), '/models/m/model.json', true, ['n01440764']);
    expect(worker.posted.map((p) => [p.message.type, p.transfer])).toEqual([
      ['predict', [predicted]],
      ['bench', [benched]],
      ['explain', []],
      ['load', []],
    ]);
    expect(worker.request('predict').frame).toBe(predicted);
    expect(worker.request('load').classWnids).toEqual(['n01440764']);
  });

  it('explain resolves with the map; bench with its timings', async () => {
    const explained = client.explain('photo-1', 3, 'gradcam');
    const benched = client.bench(frame('f'), 2);
    const explain = worker.request('explain');
    expect(explain).toMatchObject({ key: 'photo-1', classIndex: 3, method: 'gradcam' });
    worker.reply({ type: 'bench-result', id: worker.request('bench').id, bareMs: [1, 2], fullMs: [3, 4] });
    worker.reply({ type: 'explanation', id: explain.id, cam: map(3) });
    await expect(explained).resolves.toEqual(map(3));
    await expect(benched).resolves.toMatchObject({ bareMs: [1, 2], fullMs: [3, 4] });
  });

  it('reports download progress to the load it belongs to, then resolves it', async () => {
    const progressA: number[] = [];
    const progressB: number[] = [];
    const loadA = client.load(builtInModel('mobilenet_v1_0.75'), '/a/model.json', true, [], (p) => progressA.push(p.loaded));
    const idA = worker.request('load').id;
    const loadB = client.load(builtInModel('resnet50'), '/b/model.json', false, [], (p) => progressB.push(p.loaded));
    const idB = worker.request('load').id;
    worker.reply({ type: 'progress', id: idA, loaded: 10, total: 100, fromCache: false });
    worker.reply({ type: 'progress', id: idB, loaded: 5, total: 50, fromCache: true });
    worker.reply({ type: 'progress', id: idA, loaded: 100, total: 100, fromCache: false });
    worker.reply({ type: 'loaded', id: idA, modelId: 'mobilenet_v1_0.75', loadMs: 5, warmupMs: 6, fromCache: false });
    // Progress after the reply (or for an unknown id) goes nowhere.
    worker.reply({ type: 'progress', id: idA, loaded: 999, total: 100, fromCache: false });
    await expect(loadA).resolves.toMatchObject({ modelId: 'mobilenet_v1_0.75', loadMs: 5 });
    expect(progressA).toEqual([10, 100]);
    expect(progressB).toEqual([5]);
    expect(await outcomes([loadB])).toEqual(['pending']);
  });

  it('an error reply rejects only its own request; the others still get their replies', async () => {
    const failing = client.explain('gone', 1, 'cam');
    const failingId = worker.request('explain').id;
    const fine = client.predict(frame('a'), OPTIONS);
    worker.reply({ type: 'error', id: failingId, phase: 'explain', message: 'No features kept under "gone"' });
    expect(await outcomes([failing, fine])).toEqual(['Error: No features kept under "gone"', 'pending']);
    worker.reply(prediction(worker.request('predict').id, 5));
    await expect(fine).resolves.toMatchObject({ top: [{ index: 5, prob: 0.9 }] });
    expect(crashes).toEqual([]);
    expect(worker.terminated).toBe(false);
  });

  describe('when the worker dies', () => {
    let calls: Promise<unknown>[];

    beforeEach(() => {
      calls = [client.init('auto'), client.predict(frame('a'), OPTIONS), client.load(builtInModel('resnet50'), '/r/model.json', true, []), client.explain('k', 1, 'cam')];
    });

    async function expectCrashed(message: string) {
      expect(await outcomes(calls)).toEqual(calls.map(() => `WorkerCrashedError: ${message}`));
      expect(crashes.map((e) => e.message)).toEqual([message]);
      expect(crashes[0]).toBeInstanceOf(WorkerCrashedError);
      expect(worker.terminated).toBe(true);
      // Later calls fail at once instead of waiting for a reply that will never come.
      const later = [client.predict(frame('b'), OPTIONS), client.explain('k', 2, 'cam'), client.bench(frame('c'), 1), client.init('auto')];
      expect(await outcomes(later)).toEqual(later.map(() => 'WorkerCrashedError: The inference worker is not running'));
    }

    it('a fatal message rejects every pending call with WorkerCrashedError and reports the crash once', async () => {
      worker.reply({ type: 'fatal', message: 'The WebGL context was lost' });
      await expectCrashed('The WebGL context was lost');
      worker.reply({ type: 'fatal', message: 'again' });
      expect(crashes).toHaveLength(1);
    });

    it('an uncaught error in the worker does the same, and is kept from the console', async () => {
      expect(worker.throwUncaught('RangeError: Array buffer allocation failed')).toBe(true);
      await expectCrashed('The inference worker stopped: RangeError: Array buffer allocation failed');
    });

    it('an unreadable message does the same', async () => {
      worker.sendUnreadable();
      await expectCrashed('The inference worker sent an unreadable message');
    });
  });

  it('terminate() stops the worker and rejects what is pending, without reporting a crash', async () => {
    const pending = [client.init('auto'), client.predict(frame('a'), OPTIONS)];
    client.terminate();
    expect(worker.terminated).toBe(true);
    expect(await outcomes(pending)).toEqual(pending.map(() => 'WorkerCrashedError: The inference worker was stopped'));
    expect(crashes).toEqual([]);
    await expect(client.explain('k', 1, 'cam')).rejects.toBeInstanceOf(WorkerCrashedError);
  });

  it('forget posts the keys, and nothing when there are none; injectFault posts the fault', () => {
    client.forget([]);
    client.forget(['photo-1', 'photo-2']);
    client.injectFault('crash');
    expect(worker.posted.map((p) => p.message)).toEqual([
      { type: 'forget', keys: ['photo-1', 'photo-2'] },
      { type: 'fault', fault: 'crash' },
    ]);
  });
  it('faithfulness: transfers the frame, reports its steps, resolves with the curves; a cancel goes out at once with the run id', async () => {
    const runIds: number[] = [];
    const steps: [number, number][] = [];
    const input = frame('crop');
    const checked = client.faithfulness(input, { key: 'photo-1', classIndex: 264, steps: 16, seed: 7 }, (id) => runIds.push(id), (done, total) => steps.push([done, total]));
    const request = worker.request('faithfulness');
    expect(request).toMatchObject({ key: 'photo-1', classIndex: 264, steps: 16, seed: 7, id: runIds[0] });
    expect(worker.posted.at(-1)?.transfer).toEqual([input]);
    client.cancelFaithfulness(runIds[0]);
    expect(worker.request('faithfulness-cancel')).toEqual({ type: 'faithfulness-cancel', id: runIds[0] });
    worker.reply({ type: 'faithfulness-step', id: request.id, done: 4, total: 93 });
    worker.reply({ type: 'faithfulness-step', id: request.id + 1, done: 8, total: 93 });
    expect(steps).toEqual([[4, 93]]);
    const curves = { classIndex: 264, steps: 16, cells: 28, seed: 7, curves: [] };
    worker.reply({ type: 'faithfulness-result', id: request.id, curves });
    await expect(checked).resolves.toEqual(curves);
  });

  it('faithfulness: a cancelled run resolves with null; a crash rejects it', async () => {
    const cancelled = client.faithfulness(frame('a'), { key: 'p', classIndex: 1, steps: 16, seed: 1 }, () => undefined, () => undefined);
    worker.reply({ type: 'faithfulness-result', id: worker.request('faithfulness').id, curves: null });
    await expect(cancelled).resolves.toBeNull();
    const crashed = client.faithfulness(frame('b'), { key: 'p', classIndex: 1, steps: 16, seed: 1 }, () => undefined, () => undefined);
    worker.throwUncaught('out of memory');
    await expect(crashed).rejects.toBeInstanceOf(WorkerCrashedError);
  });
});
