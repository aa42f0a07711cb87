import { describe, expect, it } from 'vitest';
import { decodeAvailability, isAvailable, pickAvailable } from './availability';

describe('model availability', () => {
  it('keeps well-formed entries and ignores the rest, so an unreadable entry leaves its model available', () => {
    const map = decodeAvailability({
      models: {
        a: { available: false, reason: 'not installed' },
        b: { available: true },
        c: { available: 'no' },
        d: null,
      },
    });
    expect(map).toEqual({ a: { available: false, reason: 'not installed' }, b: { available: true } });
    expect(['a', 'b', 'c', 'd', 'e'].filter((id) => isAvailable(map, id))).toEqual(['b', 'c', 'd', 'e']);
  });

  it('treats a file without a models object as "everything available"', () => {
    for (const json of [null, 42, [], { models: 'x' }]) expect(decodeAvailability(json)).toEqual({});
  });

  it('keeps the preferred model when available, else takes the first available one, else none', () => {
    const map = decodeAvailability({ models: { a: { available: false }, b: { available: false } } });
    expect(pickAvailable(map, ['a', 'b', 'c'], 'c')).toBe('c');
    expect(pickAvailable(map, ['a', 'b', 'c'], 'a')).toBe('c');
    expect(pickAvailable(map, ['a', 'b'], 'a')).toBeUndefined();
  });
});
