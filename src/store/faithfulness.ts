import type { StateCreator } from 'zustand';
import type { FaithfulnessCurves } from '../explain/faithfulness';
import type { AppState } from './index';

/** One faithfulness check (deletion/insertion curves) of a photo's class; at most one runs at a time. */
export interface FaithfulnessRun {
  /** Tells this run's messages from those of an earlier one. */
  runId: number;
  photoId: string;
  classIndex: number;
  modelId: string | null;
  state: 'running' | 'done' | 'error' | 'cancelled';
  /** Images the model has seen of `total`. */
  done: number;
  total: number;
  curves: FaithfulnessCurves | null;
  error: string | null;
}

export interface FaithfulnessSlice {
  faithfulness: FaithfulnessRun | null;
  faithfulnessStarted(run: Pick<FaithfulnessRun, 'runId' | 'photoId' | 'classIndex' | 'modelId'>): void;
  faithfulnessProgressed(runId: number, done: number, total: number): void;
  /** `curves` null: the user cancelled it. */
  faithfulnessFinished(runId: number, curves: FaithfulnessCurves | null): void;
  faithfulnessFailed(runId: number, message: string): void;
}

export const createFaithfulnessSlice: StateCreator<AppState, [], [], FaithfulnessSlice> = (set) => {
  /** Changes the current run only if it is still `runId`. */
  const patch = (runId: number, change: Partial<FaithfulnessRun>) =>
    set((s) => (s.faithfulness?.runId === runId ? { faithfulness: { ...s.faithfulness, ...change } } : {}));
  return {
    faithfulness: null,
    faithfulnessStarted: (run) => set({ faithfulness: { ...run, state: 'running', done: 0, total: 0, curves: null, error: null } }),
    faithfulnessProgressed: (runId, done, total) => patch(runId, { done, total }),
    faithfulnessFinished: (runId, curves) => patch(runId, curves ? { state: 'done', curves } : { state: 'cancelled' }),
    faithfulnessFailed: (runId, message) => patch(runId, { state: 'error', error: message }),
  };
};
