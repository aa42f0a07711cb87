import { describe, expect, it } from 'vitest';
import { COLORMAPS, colormapGradient, colormapTable, colourAt, mapToRgba, type ColormapId } from './colormap';

const IDS: ColormapId[] = ['jet', 'turbo', 'viridis'];

function expectNear(actual: number[], expected: number[], tolerance: number) {
  actual.forEach((v, i) => expect(Math.abs(v - expected[i]), `channel ${i}: ${actual.join(',')} vs ${expected.join(',')}`).toBeLessThanOrEqual(tolerance));
}

describe('colormapTable', () => {
  it.each(IDS)('%s: 256 RGB triples, built once', (id) => {
    const table = colormapTable(id);
    expect(table).toHaveLength(768);
    expect(colormapTable(id)).toBe(table);
  });

  it('lists every colormap once in COLORMAPS', () => {
    expect(COLORMAPS.map((c) => c.id).sort()).toEqual([...IDS].sort());
  });
});

describe('colourAt: jet (OpenCV COLORMAP_JET)', () => {
  it('0 is dark blue (0, 0, 128)', () => {
    expect(colourAt('jet', 0)).toEqual([0, 0, 128]);
  });

  it('0.5 is green-ish: full green, red and blue about half', () => {
    // Entry round(0.5·255) = 128 → t = 128/255: R = 1.5 − |4t − 3| ≈ 0.508, G ≈ 1.49 → 1, B ≈ 0.492
    expect(colourAt('jet', 0.5)).toEqual([130, 255, 126]);
  });

  it('1 is dark red (128, 0, 0)', () => {
    expect(colourAt('jet', 1)).toEqual([128, 0, 0]);
  });

  it('passes through pure blue, cyan-ish and yellow-ish at the quarter points', () => {
    expect(colourAt('jet', 0.125)).toEqual([0, 0, 255]);
    const [r1, g1, b1] = colourAt('jet', 0.375);
    expect(r1).toBeLessThan(10);
    expect(g1).toBeGreaterThan(245);
    expect(b1).toBeGreaterThan(245);
    const [r2, g2, b2] = colourAt('jet', 0.625);
    expect(r2).toBeGreaterThan(245);
    expect(g2).toBeGreaterThan(245);
    expect(b2).toBeLessThan(10);
  });
});

describe('colourAt: viridis', () => {
  // Matplotlib viridis at 0, ¼, ½, ¾, 1 (#440154, #3b528b, #21918c, #5ec962, #fde725).
  it('0 ≈ (68, 1, 84) within ±3', () => {
    expectNear(colourAt('viridis', 0), [68, 1, 84], 3);
  });

  it('1 ≈ (253, 231, 37): red and green within ±3, blue within ±4 (the polynomial fit gives 33)', () => {
    const [r, g, b] = colourAt('viridis', 1);
    expectNear([r, g], [253, 231], 3);
    expect(Math.abs(b - 37)).toBeLessThanOrEqual(4);
  });

  it('follows the matplotlib stops within ±5 in between', () => {
    expectNear(colourAt('viridis', 0.25), [59, 82, 139], 5);
    expectNear(colourAt('viridis', 0.5), [33, 145, 140], 5);
    expectNear(colourAt('viridis', 0.75), [94, 201, 98], 5);
  });

  it('gets lighter monotonically (perceptually ordered)', () => {
    const table = colormapTable('viridis');
    let previous = -1;
    for (let i = 0; i < 256; i += 5) {
      const luma = 0.2126 * table[i * 3] + 0.7152 * table[i * 3 + 1] + 0.0722 * table[i * 3 + 2];
      expect(luma).toBeGreaterThan(previous);
      previous = luma;
    }
  });
});

describe('colourAt: turbo (polynomial fit)', () => {
  it('0 is dark (reference Turbo is (48, 18, 59); the fit gives about (35, 23, 27))', () => {
    const rgb = colourAt('turbo', 0);
    expect(Math.max(...rgb)).toBeLessThan(64);
    expectNear(rgb, [48, 18, 59], 35);
  });

  it('1 is dark red', () => {
    const [r, g, b] = colourAt('turbo', 1);
    expect(r).toBeGreaterThan(110);
    expect(r).toBeLessThan(160);
    expect(g).toBeLessThan(25);
    expect(b).toBeLessThan(10);
  });

  it('is bright green-yellow in the middle and blue before it', () => {
    const [r, g, b] = colourAt('turbo', 0.5);
    expect(g).toBeGreaterThan(230);
    expect(r).toBeGreaterThan(b);
    const [r1, , b1] = colourAt('turbo', 0.15);
    expect(b1).toBeGreaterThan(200);
    expect(r1).toBeLessThan(100);
  });
});

describe('colourAt clamping', () => {
  it.each(IDS)('%s: values below 0 take the 0 colour, above 1 the 1 colour', (id) => {
    expect(colourAt(id, -0.5)).toEqual(colourAt(id, 0));
    expect(colourAt(id, -Infinity)).toEqual(colourAt(id, 0));
    expect(colourAt(id, 1.7)).toEqual(colourAt(id, 1));
    expect(colourAt(id, Infinity)).toEqual(colourAt(id, 1));
  });

  it('picks the nearest of the 256 entries', () => {
    const table = colormapTable('jet');
    // 0.3 · 255 = 76.5 → entry 77
    expect(colourAt('jet', 0.3)).toEqual([table[231], table[232], table[233]]);
  });
});

describe('mapToRgba', () => {
  it('turns each value into opaque RGBA from the table, clamping out-of-range values', () => {
    const values = Float32Array.from([0, 0.5, 1, -3, 4]);
    const rgba = mapToRgba(values, 'jet');
    expect(rgba).toHaveLength(20);
    expect(Array.from(rgba)).toEqual([
      0, 0, 128, 255,
      130, 255, 126, 255,
      128, 0, 0, 255,
      0, 0, 128, 255,
      128, 0, 0, 255,
    ]);
  });

  it.each(IDS)('%s: agrees with colourAt and has alpha 255 everywhere', (id) => {
    const values = Float32Array.from({ length: 101 }, (_, i) => i / 100);
    const rgba = mapToRgba(values, id);
    values.forEach((v, i) => {
      expect([rgba[i * 4], rgba[i * 4 + 1], rgba[i * 4 + 2]]).toEqual(colourAt(id, v));
      expect(rgba[i * 4 + 3]).toBe(255);
    });
  });

  it('an empty map gives an empty image', () => {
    expect(mapToRgba(new Float32Array(0), 'viridis')).toHaveLength(0);
  });
});

describe('colormapGradient', () => {
  it('builds a CSS gradient with evenly spaced stops', () => {
    expect(colormapGradient('jet', 3)).toBe('linear-gradient(to right, rgb(0 0 128) 0%, rgb(130 255 126) 50%, rgb(128 0 0) 100%)');
  });

  it('uses 9 stops by default, from 0% to 100%', () => {
    const css = colormapGradient('viridis');
    const stops = css.match(/rgb\(\d+ \d+ \d+\) \d+%/g) ?? [];
    expect(stops).toHaveLength(9);
    expect(stops[0]).toBe(`rgb(${colourAt('viridis', 0).join(' ')}) 0%`);
    expect(stops[4]).toMatch(/ 50%$/);
    expect(stops[8]).toBe(`rgb(${colourAt('viridis', 1).join(' ')}) 100%`);
  });
});
