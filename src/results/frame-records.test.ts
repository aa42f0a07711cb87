import { describe, expect, it } from 'vitest';
import type { ClassScore } from '../models/topk';
import { FrameRecords } from './frame-records';

const MODELS = ['MobileNet v1 0.75', 'ResNet-50'];

/** k classes for frame `n`: indices and probabilities that differ per frame (exact in float32). */
function topFor(n: number, k = 3): ClassScore[] {
  return Array.from({ length: k }, (_, i) => ({ index: (n * 7 + i) % 1000, prob: 1 / 2 ** (i + 1) }));
}

describe('FrameRecords', () => {
  it('gives back each frame as a row: source, model name, time and top classes, oldest first', () => {
    const records = new FrameRecords(10, 3);
    records.push(0.04, topFor(1), 0);
    records.push(3600.0333333, topFor(2), 1);
    expect(records.length).toBe(2);
    expect(records.toRows('kitchen.mp4', MODELS)).toEqual([
      { source: 'kitchen.mp4', model: 'MobileNet v1 0.75', time: 0.04, top: topFor(1) },
      { source: 'kitchen.mp4', model: 'ResNet-50', time: 3600.0333333, top: topFor(2) },
    ]);
  });

  it('keeps at most k classes, and only those a frame had', () => {
    const records = new FrameRecords(4, 3);
    records.push(1, topFor(1, 5), 0);
    records.push(2, topFor(2, 1), 0);
    records.push(3, [], 0);
    expect(records.toRows('webcam', MODELS).map((row) => row.top)).toEqual([topFor(1, 3), topFor(2, 1), []]);
  });

  it('stores probabilities as float32', () => {
    const records = new FrameRecords(1, 1);
    records.push(0, [{ index: 5, prob: 0.1 }], 0);
    expect(records.toRows('x', MODELS)[0].top[0].prob).toBe(Math.fround(0.1));
  });

  it('names a frame of an unknown model with an empty string', () => {
    const records = new FrameRecords(2, 1);
    records.push(0, topFor(0, 1), -1);
    records.push(1, topFor(1, 1), 7);
    expect(records.toRows('x', MODELS).map((row) => row.model)).toEqual(['', '']);
  });

  it('when full, drops the oldest frames and keeps the newest `capacity`, in order', () => {
    const records = new FrameRecords(4, 2);
    for (let n = 0; n < 10; n++) records.push(n / 10, topFor(n, 2), n % 2);
    expect(records.length).toBe(4);
    const rows = records.toRows('x', MODELS);
    expect(rows.map((row) => row.time)).toEqual([0.6, 0.7, 0.8, 0.9]);
    expect(rows.map((row) => row.top)).toEqual([6, 7, 8, 9].map((n) => topFor(n, 2)));
    expect(rows.map((row) => row.model)).toEqual([MODELS[0], MODELS[1], MODELS[0], MODELS[1]]);
  });

  it('a recycled slot does not keep classes of the frame it replaced', () => {
    const records = new FrameRecords(2, 3);
    records.push(0, topFor(0, 3), 0);
    records.push(1, topFor(1, 3), 0);
    records.push(2, topFor(2, 1), 0);
    expect(records.toRows('x', MODELS).map((row) => row.top)).toEqual([topFor(1, 3), topFor(2, 1)]);
  });

  it('an hour of 30 fps video stays within capacity', () => {
    const capacity = 1000;
    const records = new FrameRecords(capacity, 5);
    const frames = 3600 * 30;
    for (let n = 0; n < frames; n++) records.push(n / 30, topFor(n, 5), 0);
    expect(records.length).toBe(capacity);
    const rows = records.toRows('x', MODELS);
    expect(rows).toHaveLength(capacity);
    expect(rows[0].time).toBe((frames - capacity) / 30);
    expect(rows.at(-1)?.time).toBe((frames - 1) / 30);
  });

  it('clear() empties it; frames pushed afterwards start a new list', () => {
    const records = new FrameRecords(3, 1);
    for (let n = 0; n < 5; n++) records.push(n, topFor(n, 1), 0);
    records.clear();
    expect(records.length).toBe(0);
    expect(records.toRows('x', MODELS)).toEqual([]);
    records.push(42, topFor(42, 1), 1);
    expect(records.toRows('x', MODELS)).toEqual([{ source: 'x', model: MODELS[1], time: 42, top: topFor(42, 1) }]);
  });
});
