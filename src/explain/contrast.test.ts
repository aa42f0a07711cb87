import { describe, expect, it } from 'vitest';
import { mixActivationMap, type ClassifierWeights, type FeatureMap, type Map2D } from '../cam/cam';
import { randomArray } from '../test-support/random';
import { contrastMix, negateMap, signedPeaks, symmetricScale } from './contrast';

const map = (width: number, height: number, values: number[]): Map2D => ({ width, height, data: Float32Array.from(values) });

describe('contrast maps', () => {
  it('A vs B is the weight difference: mix {A: +1, B: −1}', () => {
    expect(contrastMix(264, 263)).toEqual([
      { classIndex: 264, weight: 1 },
      { classIndex: 263, weight: -1 },
    ]);
  });

  it('peaks: A where the map is largest, B where it is smallest (cell centres, 0–1)', () => {
    const peaks = signedPeaks(map(3, 2, [0, 2, -1, 0.5, -3, 1]));
    expect(peaks.a).toEqual({ x: 0.5 / 3 + 1 / 3, y: 0.25, strength: 2 });
    expect(peaks.b).toEqual({ x: 0.5, y: 0.75, strength: 3 });
  });

  it('is antisymmetric end to end on random features: the B-vs-A map is −(A-vs-B) and its peaks are swapped', () => {
    const features: FeatureMap = { height: 7, width: 7, channels: 16, data: randomArray(7 * 7 * 16, 11, 0, 3) };
    const weights: ClassifierWeights = { channels: 16, classes: 5, kernel: randomArray(16 * 5, 12, -1, 1) };
    const ab = mixActivationMap(features, weights, contrastMix(3, 1));
    const ba = mixActivationMap(features, weights, contrastMix(1, 3));
    ab.data.forEach((v, i) => expect(ba.data[i]).toBeCloseTo(-v, 5));
    const p = signedPeaks(ab);
    const q = signedPeaks(ba);
    expect(q.a).toEqual({ ...p.b, strength: expect.closeTo(p.b.strength, 5) });
    expect(q.b).toEqual({ ...p.a, strength: expect.closeTo(p.a.strength, 5) });
    expect([p.a.x, p.a.y]).not.toEqual([p.b.x, p.b.y]);
  });

  it('swapping keeps peaks exact even on ties (B is found as A of the negated map)', () => {
    const tied = map(2, 2, [1, 1, -1, -1]);
    expect(signedPeaks(negateMap(tied)).a).toEqual(signedPeaks(tied).b);
    expect(signedPeaks(negateMap(tied)).b).toEqual(signedPeaks(tied).a);
  });

  it('the colour scale is symmetric: the largest |value|', () => {
    expect(symmetricScale(map(2, 1, [0.5, -2]))).toBe(2);
    expect(symmetricScale(map(1, 1, [0]))).toBe(0);
  });
});
