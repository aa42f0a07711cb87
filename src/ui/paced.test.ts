import { describe, expect, it } from 'vitest';
import { paced, type PaceTimers } from './paced';

/** A hand-driven clock: `advance` fires the timers that come due, in order. */
function fakeTimers() {
  let time = 0;
  let next = 0;
  const due = new Map<number, { at: number; callback: () => void }>();
  const timers: PaceTimers = {
    now: () => time,
    later: (callback, ms) => {
      due.set(++next, { at: time + ms, callback });
      return next;
    },
    clear: (handle) => due.delete(handle as number),
  };
  const advance = (ms: number) => {
    const end = time + ms;
    for (;;) {
      const first = [...due.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!first) break;
      due.delete(first[0]);
      time = first[1].at;
      first[1].callback();
    }
    time = end;
  };
  return { timers, advance, pending: () => due.size };
}

describe('paced', () => {
  it('runs the first request at once', () => {
    const { timers } = fakeTimers();
    let runs = 0;
    paced(() => runs++, 250, timers).request();
    expect(runs).toBe(1);
  });

  it('folds the requests inside an interval into one run when it ends', () => {
    const { timers, advance } = fakeTimers();
    const seen: number[] = [];
    let value = 0;
    const pace = paced(() => seen.push(value), 250, timers);
    pace.request();
    for (let frame = 1; frame <= 4; frame++) {
      advance(50);
      value = frame;
      pace.request();
    }
    expect(seen).toEqual([0]);
    advance(50);
    // The run at the end of the interval shows the latest value, not the first one folded in.
    expect(seen).toEqual([0, 4]);
  });

  it('at 20 requests a second runs 4 times a second, and the last request is never lost', () => {
    const { timers, advance } = fakeTimers();
    let runs = 0;
    let shown = -1;
    let value = 0;
    const pace = paced(
      () => {
        runs++;
        shown = value;
      },
      250,
      timers,
    );
    for (let frame = 0; frame < 20; frame++) {
      value = frame;
      pace.request();
      advance(50);
    }
    advance(1000);
    expect(runs).toBe(5);
    expect(shown).toBe(19);
  });

  it('a request after a quiet spell runs at once', () => {
    const { timers, advance } = fakeTimers();
    let runs = 0;
    const pace = paced(() => runs++, 250, timers);
    pace.request();
    advance(1000);
    pace.request();
    expect(runs).toBe(2);
  });

  it('cancel drops the waiting run', () => {
    const { timers, advance, pending } = fakeTimers();
    let runs = 0;
    const pace = paced(() => runs++, 250, timers);
    pace.request();
    pace.request();
    expect(pending()).toBe(1);
    pace.cancel();
    advance(1000);
    expect(runs).toBe(1);
    expect(pending()).toBe(0);
  });
});
