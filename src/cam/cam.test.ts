import { describe, expect, it } from 'vitest';
import {
  blendMaps,
  classActivationMap,
  mixActivationMap,
  normaliseMap,
  peakOf,
  upsampleBilinear,
  type ClassifierWeights,
  type FeatureMap,
  type Map2D,
} from './cam';

function expectValues(actual: Float32Array, expected: number[], digits = 6) {
  expect(actual).toHaveLength(expected.length);
  expected.forEach((value, i) => expect(actual[i], `element ${i}`).toBeCloseTo(value, digits));
}

const map = (width: number, height: number, values: number[]): Map2D => ({ width, height, data: Float32Array.from(values) });

/**
 * 2×2 feature map with K = 3 channels (channels last, cells row-major):
 *   (0,0) [ 1, 2, 3]   (0,1) [0, 1, 0]
 *   (1,0) [ 2, 0, 1]   (1,1) [-1, 1, 2]
 * Classifier W (K×C = 3×2):  k0 [1, −1], k1 [0.5, 2], k2 [−2, 0]
 */
const features: FeatureMap = {
  height: 2,
  width: 2,
  channels: 3,
  data: Float32Array.from([1, 2, 3, 0, 1, 0, 2, 0, 1, -1, 1, 2]),
};
const weights: ClassifierWeights = { channels: 3, classes: 2, kernel: Float32Array.from([1, -1, 0.5, 2, -2, 0]) };

describe('mixActivationMap', () => {
  it('a mix is the weighted sum of its classes\' maps: 0.25·M0 + 0.75·M1', () => {
    // M0 = [−4, 0.5, 0, −4.5], M1 = [3, 2, −2, 3]
    const mixed = mixActivationMap(features, weights, [{ classIndex: 0, weight: 0.25 }, { classIndex: 1, weight: 0.75 }]);
    expectValues(mixed.data, [1.25, 1.625, -1.5, 1.125]);
  });

  it('a contrast is antisymmetric: (A − B) = −(B − A), and keeps its sign', () => {
    const aNotB = mixActivationMap(features, weights, [{ classIndex: 0, weight: 1 }, { classIndex: 1, weight: -1 }]);
    const bNotA = mixActivationMap(features, weights, [{ classIndex: 1, weight: 1 }, { classIndex: 0, weight: -1 }]);
    expectValues(aNotB.data, [-7, -1.5, 2, -7.5]);
    expectValues(bNotA.data, Array.from(aNotB.data, (v) => -v));
  });

  it('one class with weight 1 is that class\'s CAM', () => {
    expectValues(mixActivationMap(features, weights, [{ classIndex: 1, weight: 1 }]).data, Array.from(classActivationMap(features, weights, 1).data));
  });

  it('refuses an empty mix, a class out of range and a weight that is not a number', () => {
    expect(() => mixActivationMap(features, weights, [])).toThrow('Nothing to explain');
    expect(() => mixActivationMap(features, weights, [{ classIndex: 2, weight: 1 }])).toThrow(/outside 0–1/);
    expect(() => mixActivationMap(features, weights, [{ classIndex: 0, weight: Number.NaN }])).toThrow(/not a number/);
  });
});

