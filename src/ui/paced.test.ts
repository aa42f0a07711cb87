import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { paced } from './paced';

// Vitest's fake timers drive both setTimeout and performance.now.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('paced', () => {
  it('runs the first request at once', () => {
    let runs = 0;
    paced(() => runs++, 250).request();
    expect(runs).toBe(1);
  });

  it('folds the requests inside an interval into one run when it ends', () => {
    const seen: number[] = [];
    let value = 0;
    const pace = paced(() => seen.push(value), 250);
    pace.request();
    for (let frame = 1; frame <= 4; frame++) {
      vi.advanceTimersByTime(50);
      value = frame;
      pace.request();
    }
    expect(seen).toEqual([0]);
    vi.advanceTimersByTime(50);
    // The run at the end of the interval shows the latest value, not the first one folded in.
    expect(seen).toEqual([0, 4]);
  });

  it('at 20 requests a second runs 4 times a second, and the last request is never lost', () => {
    let runs = 0;
    let shown = -1;
    let value = 0;
    const pace = paced(() => {
      runs++;
      shown = value;
    }, 250);
    for (let frame = 0; frame < 20; frame++) {
      value = frame;
      pace.request();
      vi.advanceTimersByTime(50);
    }
    vi.advanceTimersByTime(1000);
    expect(runs).toBe(5);
    expect(shown).toBe(19);
  });

  it('a request after a quiet spell runs at once', () => {
    let runs = 0;
    const pace = paced(() => runs++, 250);
    pace.request();
    vi.advanceTimersByTime(1000);
    pace.request();
    expect(runs).toBe(2);
  });

  it('cancel drops the waiting run', () => {
    let runs = 0;
    const pace = paced(() => runs++, 250);
    pace.request();
    pace.request();
    expect(vi.getTimerCount()).toBe(1);
    pace.cancel();
    vi.advanceTimersByTime(1000);
    expect(runs).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
  });
});
