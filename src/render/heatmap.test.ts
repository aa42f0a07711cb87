import { describe, expect, it } from 'vitest';
import { smoothingFor } from './heatmap';

describe('smoothingFor', () => {
  const map = { width: 224, height: 224 };
  it('enlarges the already smooth map bilinearly', () => {
    expect(smoothingFor(map, 224, 224)).toBe('low');
    expect(smoothingFor(map, 354, 354)).toBe('low');
  });
  it('shrinks it with the high-quality filter, against aliasing', () => {
    expect(smoothingFor(map, 223, 400)).toBe('high');
    expect(smoothingFor(map, 400, 120)).toBe('high');
  });
});