describe('classActivationMap', () => {
  it('class 0: M = 1·A0 + 0.5·A1 − 2·A2 per cell', () => {
    // (0,0) 1 + 1 − 6 = −4; (0,1) 0 + 0.5 − 0 = 0.5; (1,0) 2 + 0 − 2 = 0; (1,1) −1 + 0.5 − 4 = −4.5
    const cam = classActivationMap(features, weights, 0);
    expect([cam.width, cam.height]).toEqual([2, 2]);
    expectValues(cam.data, [-4, 0.5, 0, -4.5]);
  });

  it('class 1: M = −1·A0 + 2·A1 + 0·A2 per cell', () => {
    // (0,0) −1 + 4 = 3; (0,1) 0 + 2 = 2; (1,0) −2 + 0 = −2; (1,1) 1 + 2 = 3
    expectValues(classActivationMap(features, weights, 1).data, [3, 2, -2, 3]);
  });

  it('handles a non-square map (width ≠ height)', () => {
    // 1 row × 3 columns, K = 2, C = 1, w = [2, −1]
    const wide: FeatureMap = { height: 1, width: 3, channels: 2, data: Float32Array.from([1, 0, 0, 1, 3, 3]) };
    const cam = classActivationMap(wide, { channels: 2, classes: 1, kernel: Float32Array.from([2, -1]) }, 0);
    expect([cam.width, cam.height]).toEqual([3, 1]);
    expectValues(cam.data, [2, -1, 3]);
  });

  it('throws when the classifier and feature map disagree on channels', () => {
    expect(() => classActivationMap(features, { channels: 4, classes: 2, kernel: new Float32Array(8) }, 0)).toThrow(
      'Classifier expects 4 channels, feature map has 3',
    );
  });

  it.each([2, -1, 0.5, Number.NaN])('throws on class index %s', (index) => {
    expect(() => classActivationMap(features, weights, index)).toThrow(/outside 0–1/);
  });
});

describe('normaliseMap', () => {
  it('applies ReLU then min–max so the hottest cell is 1', () => {
    // [−4, 0.5, 0, −4.5] → ReLU [0, 0.5, 0, 0] → [0, 1, 0, 0]
    const out = normaliseMap(classActivationMap(features, weights, 0));
    expectValues(out.data, [0, 1, 0, 0]);
    // [3, 2, −2, 3] → [3, 2, 0, 3] → [1, 2/3, 0, 1]
    expectValues(normaliseMap(classActivationMap(features, weights, 1)).data, [1, 2 / 3, 0, 1]);
  });

  it('subtracts the minimum when every cell is positive', () => {
    expectValues(normaliseMap(map(3, 1, [1, 2, 3])).data, [0, 0.5, 1]);
  });

  it('an all-negative map becomes all zeros (no invented contrast)', () => {
    const out = normaliseMap(map(2, 2, [-1, -2, -0.5, -3]));
    expectValues(out.data, [0, 0, 0, 0]);
  });

  it('a zero map stays zero and evidence spread evenly is all one, with no NaN', () => {
    expectValues(normaliseMap(map(2, 1, [0, 0])).data, [0, 0]);
    expectValues(normaliseMap(map(2, 1, [5, 5])).data, [1, 1]);
  });

  it('keeps the size and does not modify its input', () => {
    const input = map(3, 2, [-1, 1, 2, 3, 4, 5]);
    const out = normaliseMap(input);
    expect([out.width, out.height]).toEqual([3, 2]);
    expect(out.data).not.toBe(input.data);
    expectValues(input.data, [-1, 1, 2, 3, 4, 5]);
  });
});

