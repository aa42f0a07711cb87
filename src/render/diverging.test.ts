import { describe, expect, it } from 'vitest';
import { divergingColour, divergingGradient, divergingRgba, FAVOURS_A, FAVOURS_B } from './diverging';

describe('diverging colour scale', () => {
  it('zero is transparent white, +1 is A\'s colour, −1 is B\'s, both opaque', () => {
    expect(divergingColour(0)).toEqual([255, 255, 255, 0]);
    expect(divergingColour(1)).toEqual([...FAVOURS_A, 255]);
    expect(divergingColour(-1)).toEqual([...FAVOURS_B, 255]);
  });

  it('clamps beyond ±1 and treats NaN as no preference', () => {
    expect(divergingColour(3)).toEqual(divergingColour(1));
    expect(divergingColour(-3)).toEqual(divergingColour(-1));
    expect(divergingColour(Number.NaN)).toEqual(divergingColour(0));
  });

  it('opacity grows with |t| on both sides equally', () => {
    for (const t of [0.1, 0.3, 0.6, 0.9]) {
      expect(divergingColour(t)[3]).toBe(divergingColour(-t)[3]);
      expect(divergingColour(t)[3]).toBeLessThan(divergingColour(Math.min(1, t + 0.1))[3]);
    }
  });

  it('maps values by ±scale; a zero scale draws nothing', () => {
    const rgba = divergingRgba(Float32Array.from([2, -2, 0]), 2);
    expect([...rgba.slice(0, 4)]).toEqual([...FAVOURS_A, 255]);
    expect([...rgba.slice(4, 8)]).toEqual([...FAVOURS_B, 255]);
    expect(rgba[11]).toBe(0);
    expect([...divergingRgba(Float32Array.from([5]), 0)]).toEqual([255, 255, 255, 0]);
  });

  it('the legend runs from B through white to A', () => {
    const css = divergingGradient(3);
    expect(css).toContain(`rgb(${FAVOURS_B.join(' ')}) 0%`);
    expect(css).toContain('rgb(255 255 255) 50%');
    expect(css).toContain(`rgb(${FAVOURS_A.join(' ')}) 100%`);
  });
});
