import { describe, expect, it } from 'vitest';
import { InferencePace } from './pace';

/** A pace that has seen frames every `frameMs` and one frame take `serviceMs` (handed over at 0), now at `serviceMs`. */
function learnt(frameMs: number, serviceMs: number): InferencePace {
  const pace = new InferencePace();
  pace.framePresented(-frameMs);
  pace.framePresented(0);
  pace.handedOver(0);
  pace.finished(serviceMs);
  return pace;
}

describe('InferencePace', () => {
  it('hands ahead only once the worker is due to be free before the next frame', () => {
    // Frames every 33 ms, 50 ms a frame; the next frame goes to the worker at 100.
    const pace = learnt(33, 50);
    pace.handedOver(100);
    expect(pace.handAhead(110)).toBe(false); // free in 40 ms: another frame comes first
    expect(pace.handAhead(117)).toBe(false); // free in 33 ms
    expect(pace.handAhead(118)).toBe(true); // free in 32 ms: this is the picture it would get
    expect(pace.handAhead(149)).toBe(true);
  });

  it('never before both rates are known, nor with two frames in flight', () => {
    const fresh = new InferencePace();
    fresh.handedOver(0);
    expect(fresh.handAhead(1000)).toBe(false);

    const noFrames = new InferencePace();
    noFrames.handedOver(0);
    noFrames.finished(50);
    noFrames.handedOver(60);
    expect(noFrames.handAhead(109)).toBe(false);

    const pace = learnt(33, 50);
    expect(pace.handAhead(60)).toBe(false); // nothing in flight: the loop hands over anyway
    pace.handedOver(60);
    pace.handedOver(95);
    expect(pace.handAhead(105)).toBe(false);
  });

  it('times a frame handed ahead from when the one before it finished, not from its hand-over', () => {
    const pace = learnt(33, 50);
    pace.handedOver(100); // worker starts at 100
    pace.handedOver(130); // waits in the worker until 150
    pace.finished(150);
    // The second frame started at 150, not 130: at 170 it is due at 200, 30 ms away.
    expect(pace.handAhead(166)).toBe(false);
    expect(pace.handAhead(170)).toBe(true);
    pace.finished(200);
    // Both took 50 ms: the average stays 50.
    pace.handedOver(210);
    expect(pace.handAhead(226)).toBe(false);
    expect(pace.handAhead(228)).toBe(true);
  });

  it('follows a slower worker as frames come back', () => {
    const pace = learnt(33, 50);
    let t = 50;
    for (let i = 0; i < 20; i++) {
      pace.handedOver(t);
      t += 200;
      pace.finished(t);
    }
    pace.handedOver(t);
    expect(pace.handAhead(t + 160)).toBe(false);
    expect(pace.handAhead(t + 175)).toBe(true);
  });

  it('does not learn from a frame in flight at a reset', () => {
    const pace = learnt(33, 50);
    pace.handedOver(60);
    pace.reset();
    pace.finished(400);
    pace.framePresented(410);
    pace.framePresented(443);
    pace.handedOver(443);
    expect(pace.handAhead(480)).toBe(false);
    pace.finished(490);
    pace.handedOver(500);
    expect(pace.handAhead(514)).toBe(false); // 47 ms a frame now: due at 547, a frame every 33 ms
    expect(pace.handAhead(515)).toBe(true);
  });

  it('does not take a pause for the frame rate, and forgets both rates on reset', () => {
    const pace = learnt(33, 50);
    pace.framePresented(5000); // after a pause
    pace.handedOver(5000);
    expect(pace.handAhead(5017)).toBe(false);
    expect(pace.handAhead(5018)).toBe(true);
    pace.finished(5050);
    pace.reset();
    pace.handedOver(5060);
    expect(pace.handAhead(5105)).toBe(false);
  });
});