describe('upsampleBilinear (half-pixel centres)', () => {
  it('keeps a constant map constant', () => {
    const out = upsampleBilinear(map(7, 7, new Array(49).fill(0.37)), 224, 224);
    expect([out.width, out.height]).toEqual([224, 224]);
    for (const v of out.data) expect(v).toBeCloseTo(0.37, 6);
  });

  it('2×2 → 4×4: known values (source columns sample at 0, 0.25, 0.75, 1)', () => {
    // Source [[0, 1], [2, 3]]. For output index i, source coordinate = (i + 0.5)/2 − 0.5, clamped to [0, 1]:
    // 0 → 0, 1 → 0.25, 2 → 0.75, 3 → 1 (same for rows). Value = x + 2y.
    const out = upsampleBilinear(map(2, 2, [0, 1, 2, 3]), 4, 4);
    expectValues(out.data, [
      0, 0.25, 0.75, 1,
      0.5, 0.75, 1.25, 1.5,
      1.5, 1.75, 2.25, 2.5,
      2, 2.25, 2.75, 3,
    ]);
  });

  it('corners of the output equal the corners of the source', () => {
    const source = map(3, 2, [5, -1, 2, 7, 0, 9]);
    const out = upsampleBilinear(source, 30, 20);
    expect(out.data[0]).toBeCloseTo(5, 6);
    expect(out.data[29]).toBeCloseTo(2, 6);
    expect(out.data[19 * 30]).toBeCloseTo(7, 6);
    expect(out.data[19 * 30 + 29]).toBeCloseTo(9, 6);
  });

  it('same size is the identity', () => {
    const source = map(3, 2, [5, -1, 2, 7, 0, 9]);
    expectValues(upsampleBilinear(source, 3, 2).data, [5, -1, 2, 7, 0, 9]);
  });

  it('a 1×1 map fills the output', () => {
    const out = upsampleBilinear(map(1, 1, [4]), 3, 5);
    expect([out.width, out.height]).toEqual([3, 5]);
    expectValues(out.data, new Array(15).fill(4));
  });

  it('stays within the source range and is symmetric for a symmetric source', () => {
    const source = map(3, 3, [0, 1, 0, 1, 4, 1, 0, 1, 0]);
    const out = upsampleBilinear(source, 12, 12);
    for (let y = 0; y < 12; y++) {
      for (let x = 0; x < 12; x++) {
        const v = out.data[y * 12 + x];
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(4);
        expect(v).toBeCloseTo(out.data[y * 12 + (11 - x)], 5);
        expect(v).toBeCloseTo(out.data[x * 12 + y], 5);
      }
    }
  });
});

describe('peakOf', () => {
  it('returns the centre of the hottest cell in 0–1 coordinates', () => {
    // 3 wide × 2 high; max 9 at column 2, row 1
    expect(peakOf(map(3, 2, [1, 2, 3, 4, 5, 9]))).toEqual({ x: 2.5 / 3, y: 0.75, value: 9 });
    expect(peakOf(map(2, 2, [0, 1, 0, 0]))).toEqual({ x: 0.75, y: 0.25, value: 1 });
  });

  it('takes the first cell on ties', () => {
    expect(peakOf(map(2, 2, [3, 2, -2, 3]))).toEqual({ x: 0.25, y: 0.25, value: 3 });
    expect(peakOf(map(2, 2, [0, 0, 0, 0]))).toEqual({ x: 0.25, y: 0.25, value: 0 });
  });

  it('works with negative maps', () => {
    expect(peakOf(map(2, 1, [-5, -1]))).toEqual({ x: 0.75, y: 0.5, value: -1 });
  });
});

describe('blendMaps', () => {
  it('without a previous map returns a copy of the new one', () => {
    const next = Float32Array.from([1, 2]);
    const out = blendMaps(null, next, 0.8);
    expectValues(out, [1, 2]);
    expect(out).not.toBe(next);
  });

  it('blends in place: previous · keep + next · (1 − keep)', () => {
    const previous = Float32Array.from([0, 10]);
    const out = blendMaps(previous, Float32Array.from([10, 0]), 0.75);
    expect(out).toBe(previous);
    expectValues(out, [2.5, 7.5]);
  });

  it('converges to a steady input', () => {
    let state: Float32Array | null = null;
    for (let i = 0; i < 60; i++) state = blendMaps(state, i === 0 ? Float32Array.from([0]) : Float32Array.from([1]), 0.5);
    expect(state?.[0]).toBeCloseTo(1, 6);
  });

  it('starts over on a size change or keep ≤ 0', () => {
    const previous = Float32Array.from([5, 5]);
    const resized = blendMaps(previous, Float32Array.from([1, 2, 3]), 0.5);
    expectValues(resized, [1, 2, 3]);
    expectValues(previous, [5, 5]);
    const noKeep = blendMaps(previous, Float32Array.from([1, 2]), 0);
    expectValues(noKeep, [1, 2]);
    expect(noKeep).not.toBe(previous);
  });
});
