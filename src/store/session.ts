import type { StateCreator } from 'zustand';
import { findModel, type ModelId, type ModelSpec } from '../models/registry';
import { mergeModels } from '../models/model-list';
import type { ClassLabel } from '../models/labels';
import type { BackendInfo } from '../worker/protocol';
import type { AppState } from './index';

export type ModelState = 'loading' | 'ready' | 'error';

/** What this device measured for a model (shown in the model zoo panel). */
export interface ModelLatency {
  loadMs: number;
  warmupMs: number;
  fromCache: boolean;
  /** Median of recent predictions, end to end in the worker. */
  steadyMs: number | null;
  samples: number[];
}

export interface LoadProgress {
  loaded: number;
  total: number;
  fromCache: boolean;
}

/** How many recent prediction times the median is taken over. */
const LATENCY_SAMPLES = 20;

export interface SessionSlice {
  /** Every model the user can choose, in the order shown: the deployment's, then the user's own. */
  models: readonly ModelSpec[];
  /** The models this deployment serves. */
  deploymentModels: readonly ModelSpec[];
  /** The models the user imported from their own files (kept in this browser). */
  userModels: readonly ModelSpec[];
  /** The model in use, or the one remembered from last time; '' before any is chosen. */
  modelId: ModelId;
  modelState: ModelState;
  loadProgress: LoadProgress | null;
  modelError: string | null;
  backend: BackendInfo | null;
  labels: ClassLabel[];
  /** Predictions the worker has run (a test hook: explaining another class must not add one). */
  inferences: number;
  numTensors: number | null;
  latency: Partial<Record<ModelId, ModelLatency>>;
  /** The deployment's list of models was read (entries that are user models are kept as the user's). */
  modelsListed(models: readonly ModelSpec[]): void;
  /** The user's own models were read from this browser, or one was added or removed. */
  userModelsListed(models: readonly ModelSpec[]): void;
  /** A (new) worker is starting: no backend yet. */
  engineStarting(): void;
  backendReady(backend: BackendInfo): void;
  labelsLoaded(labels: ClassLabel[]): void;
  /** A model starts loading; it becomes the current model at once (the select follows). */
  modelLoading(modelId: ModelId): void;
  modelProgress(progress: LoadProgress): void;
  modelLoaded(modelId: ModelId, measured: { loadMs: number; warmupMs: number; fromCache: boolean }): void;
  /** The worker, its backend or the model failed: the message says what to do. */
  modelFailed(message: string): void;
  /** A prediction came back: counters and the model's steady latency (median of recent ones). */
  predictionRecorded(modelId: ModelId, reply: { totalMs: number; inferences: number; numTensors: number }): void;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export const createSessionSlice: StateCreator<AppState, [], [], SessionSlice> = (set) => ({
  models: [],
  deploymentModels: [],
  userModels: [],
  modelId: '',
  modelState: 'loading',
  loadProgress: null,
  modelError: null,
  backend: null,
  labels: [],
  inferences: 0,
  numTensors: null,
  latency: {},
  modelsListed: (listed) =>
    set((state) => {
      // The user's own models stay theirs, even when a caller passes the whole list back.
      const deploymentModels = listed.filter((model) => !state.userModels.some((user) => user.id === model.id));
      return { deploymentModels, models: mergeModels(deploymentModels, state.userModels) };
    }),
  userModelsListed: (userModels) => set((state) => ({ userModels, models: mergeModels(state.deploymentModels, userModels) })),
  engineStarting: () => set({ modelState: 'loading', modelError: null, backend: null }),
  backendReady: (backend) => set({ backend }),
  labelsLoaded: (labels) => set({ labels }),
  modelLoading: (modelId) => set({ modelId, modelState: 'loading', loadProgress: null, modelError: null }),
  modelProgress: (loadProgress) => set({ loadProgress }),
  modelLoaded: (modelId, measured) =>
    set((state) => {
      const previous = state.latency[modelId];
      return {
        modelState: 'ready',
        latency: { ...state.latency, [modelId]: { ...measured, steadyMs: previous?.steadyMs ?? null, samples: previous?.samples ?? [] } },
      };
    }),
  modelFailed: (modelError) => set({ modelState: 'error', modelError }),
  predictionRecorded: (modelId, reply) =>
    set((state) => {
      const current = state.latency[modelId];
      const samples = [...(current?.samples ?? []), reply.totalMs].slice(-LATENCY_SAMPLES);
      return {
        inferences: reply.inferences,
        numTensors: reply.numTensors,
        latency: current ? { ...state.latency, [modelId]: { ...current, samples, steadyMs: median(samples) } } : state.latency,
      };
    }),
});

/** The spec of the model in use; undefined only while a remembered model is not (yet) in the list. */
export const selectCurrentModel = (state: Pick<SessionSlice, 'models' | 'modelId'>): ModelSpec | undefined => findModel(state.models, state.modelId);

/** A model's name for people: its display name, or its id when it is not in the list. */
export function modelName(state: Pick<SessionSlice, 'models'>, id: ModelId | null): string {
  if (!id) return '';
  return findModel(state.models, id)?.displayName ?? id;
}
