import { describe, expect, it } from 'vitest';
import { WorkerClockKeeper } from './worker-clock';

describe('WorkerClockKeeper', () => {
  it('counts the time with no request as idle, and sums the stages of the predictions', () => {
    let now = 100;
    const clock = new WorkerClockKeeper(() => now);
    now = 130;
    clock.started();
    now = 180;
    clock.predicted({ preprocessMs: 5, inferMs: 40, camMs: 3, totalMs: 48 });
    clock.ended();
    now = 200;
    expect(clock.read()).toEqual({ atMs: 200, idleMs: 50, predictions: 1, preprocessMs: 5, inferMs: 40, camMs: 3 });
  });

  it('a request arriving while another runs adds no idle time', () => {
    let now = 0;
    const clock = new WorkerClockKeeper(() => now);
    clock.started();
    now = 10;
    clock.started();
    clock.ended();
    now = 20;
    clock.ended();
    now = 25;
    clock.started();
    expect(clock.read().idleMs).toBe(5);
  });
});
