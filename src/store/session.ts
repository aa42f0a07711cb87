import type { StateCreator } from 'zustand';
import { DEFAULT_MODEL_ID, type ModelId } from '../models/registry';
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

export interface SessionSlice {
  modelId: ModelId;
  modelState: ModelState;
  loadProgress: { loaded: number; total: number; fromCache: boolean } | null;
  modelError: string | null;
  backend: BackendInfo | null;
  labels: ClassLabel[];
  /** Predictions the worker has run (a test hook: explaining another class must not add one). */
  inferences: number;
  numTensors: number | null;
  latency: Partial<Record<ModelId, ModelLatency>>;
  setModelId(id: ModelId): void;
}

export const createSessionSlice: StateCreator<AppState, [], [], SessionSlice> = (set) => ({
  modelId: DEFAULT_MODEL_ID,
  modelState: 'loading',
  loadProgress: null,
  modelError: null,
  backend: null,
  labels: [],
  inferences: 0,
  numTensors: null,
  latency: {},
  setModelId: (modelId) => set({ modelId }),
});
