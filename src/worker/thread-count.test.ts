import { describe, expect, it } from 'vitest';
import { threadCount, threadsLabel, wantedThreads } from './thread-count';

describe('wantedThreads (the automatic choice)', () => {
  it('half the logical cores, as the WASM backend itself would choose', () => {
    expect(wantedThreads(2)).toBe(1);
    expect(wantedThreads(4)).toBe(2);
    expect(wantedThreads(8)).toBe(4);
    expect(wantedThreads(12)).toBe(6);
  });

  it('at least one, at most 8 (the backend’s pool of workers)', () => {
    expect(wantedThreads(1)).toBe(1);
    expect(wantedThreads(0)).toBe(1);
    expect(wantedThreads(Number.NaN)).toBe(1);
    expect(wantedThreads(64)).toBe(8);
  });
});

describe('threadCount (the Settings choice)', () => {
  it('0 (or nonsense) is the automatic choice', () => {
    expect(threadCount(0, 8)).toBe(4);
    expect(threadCount(-1, 8)).toBe(4);
    expect(threadCount(Number.NaN, 2)).toBe(1);
  });

  it('a chosen count is kept, within 1–8, even above the automatic one', () => {
    expect(threadCount(2, 2)).toBe(2);
    expect(threadCount(1, 16)).toBe(1);
    expect(threadCount(3.7, 4)).toBe(3);
    expect(threadCount(20, 4)).toBe(8);
  });

  it('names a count as Settings and the backend reason show it', () => {
    expect(threadsLabel(1)).toBe('1 thread');
    expect(threadsLabel(2)).toBe('2 threads');
  });
});
