import { describe, expect, it } from 'vitest';
import { ProbabilitySmoother } from './smoothing';

const probs = (...values: number[]) => Float32Array.from(values);

describe('ProbabilitySmoother', () => {
  it('follows p̄ = keep·p̄ + (1 − keep)·p from the first frame on', () => {
    const keep = 0.6;
    const smoother = new ProbabilitySmoother(keep);
    const frames = [probs(0.7, 0.2, 0.1), probs(0.1, 0.8, 0.1), probs(0.3, 0.3, 0.4), probs(0, 0, 1)];
    let expected = Array.from(frames[0]);
    expect(Array.from(smoother.push(frames[0]))).toEqual(expected);
    for (const frame of frames.slice(1)) {
      expected = expected.map((prev, i) => keep * prev + (1 - keep) * frame[i]);
      const got = Array.from(smoother.push(frame));
      got.forEach((value, i) => expect(value).toBeCloseTo(expected[i], 6));
    }
  });

  it('with keep 0 each frame stands alone', () => {
    const smoother = new ProbabilitySmoother(0);
    smoother.push(probs(0.9, 0.1));
    expect(Array.from(smoother.push(probs(0.2, 0.8)))).toEqual(Array.from(probs(0.2, 0.8)));
  });

  it('keeps its own copy: changing the frame afterwards changes nothing', () => {
    const smoother = new ProbabilitySmoother(0.5);
    const frame = probs(0.25, 0.75);
    smoother.push(frame);
    frame.fill(0);
    expect(smoother.top(2)).toEqual([
      { index: 1, prob: 0.75 },
      { index: 0, prob: 0.25 },
    ]);
  });

  it('keeps the label steady through a single odd frame (top of the average, not of the last frame)', () => {
    const smoother = new ProbabilitySmoother(0.8);
    for (let i = 0; i < 10; i++) smoother.push(probs(0.1, 0.7, 0.2));
    smoother.push(probs(0.9, 0.05, 0.05));
    expect(smoother.top(1)[0].index).toBe(1);
    expect(smoother.top(3).map((s) => s.index)).toEqual([1, 0, 2]);
  });

  it('starts over after reset(), on a new class count, or once keep is set to 0', () => {
    const smoother = new ProbabilitySmoother(0.9);
    expect(smoother.top(5)).toEqual([]);
    smoother.push(probs(1, 0));
    smoother.reset();
    expect(smoother.top(5)).toEqual([]);
    expect(Array.from(smoother.push(probs(0, 1)))).toEqual([0, 1]);
    expect(Array.from(smoother.push(probs(0.5, 0.25, 0.25)))).toEqual([0.5, 0.25, 0.25]);
    smoother.keep = 0;
    expect(Array.from(smoother.push(probs(0, 0, 1)))).toEqual([0, 0, 1]);
  });
});
