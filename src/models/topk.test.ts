import { describe, expect, it } from 'vitest';
import { topK } from './topk';

describe('topK', () => {
  it('returns the k highest scores, highest first, with their indices', () => {
    expect(topK([0.1, 0.4, 0.05, 0.3, 0.15], 3)).toEqual([
      { index: 1, prob: 0.4 },
      { index: 3, prob: 0.3 },
      { index: 4, prob: 0.15 },
    ]);
  });

  it('k = 1 is the argmax', () => {
    expect(topK([0.2, 0.1, 0.7], 1)).toEqual([{ index: 2, prob: 0.7 }]);
    expect(topK([0.9, 0.05, 0.05], 1)).toEqual([{ index: 0, prob: 0.9 }]);
  });

  it('keeps the lower index first on ties, including ties at the cut-off', () => {
    expect(topK([0.25, 0.25, 0.25, 0.25], 2)).toEqual([
      { index: 0, prob: 0.25 },
      { index: 1, prob: 0.25 },
    ]);
    expect(topK([0.1, 0.3, 0.2, 0.3, 0.1], 3)).toEqual([
      { index: 1, prob: 0.3 },
      { index: 3, prob: 0.3 },
      { index: 2, prob: 0.2 },
    ]);
    // A later equal score does not displace an earlier one at the k-th place.
    expect(topK([0.5, 0.2, 0.2], 2).map((s) => s.index)).toEqual([0, 1]);
  });

  it('returns everything, sorted, when k exceeds the number of scores', () => {
    expect(topK([0.2, 0.5, 0.3], 10)).toEqual([
      { index: 1, prob: 0.5 },
      { index: 2, prob: 0.3 },
      { index: 0, prob: 0.2 },
    ]);
    expect(topK([], 5)).toEqual([]);
  });

  it('handles negative values (e.g. logits)', () => {
    expect(topK([-3, -1, -2, -0.5], 2)).toEqual([
      { index: 3, prob: -0.5 },
      { index: 1, prob: -1 },
    ]);
  });

  it('works on a Float32Array and agrees with a full sort on 1000 scores', () => {
    const scores = new Float32Array(1000);
    for (let i = 0; i < scores.length; i++) scores[i] = Math.abs(Math.sin(i * 12.9898) * 43758.5453) % 1;
    const expected = Array.from(scores, (prob, index) => ({ index, prob }))
      .sort((a, b) => b.prob - a.prob || a.index - b.index)
      .slice(0, 5);
    expect(topK(scores, 5)).toEqual(expected);
  });

  // Known bug (src/models/topk.ts:14): with k = 0 the first score reads best[-1].prob and throws a TypeError.
  it('k = 0 returns an empty list', () => {
    expect(topK([0.1, 0.9], 0)).toEqual([]);
  });
});
