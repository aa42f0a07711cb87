/**
 * Wires sources → worker → store for photos: model loading, the classification queue, explaining a
 * class. Plain TypeScript (no React) so the UI and tests drive the same code.
 */
import type { CamMethod } from '../cam/types';
import { centreCrop } from '../models/crop';
import { decodeClassIndex } from '../models/labels';
import { getModel, IMAGENET_LABELS_URL, type ModelId } from '../models/registry';
import { cropToInput, decodePhoto, makeThumbnail } from '../sources/photo-decode';
import { photoLibrary } from '../sources/photo-library';
import { useAppStore } from '../store';
import type { PhotoResult } from '../store/photos';
import { InferenceClient, WorkerCrashedError, type PredictionReply } from '../worker/client';

const TOP_K = 5;
const store = useAppStore;

let client: InferenceClient | null = null;
/** Bumped on every model switch: work for an older model is dropped. */
let generation = 0;
let modelReady: Promise<void> = Promise.resolve();
let queue: string[] = [];
let draining = false;
let photoCounter = 0;
/** Bumped by “Cancel”: files of older batches still waiting to be decoded are skipped. */
let batchToken = 0;

function absolute(url: string): string {
  return new URL(url, document.baseURI).href;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function loadLabels() {
  if (store.getState().labels.length > 0) return;
  const response = await fetch(IMAGENET_LABELS_URL);
  if (!response.ok) throw new Error(`ImageNet labels could not be loaded (HTTP ${response.status}); run \`npm run models\``);
  store.setState({ labels: decodeClassIndex(await response.json()) });
}

function requireClient(): InferenceClient {
  if (!client) throw new Error('The engine has not started');
  return client;
}

/** Starts (or restarts) the worker, its backend and the current model; resumes pending photos. */
export async function startEngine(): Promise<void> {
  client?.terminate();
  const started = new InferenceClient(onWorkerCrash);
  client = started;
  store.setState({ modelState: 'loading', modelError: null, backend: null });
  try {
    const [backend] = await Promise.all([started.init(store.getState().backendPreference), loadLabels()]);
    store.setState({ backend });
  } catch (error) {
    // A worker that crashed while starting has already been replaced by a new one.
    if (client !== started) return;
    store.setState({ modelState: 'error', modelError: message(error) });
    return;
  }
  await switchModel(store.getState().modelId, { rerun: true });
}

const crashTimes: number[] = [];

/** Restarts the worker after a crash or a lost GPU context, unless it keeps crashing. */
function onWorkerCrash(error: WorkerCrashedError) {
  const now = Date.now();
  crashTimes.push(now);
  while (crashTimes.length > 0 && now - crashTimes[0] > 60_000) crashTimes.shift();
  if (crashTimes.length > 3) {
    store.setState({ modelState: 'error', modelError: `${error.message}. It failed repeatedly, so it was not restarted; reload the page to try again.` });
    return;
  }
  store.getState().notify('error', `${error.message}. The model was restarted; your photos are kept and the current source goes on.`);
  void startEngine();
}

/** Loads a model; with `rerun`, every photo is classified again with it. */
export function switchModel(modelId: ModelId, { rerun }: { rerun: boolean }): Promise<void> {
  const token = ++generation;
  const spec = getModel(modelId);
  store.setState({ modelId, modelState: 'loading', loadProgress: null, modelError: null });
  modelReady = requireClient()
    .load(modelId, absolute(spec.url), true, (progress) => {
      if (token === generation) store.setState({ loadProgress: progress });
    })
    .then((reply) => {
      if (token !== generation) return;
      const previous = store.getState().latency[modelId];
      store.setState((state) => ({
        modelState: 'ready',
        latency: {
          ...state.latency,
          [modelId]: { loadMs: reply.loadMs, warmupMs: reply.warmupMs, fromCache: reply.fromCache, steadyMs: previous?.steadyMs ?? null, samples: previous?.samples ?? [] },
        },
      }));
    })
    .catch((error: unknown) => {
      if (token !== generation) return;
      if (error instanceof WorkerCrashedError) return;
      const offline = !navigator.onLine;
      store.setState({
        modelState: 'error',
        modelError: offline
          ? `${spec.displayName} is not on this device yet and you are offline: connect once to download it (${spec.zoo.sizeMB} MB); after that it works offline.`
          : `${spec.displayName} could not be loaded: ${message(error)}`,
      });
    });
  if (rerun) {
    const ids = store.getState().photos.map((photo) => photo.id);
    for (const id of ids) store.getState().updatePhoto(id, { state: 'pending', error: null });
    queue = ids;
    void drain();
  }
  return modelReady;
}

function newResult(name: string): PhotoResult {
  return {
    id: `photo-${++photoCounter}`,
    name,
    thumbnailUrl: null,
    width: 0,
    height: 0,
    crop: null,
    state: 'pending',
    modelId: null,
    top: [],
    probs: null,
    cam: null,
    error: null,
    notes: [],
  };
}

function startBatch(count: number) {
  store.setState((state) => ({ batch: { done: state.batch?.done ?? 0, total: (state.batch?.total ?? 0) + count } }));
}

async function accept(id: string, bitmap: ImageBitmap, notes: string[]) {
  photoLibrary.set(id, bitmap);
  store.getState().updatePhoto(id, {
    width: bitmap.width,
    height: bitmap.height,
    crop: centreCrop(bitmap.width, bitmap.height),
    thumbnailUrl: await makeThumbnail(bitmap),
    notes,
  });
  if (store.getState().photos.find((p) => p.id === id)?.state !== 'pending') return;
  queue.push(id);
  void drain();
}

/** Decodes and classifies files; bad files become error results with a message, others are kept. */
export async function addFiles(files: File[]): Promise<void> {
  const images = files.filter((file) => !file.type.startsWith('video/'));
  if (images.length === 0) return;
  const added = images.map((file) => newResult(file.name || 'pasted image'));
  store.getState().addPhotos(added);
  startBatch(added.length);
  const token = batchToken;
  for (const [i, file] of images.entries()) {
    const id = added[i].id;
    if (token !== batchToken) {
      store.getState().updatePhoto(id, { state: 'error', error: 'Cancelled' });
      continue;
    }
    try {
      const decoded = await decodePhoto(file);
      if (token !== batchToken) {
        decoded.bitmap.close();
        store.getState().updatePhoto(id, { state: 'error', error: 'Cancelled' });
        continue;
      }
      await accept(id, decoded.bitmap, decoded.notes);
    } catch (error) {
      store.getState().updatePhoto(id, { state: 'error', error: message(error) });
      store.getState().notify('error', message(error));
      finishOne();
    }
  }
}

/** Adds an already decoded picture (a paused video frame) as a photo; the library takes ownership of it. */
export async function addBitmap(name: string, bitmap: ImageBitmap, notes: string[] = []): Promise<string> {
  const result = newResult(name);
  store.getState().addPhotos([result]);
  store.getState().select(result.id);
  startBatch(1);
  await accept(result.id, bitmap, notes);
  return result.id;
}

function finishOne() {
  store.setState((state) => {
    if (!state.batch) return {};
    const done = state.batch.done + 1;
    return { batch: done >= state.batch.total ? null : { ...state.batch, done } };
  });
}

/** Cancels photos still waiting (the batch's "Cancel"); finished results stay. */
export function cancelPending(): void {
  batchToken++;
  const waiting = new Set(queue);
  queue = [];
  const ids = store.getState().photos.filter((p) => p.state === 'pending' && (waiting.has(p.id) || !photoLibrary.get(p.id))).map((p) => p.id);
  for (const id of ids) store.getState().updatePhoto(id, { state: 'error', error: 'Cancelled' });
  store.setState({ batch: null });
}

async function drain() {
  if (draining) return;
  draining = true;
  try {
    while (queue.length > 0) {
      await modelReady;
      if (store.getState().modelState !== 'ready') return;
      const id = queue.shift();
      if (id) await classify(id);
    }
  } finally {
    draining = false;
  }
}

async function classify(id: string) {
  const token = generation;
  const photo = store.getState().photos.find((p) => p.id === id);
  const bitmap = photoLibrary.get(id);
  if (!photo || !bitmap || !photo.crop) return;
  const { modelId, camMethod } = store.getState();
  const spec = getModel(modelId);
  let reply: PredictionReply;
  try {
    const input = await cropToInput(bitmap, photo.crop, spec.inputSize);
    reply = await requireClient().predict(input, { topK: TOP_K, camClass: null, method: camMethod, keepAs: id, allProbs: true });
  } catch (error) {
    if (token !== generation || error instanceof WorkerCrashedError) return;
    store.getState().updatePhoto(id, { state: 'error', error: message(error) });
    finishOne();
    return;
  }
  if (token !== generation) return;
  recordLatency(modelId, reply);
  store.getState().updatePhoto(id, { state: 'done', modelId, top: reply.top, probs: reply.probs, cam: reply.cam, error: null });
  finishOne();
}

function recordLatency(modelId: ModelId, reply: PredictionReply) {
  store.setState((state) => {
    const current = state.latency[modelId];
    const samples = [...(current?.samples ?? []), reply.timings.totalMs].slice(-20);
    return {
      inferences: reply.inferences,
      numTensors: reply.numTensors,
      latency: current ? { ...state.latency, [modelId]: { ...current, samples, steadyMs: median(samples) } } : state.latency,
    };
  });
}

/** Shows another class's heatmap for a photo: recomputed from the kept feature map, no new inference. */
export async function explainClass(id: string, classIndex: number, method: CamMethod = store.getState().camMethod): Promise<void> {
  try {
    const cam = await requireClient().explain(id, classIndex, method);
    store.getState().updatePhoto(id, { cam });
  } catch (error) {
    store.getState().notify('error', message(error));
    // Keep the method selector truthful: it shows the method of the map on screen.
    const shown = store.getState().photos.find((p) => p.id === id)?.cam?.method;
    if (shown && shown !== method) store.getState().updateSettings({ camMethod: shown });
  }
}

export function removePhotos(ids: string[]): void {
  for (const id of ids) {
    const photo = store.getState().photos.find((p) => p.id === id);
    if (photo?.thumbnailUrl) URL.revokeObjectURL(photo.thumbnailUrl);
    photoLibrary.delete(id);
  }
  queue = queue.filter((id) => !ids.includes(id));
  client?.forget(ids);
  store.getState().removePhotos(ids);
}

/** The bridge for the benchmark page. */
export function inferenceClient(): InferenceClient {
  return requireClient();
}
