/**
 * The typed message protocol between the main thread and the inference worker. Types only: the main
 * bundle imports this file and never TF.js.
 */
import type { ClassMix } from '../cam/cam';
import type { CamMethod, ExplainedMap, MixMap } from '../cam/types';
import type { FaithfulnessCurves } from '../explain/faithfulness';
import type { ImportArtifacts } from '../models/import/model-files';
import type { ModelId, ModelSpec } from '../models/registry';
import type { ClassScore } from '../models/topk';

export type BackendName = 'webgl' | 'wasm' | 'cpu';
export type BackendPreference = 'auto' | BackendName;

export interface BackendInfo {
  backend: BackendName;
  /** Why this backend runs, in words for the user (e.g. "WebGL is software-rendered (SwiftShader); WASM is faster"). */
  reason: string;
  /** The WebGL renderer string, when WebGL exists. */
  renderer: string | null;
  /**
   * Threads WASM runs the model on, as the backend reports it: more than 1 needs SharedArrayBuffer and a
   * cross-origin-isolated page (1 for the other backends).
   */
  wasmThreads: number;
  /** WASM runs the SIMD build. */
  wasmSimd: boolean;
}

export interface PredictTimings {
  /** Pixels → tensor → preprocessed input. */
  preprocessMs: number;
  /** Forward pass and readback of probabilities + feature map. */
  inferMs: number;
  /** CAM for the shown class. */
  camMs: number;
  totalMs: number;
}

/**
 * The worker's own account of where its time went, cumulative since it started (each prediction reply
 * carries it; the benchmark takes differences over a window). Worker clock, so it holds under load.
 */
export interface WorkerClock {
  /** The worker's performance.now() when the reply was sent. */
  atMs: number;
  /** Time with no request to work on (waiting for the main thread). */
  idleMs: number;
  predictions: number;
  /** Sums of the stages of every prediction (see PredictTimings). */
  preprocessMs: number;
  inferMs: number;
  camMs: number;
}

export type WorkerRequest =
  /** `threads`: WASM threads asked for in Settings, 0 for the automatic choice (see thread-count). */
  | { type: 'init'; backend: BackendPreference; threads: number }
  /** Loads `spec`'s model from `url` (its model.json, absolute). */
  | { type: 'load'; id: number; spec: ModelSpec; url: string; cache: boolean; classWnids: string[] }
  | {
      type: 'predict';
      id: number;
      /** The model's input region, already cropped and resized to the input size; the worker closes it. */
      frame: ImageBitmap;
      topK: number;
      /** Class to explain; `null` = the top-1 class. */
      camClass: number | null;
      method: CamMethod;
      /** Keep the feature map under this key so other classes can be explained later without a new pass. */
      keepAs: string | null;
      /** Also return all class probabilities (photos: for search and export; live: not needed). */
      allProbs: boolean;
      /** Also return the maps of this frame's top-k classes (live: the smoothed top-1 may change with this frame). */
      camForTop: boolean;
    }
  | { type: 'explain'; id: number; key: string; classIndex: number; method: CamMethod }
  /** The map of a weighted sum of classes (Keras class order) from a kept feature map: groups, contrasts. */
  | { type: 'explain-mix'; id: number; key: string; mix: ClassMix; method: CamMethod }
  | { type: 'forget'; keys: string[] }
  /**
   * Deletion/insertion curves of a photo's class (see explain/faithfulness): `frame` is the photo's model
   * input (the worker closes it), `key` its kept feature map. Runs in small batches; other requests are
   * served between batches. Answers with `faithfulness-step` messages, then `faithfulness-result`.
   */
  | { type: 'faithfulness'; id: number; frame: ImageBitmap; key: string; classIndex: number; steps: number; seed: number }
  /** Stops that check after its current batch (handled at once, not behind other requests). */
  | { type: 'faithfulness-cancel'; id: number }
  /** Checks a user's model (built from `artifacts`) and keeps it in IndexedDB at `spec.url`; the model in use stays. */
  | { type: 'import'; id: number; spec: ModelSpec; artifacts: ImportArtifacts; classWnids: string[] }
  /** Deletes an imported model's files (`url`: its indexeddb:// URL). */
  | { type: 'remove'; id: number; url: string }
  | { type: 'bench'; id: number; frame: ImageBitmap; runs: number }
  /** Fault injection for reliability tests (automation API only). */
  | { type: 'fault'; fault: 'lose-webgl-context' | 'crash' };

export type WorkerResponse =
  | { type: 'backend'; info: BackendInfo }
  | { type: 'progress'; id: number; loaded: number; total: number; fromCache: boolean }
  | { type: 'loaded'; id: number; modelId: ModelId; loadMs: number; warmupMs: number; fromCache: boolean }
  | {
      type: 'prediction';
      id: number;
      top: ClassScore[];
      probs: Float32Array | null;
      cam: ExplainedMap;
      /** Maps of the top-k classes (other than `cam`'s), when asked for with `camForTop`. */
      topCams: ExplainedMap[];
      timings: PredictTimings;
      /** Predictions this worker has run so far (tests check that explaining another class adds none). */
      inferences: number;
      numTensors: number;
      clock: WorkerClock;
    }
  | { type: 'explanation'; id: number; cam: ExplainedMap }
  | { type: 'mix-explanation'; id: number; map: MixMap }
  | { type: 'bench-result'; id: number; bareMs: number[]; fullMs: number[] }
  | { type: 'faithfulness-step'; id: number; done: number; total: number }
  /** `curves` is null when the check was cancelled. */
  | { type: 'faithfulness-result'; id: number; curves: FaithfulnessCurves | null }
  /** `camHolds`: false when the model's maps can only be Grad-CAM (its head is not linear after or before the pooling). */
  | { type: 'imported'; id: number; camHolds: boolean }
  | { type: 'removed'; id: number }
  | { type: 'error'; id: number | null; phase: 'init' | 'load' | 'predict' | 'explain'; message: string }
  /** The worker cannot go on (e.g. the GPU context was lost); the client restarts it. */
  | { type: 'fatal'; message: string };

export type WorkerRequestType = WorkerRequest['type'];
