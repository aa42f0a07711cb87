import { describe, expect, it } from 'vitest';
import {
  assembleCurves,
  aucOf,
  cellHeat,
  cellsAtStep,
  composeStep,
  curvesCsv,
  gaussianBlur,
  greyImage,
  heatOrder,
  imageKey,
  planImages,
  randomOrder,
  SOURCES,
  trapezoidAuc,
  type FaithfulnessCurves,
} from './faithfulness';

describe('orderings', () => {
  it('cell heat averages the upsampled map; a 2×2 map on 2×2 cells keeps its values', () => {
    const heat = cellHeat({ width: 2, height: 2, data: Float32Array.from([1, 2, 3, 4]) }, 2, 8);
    // Bilinear with half-pixel centres is symmetric inside each quadrant, but blends towards the neighbours.
    expect(heatOrder(heat)).toEqual(Int32Array.from([3, 2, 1, 0]));
    expect(heat[0]).toBeLessThan(heat[1]);
    expect((heat[0] + heat[3]) / 2).toBeCloseTo(2.5, 5);
  });

  it('heat order: hottest first, ties by index', () => {
    expect(heatOrder(Float32Array.from([0.5, 2, 0.5, -1, 2]))).toEqual(Int32Array.from([1, 4, 0, 2, 3]));
  });

  it('random order is a seeded permutation: same seed, same order; another seed, another', () => {
    const a = randomOrder(784, 2018);
    expect([...a].sort((x, y) => x - y)).toEqual([...Array(784).keys()]);
    expect(randomOrder(784, 2018)).toEqual(a);
    expect(randomOrder(784, 7)).not.toEqual(a);
  });

  it('steps remove 0 … all cells, evenly', () => {
    expect(Array.from({ length: 5 }, (_, s) => cellsAtStep(s, 4, 10))).toEqual([0, 3, 5, 8, 10]);
  });
});

describe('step images', () => {
  const size = 4;
  const cells = 2;
  const photo = Float32Array.from({ length: size * size * 3 }, (_, i) => i);
  const grey = greyImage(size);

  it('deletion: the first cells of the order become grey, the rest stays', () => {
    const out = composeStep(Int32Array.from([3, 0, 1, 2]), 1, cells, size, grey, photo);
    const pixel = (x: number, y: number) => [...out.slice((y * size + x) * 3, (y * size + x) * 3 + 3)];
    expect(pixel(3, 3)).toEqual([128, 128, 128]);
    expect(pixel(2, 2)).toEqual([128, 128, 128]);
    expect(pixel(0, 0)).toEqual([0, 1, 2]);
    expect(pixel(1, 2)).toEqual([...photo.slice((2 * size + 1) * 3, (2 * size + 1) * 3 + 3)]);
  });

  it('all cells flagged gives the flagged image, none gives the other', () => {
    const order = Int32Array.from([0, 1, 2, 3]);
    expect(composeStep(order, 4, cells, size, grey, photo)).toEqual(grey);
    expect(composeStep(order, 0, cells, size, grey, photo)).toEqual(photo);
  });

  it('blur keeps a flat image flat and spreads a bright point, keeping its total', () => {
    expect(gaussianBlur(greyImage(9, 77), 9, 2).every((v) => Math.abs(v - 77) < 1e-4)).toBe(true);
    const dot = new Float32Array(21 * 21 * 3);
    dot[(10 * 21 + 10) * 3] = 1000;
    const blurred = gaussianBlur(dot, 21, 2);
    expect(blurred[(10 * 21 + 10) * 3]).toBeLessThan(100);
    expect(blurred[(10 * 21 + 12) * 3]).toBeGreaterThan(0);
    expect(blurred.reduce((a, b) => a + b, 0)).toBeCloseTo(1000, 0);
  });
});

describe('curves and their areas', () => {
  it('trapezoid AUC over the fraction 0…1', () => {
    expect(trapezoidAuc([1, 1, 1])).toBeCloseTo(1);
    expect(trapezoidAuc([1, 0])).toBeCloseTo(0.5);
    expect(trapezoidAuc([1, 0.5, 0, 0, 0])).toBeCloseTo((0.75 + 0.25) / 4);
    expect(trapezoidAuc([0.3])).toBe(0);
  });

  it('curves share their end points: the crop, all grey, all blurred are each run once', () => {
    const steps = 4;
    const planned = planImages(steps);
    expect(planned).toHaveLength(3 + SOURCES.length * 2 * (steps - 1));
    expect(new Set(planned.map((p) => p.key)).size).toBe(planned.length);
    expect(imageKey('cam', 'deletion', 0, steps)).toBe(imageKey('random', 'insertion', steps, steps));
  });

  it('assembles each curve from the measured images and exports k + 1 CSV rows per curve', () => {
    const steps = 4;
    const probs = new Map(planImages(steps).map((p) => [p.key, p.key === 'original' ? 0.9 : p.key === 'grey' ? 0.01 : p.key === 'blurred' ? 0.05 : p.source === 'cam' ? 0.2 : 0.6]));
    const result: FaithfulnessCurves = { classIndex: 264, steps, cells: 28, seed: 1, curves: assembleCurves(steps, probs) };
    expect(result.curves).toHaveLength(6);
    expect(result.curves[0]).toEqual({ source: 'cam', kind: 'deletion', probs: [0.9, 0.2, 0.2, 0.2, 0.01] });
    expect(aucOf(result, 'cam', 'deletion')).toBeLessThan(aucOf(result, 'random', 'deletion'));
    const lines = curvesCsv(result, 'Cardigan, Welsh corgi').trim().split('\n');
    expect(lines[0]).toBe('class_index,class,order,curve,step,fraction,probability');
    expect(lines).toHaveLength(1 + 6 * (steps + 1));
    expect(lines[1]).toBe('264,"Cardigan, Welsh corgi",cam,deletion,0,0.0000,0.900000');
  });

  it('a missing measurement is an error, not a silent zero', () => {
    expect(() => assembleCurves(2, new Map([['original', 1]]))).toThrow(/No probability/);
  });
});
