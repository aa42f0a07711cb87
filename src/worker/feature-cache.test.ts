import { describe, expect, it } from 'vitest';
import type { FeatureMap } from '../cam/cam';
import { FeatureCache } from './feature-cache';

/** A feature map of `bytes` bytes (float32, so bytes/4 values). */
const entry = (bytes: number, fill = 0): FeatureMap => ({
  data: new Float32Array(bytes / 4).fill(fill),
  height: 1,
  width: 1,
  channels: bytes / 4,
});

const keys = (cache: FeatureCache, candidates: string[]) => candidates.filter((k) => cache.get(k) !== undefined);

describe('FeatureCache (LRU bounded by bytes)', () => {
  it('stores and returns the same object', () => {
    const cache = new FeatureCache(1000);
    const a = entry(40, 1);
    cache.set('a', a);
    expect(cache.get('a')).toBe(a);
    expect(cache.get('missing')).toBeUndefined();
    expect(cache.size).toBe(1);
  });

  it('evicts the least recently set entry first when over the cap', () => {
    const cache = new FeatureCache(100);
    cache.set('a', entry(40));
    cache.set('b', entry(40));
    expect(cache.size).toBe(2);
    cache.set('c', entry(40)); // 120 > 100 → a goes
    expect(cache.size).toBe(2);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toBeDefined();
    expect(cache.get('c')).toBeDefined();
  });

  it('evicts as many old entries as needed, oldest first', () => {
    const cache = new FeatureCache(100);
    for (const k of ['a', 'b', 'c', 'd']) cache.set(k, entry(20)); // 80
    cache.set('e', entry(60)); // 140 → drop a (120), b (100)
    expect(keys(cache, ['a', 'b', 'c', 'd', 'e'])).toEqual(['c', 'd', 'e']);
  });

  it('keeps entries while the total is exactly at the cap', () => {
    const cache = new FeatureCache(100);
    cache.set('a', entry(60));
    cache.set('b', entry(40));
    expect(cache.size).toBe(2);
  });

  it('get refreshes recency, so the other entry is evicted', () => {
    const cache = new FeatureCache(100);
    cache.set('a', entry(40));
    cache.set('b', entry(40));
    expect(cache.get('a')).toBeDefined(); // a is now most recent
    cache.set('c', entry(40));
    expect(cache.get('b')).toBeUndefined();
    expect(keys(cache, ['a', 'c'])).toEqual(['a', 'c']);
  });

  it('setting an existing key replaces it without double-counting its bytes and makes it most recent', () => {
    const cache = new FeatureCache(100);
    cache.set('a', entry(40, 1));
    cache.set('b', entry(40));
    const newer = entry(40, 2);
    cache.set('a', newer); // still 80 bytes; order b, a
    expect(cache.size).toBe(2);
    expect(cache.get('a')).toBe(newer);
    cache.set('c', entry(20)); // 100: nothing evicted
    expect(cache.size).toBe(3);
    cache.set('d', entry(20)); // 120: oldest (b) goes
    expect(keys(cache, ['a', 'b', 'c', 'd'])).toEqual(['a', 'c', 'd']);
  });

  it('keeps a single entry larger than the cap (evicting everything else)', () => {
    const cache = new FeatureCache(100);
    cache.set('a', entry(40));
    cache.set('b', entry(40));
    const big = entry(400);
    cache.set('big', big);
    expect(cache.size).toBe(1);
    expect(cache.get('big')).toBe(big);
    // The next entry pushes the oversize one out.
    cache.set('c', entry(40));
    expect(keys(cache, ['big', 'c'])).toEqual(['c']);
  });

  it('delete removes an entry and frees its bytes; deleting a missing key is a no-op', () => {
    const cache = new FeatureCache(100);
    cache.set('a', entry(40));
    cache.set('b', entry(40));
    cache.delete('a');
    cache.delete('nope');
    expect(cache.size).toBe(1);
    expect(cache.get('a')).toBeUndefined();
    cache.set('c', entry(60)); // 40 + 60 = 100: fits only if a's bytes were freed
    expect(keys(cache, ['b', 'c'])).toEqual(['b', 'c']);
  });

  it('clear empties the cache and resets the byte count', () => {
    const cache = new FeatureCache(100);
    cache.set('a', entry(60));
    cache.set('b', entry(40));
    cache.clear();
    expect(cache.size).toBe(0);
    expect(cache.get('a')).toBeUndefined();
    cache.set('x', entry(80));
    cache.set('y', entry(20));
    expect(keys(cache, ['x', 'y'])).toEqual(['x', 'y']);
  });

  it('a ResNet-50 sized map (7·7·2048 floats = 401,408 bytes) counts its real size', () => {
    const cache = new FeatureCache(2 * 401_408);
    const resnet = (): FeatureMap => ({ data: new Float32Array(7 * 7 * 2048), height: 7, width: 7, channels: 2048 });
    cache.set('p1', resnet());
    cache.set('p2', resnet());
    expect(cache.size).toBe(2);
    cache.set('p3', resnet());
    expect(keys(cache, ['p1', 'p2', 'p3'])).toEqual(['p2', 'p3']);
  });
});
