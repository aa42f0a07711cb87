/**
 * The typed bridge to the inference worker, for the main thread. Imports only types from the worker
 * side, so TF.js stays out of the main bundle. Each call returns a promise for its own reply.
 */
import type { ClassMix } from '../cam/cam';
import type { CamMethod, ExplainedMap, MixMap } from '../cam/types';
import type { FaithfulnessCurves } from '../explain/faithfulness';
import type { ImportArtifacts } from '../models/import/model-files';
import type { ModelSpec } from '../models/registry';
import type { BackendInfo, BackendPreference, WorkerClock, WorkerRequest, WorkerResponse } from './protocol';

type Reply<T extends WorkerResponse['type']> = Extract<WorkerResponse, { type: T }>;
export type PredictionReply = Reply<'prediction'>;
export type LoadedReply = Reply<'loaded'>;
export type BenchReply = Reply<'bench-result'>;

export interface PredictOptions {
  topK: number;
  camClass: number | null;
  method: CamMethod;
  keepAs: string | null;
  allProbs: boolean;
  camForTop?: boolean;
}

interface Pending {
  resolve(value: WorkerResponse): void;
  reject(error: Error): void;
  onProgress?: (progress: Reply<'progress'>) => void;
  onStep?: (step: Reply<'faithfulness-step'>) => void;
}

