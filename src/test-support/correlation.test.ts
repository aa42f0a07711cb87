import { describe, expect, it } from 'vitest';
import { correlation } from './correlation';

describe('correlation', () => {
  const f = (values: number[]) => Float32Array.from(values);

  it('is 1 for maps equal up to positive scale and offset, −1 for negative scale', () => {
    expect(correlation(f([1, 2, 3, 4]), f([2, 4, 6, 8]))).toBeCloseTo(1, 10);
    expect(correlation(f([1, 2, 3, 4]), f([13, 15, 17, 19]))).toBeCloseTo(1, 10);
    expect(correlation(f([1, 2, 3, 4]), f([8, 6, 4, 2]))).toBeCloseTo(-1, 10);
  });

  it('matches a hand-computed Pearson coefficient', () => {
    // a − mean = [−1, 0, 1], b − mean = [−1, 1, 0]: cov 1, var 2 and 2 → 0.5
    expect(correlation(f([1, 2, 3]), f([1, 3, 2]))).toBeCloseTo(0.5, 10);
  });

  it('is 0 when either map is constant', () => {
    expect(correlation(f([1, 1, 1]), f([1, 2, 3]))).toBe(0);
    expect(correlation(f([1, 2, 3]), f([0, 0, 0]))).toBe(0);
  });

  it('throws on maps of different sizes', () => {
    expect(() => correlation(f([1, 2]), f([1, 2, 3]))).toThrow('Maps differ in size');
  });
});
