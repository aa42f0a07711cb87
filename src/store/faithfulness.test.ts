import { beforeEach, describe, expect, it } from 'vitest';
import { useAppStore } from './index';

const curves = { classIndex: 264, steps: 16, cells: 28, seed: 1, curves: [] };

describe('faithfulness slice', () => {
  beforeEach(() => useAppStore.setState(useAppStore.getInitialState(), true));

  it('a run goes running → progress → done; a cancelled one says so', () => {
    const s = useAppStore.getState();
    s.faithfulnessStarted({ runId: 3, photoId: 'p', classIndex: 264, modelId: 'resnet50' });
    expect(useAppStore.getState().faithfulness).toMatchObject({ state: 'running', done: 0, curves: null });
    s.faithfulnessProgressed(3, 8, 93);
    expect(useAppStore.getState().faithfulness).toMatchObject({ done: 8, total: 93 });
    s.faithfulnessFinished(3, curves);
    expect(useAppStore.getState().faithfulness).toMatchObject({ state: 'done', curves });
    s.faithfulnessStarted({ runId: 4, photoId: 'p', classIndex: 264, modelId: 'resnet50' });
    s.faithfulnessFinished(4, null);
    expect(useAppStore.getState().faithfulness?.state).toBe('cancelled');
  });

  it('messages of an earlier run change nothing once another started', () => {
    const s = useAppStore.getState();
    s.faithfulnessStarted({ runId: 1, photoId: 'p', classIndex: 264, modelId: 'resnet50' });
    s.faithfulnessStarted({ runId: 2, photoId: 'q', classIndex: 281, modelId: 'resnet50' });
    s.faithfulnessProgressed(1, 90, 93);
    s.faithfulnessFinished(1, curves);
    s.faithfulnessFailed(1, 'boom');
    expect(useAppStore.getState().faithfulness).toMatchObject({ runId: 2, photoId: 'q', state: 'running', done: 0, curves: null, error: null });
  });
});