/** The part of a Worker the client uses (unit tests pass a fake). */
export interface WorkerPort {
  postMessage(message: WorkerRequest, transfer: Transferable[]): void;
  terminate(): void;
  onmessage: ((event: MessageEvent<WorkerResponse>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
  onmessageerror: ((event: MessageEvent) => void) | null;
}

const startInferenceWorker = (): WorkerPort => new Worker(new URL('./inference.worker.ts', import.meta.url), { type: 'module', name: 'inference' });

/** The worker itself died (uncaught error, out of memory): distinct from a failed request. */
export class WorkerCrashedError extends Error {
  override name = 'WorkerCrashedError';
}

/** How long the worker may take to start its backend (compiling WASM on a busy machine takes seconds). */
const INIT_TIMEOUT_MS = 30_000;

export class InferenceClient {
  private readonly worker: WorkerPort;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private backendWaiter: Pending | null = null;
  private crashed = false;
  /** The worker's clock from its latest prediction (null before the first). */
  private latestClock: WorkerClock | null = null;

  constructor(
    private readonly onCrash: (error: WorkerCrashedError) => void = () => undefined,
    startWorker: () => WorkerPort = startInferenceWorker,
  ) {
    this.worker = startWorker();
    this.worker.onmessage = (event) => this.receive(event.data);
    this.worker.onerror = (event) => {
      event.preventDefault();
      this.crash(new WorkerCrashedError(`The inference worker stopped: ${event.message || 'unknown error'}`));
    };
    this.worker.onmessageerror = () => this.crash(new WorkerCrashedError('The inference worker sent an unreadable message'));
  }

  /**
   * Starts the backend; resolves with the one actually in use. A worker that has not answered within
   * INIT_TIMEOUT_MS is treated as crashed (so it is restarted): Firefox's WASM start-up sometimes never
   * returns (about 1 page load in 4 in the cross-engine tests).
   */
  init(backend: BackendPreference, threads = 0): Promise<BackendInfo> {
    return new Promise<WorkerResponse>((resolve, reject) => {
      if (this.refusedWhenGone(reject)) return;
      const timer = setTimeout(() => {
        if (this.backendWaiter === waiter) this.crash(new WorkerCrashedError(`The inference worker did not start within ${INIT_TIMEOUT_MS / 1000} s`));
      }, INIT_TIMEOUT_MS);
      const settle = <T>(then: (value: T) => void) => (value: T) => {
        clearTimeout(timer);
        then(value);
      };
      const waiter: Pending = { resolve: settle(resolve), reject: settle(reject) };
      this.backendWaiter = waiter;
      this.send({ type: 'init', backend, threads });
    }).then((reply) => (reply as Reply<'backend'>).info);
  }

  /** `classWnids`: the class index's WordNet ids (Keras order), for models with their own class order. */
  load(spec: ModelSpec, url: string, cache: boolean, classWnids: string[], onProgress?: (p: { loaded: number; total: number; fromCache: boolean }) => void): Promise<LoadedReply> {
    return this.request<'loaded'>({ type: 'load', id: this.nextId++, spec, url, cache, classWnids }, [], { onProgress });
  }

  /** Transfers `frame` (the caller must not use it afterwards). */
  predict(frame: ImageBitmap, options: PredictOptions): Promise<PredictionReply> {
    return this.request<'prediction'>({ type: 'predict', id: this.nextId++, frame, ...options, camForTop: options.camForTop ?? false }, [frame]);
  }

  /** Where the worker's time went so far, as of its latest prediction. */
  get clock(): WorkerClock | null {
    return this.latestClock;
  }

  explain(key: string, classIndex: number, method: CamMethod): Promise<ExplainedMap> {
    return this.request<'explanation'>({ type: 'explain', id: this.nextId++, key, classIndex, method }).then((r) => r.cam);
  }
  /** The raw, signed map of a weighted sum of classes (Keras order) for a photo whose feature map the worker keeps. */
  explainMix(key: string, mix: ClassMix, method: CamMethod): Promise<MixMap> {
    return this.request<'mix-explanation'>({ type: 'explain-mix', id: this.nextId++, key, mix, method }).then((r) => r.map);
  }

  /**
   * Deletion/insertion curves of `classIndex` for a photo whose feature map the worker keeps; `frame` is
   * its model input (transferred). `onStart` receives the run's id (for `cancelFaithfulness`); resolves
   * with null when cancelled.
   */
  faithfulness(
    frame: ImageBitmap,
    options: { key: string; classIndex: number; steps: number; seed: number },
    onStart: (runId: number) => void,
    onStep: (done: number, total: number) => void,
  ): Promise<FaithfulnessCurves | null> {
    const id = this.nextId++;
    onStart(id);
    return this.request<'faithfulness-result'>({ type: 'faithfulness', id, frame, ...options }, [frame], { onStep: (step) => onStep(step.done, step.total) }).then((reply) => reply.curves);
  }

  cancelFaithfulness(runId: number): void {
    this.send({ type: 'faithfulness-cancel', id: runId });
  }

  /** Checks a user's model and keeps it in IndexedDB at `spec.url` (the weights are copied: a retry can send them again). */
  importModel(spec: ModelSpec, artifacts: ImportArtifacts, classWnids: string[]): Promise<Reply<'imported'>> {
    return this.request<'imported'>({ type: 'import', id: this.nextId++, spec, artifacts, classWnids });
  }

  /** Deletes an imported model's files from IndexedDB. */
  removeModel(url: string): Promise<Reply<'removed'>> {
    return this.request<'removed'>({ type: 'remove', id: this.nextId++, url });
  }

  forget(keys: string[]): void {
    if (keys.length > 0) this.send({ type: 'forget', keys });
  }

  bench(frame: ImageBitmap, runs: number): Promise<BenchReply> {
    return this.request<'bench-result'>({ type: 'bench', id: this.nextId++, frame, runs }, [frame]);
  }

  /** Fault injection for reliability tests. */
  injectFault(fault: 'lose-webgl-context' | 'crash'): void {
    this.send({ type: 'fault', fault });
  }

  terminate(): void {
    this.crashed = true;
    this.worker.terminate();
    this.rejectAll(new WorkerCrashedError('The inference worker was stopped'));
  }

  private request<T extends WorkerResponse['type']>(
    message: WorkerRequest & { id: number },
    transfer: Transferable[] = [],
    listeners: Pick<Pending, 'onProgress' | 'onStep'> = {},
  ): Promise<Reply<T>> {
    return new Promise<WorkerResponse>((resolve, reject) => {
      if (this.refusedWhenGone(reject)) return;
      this.pending.set(message.id, { resolve, reject, ...listeners });
      this.send(message, transfer);
    }) as Promise<Reply<T>>;
  }

  /** A call to a stopped worker fails at once: no reply would ever come. */
  private refusedWhenGone(reject: (error: Error) => void): boolean {
    if (this.crashed) reject(new WorkerCrashedError('The inference worker is not running'));
    return this.crashed;
  }

  private send(message: WorkerRequest, transfer: Transferable[] = []) {
    this.worker.postMessage(message, transfer);
  }

  private receive(message: WorkerResponse) {
    switch (message.type) {
      case 'backend':
        this.backendWaiter?.resolve(message);
        this.backendWaiter = null;
        return;
      case 'progress':
        this.pending.get(message.id)?.onProgress?.(message);
        return;
      case 'faithfulness-step':
        this.pending.get(message.id)?.onStep?.(message);
        return;
      case 'error': {
        const error = new Error(message.message);
        if (message.phase === 'init') {
          this.backendWaiter?.reject(error);
          this.backendWaiter = null;
        } else if (message.id !== null) {
          this.pending.get(message.id)?.reject(error);
          this.pending.delete(message.id);
        }
        return;
      }
      case 'fatal':
        this.crash(new WorkerCrashedError(message.message));
        return;
      case 'loaded':
      case 'prediction':
      case 'explanation':
      case 'mix-explanation':
      case 'bench-result':
      case 'faithfulness-result':
      case 'imported':
      case 'removed':
        if (message.type === 'prediction') this.latestClock = message.clock;
        this.pending.get(message.id)?.resolve(message);
        this.pending.delete(message.id);
        return;
      default:
        assertNever(message);
    }
  }

  private crash(error: WorkerCrashedError) {
    if (this.crashed) return;
    this.crashed = true;
    this.worker.terminate();
    this.rejectAll(error);
    this.onCrash(error);
  }

  private rejectAll(error: Error) {
    this.backendWaiter?.reject(error);
    this.backendWaiter = null;
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}

function assertNever(value: never): never {
  throw new Error(`Unexpected worker message ${JSON.stringify(value)}`);
}
