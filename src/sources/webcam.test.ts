import { describe, expect, it } from 'vitest';
import { defaultFacing, videoConstraints } from './webcam';

describe('defaultFacing', () => {
  it('uses the back camera on a phone (the browser says mobile)', () => {
    expect(defaultFacing({ mobile: true, maxTouchPoints: 5, coarsePointer: true })).toBe('environment');
  });

  it('uses the back camera on a tablet that does not say mobile (iPadOS reports a Mac) but is touch-first', () => {
    expect(defaultFacing({ mobile: false, maxTouchPoints: 5, coarsePointer: true })).toBe('environment');
  });

  it('uses the front camera on a laptop, with or without a touch screen', () => {
    expect(defaultFacing({ mobile: false, maxTouchPoints: 0, coarsePointer: false })).toBe('user');
    expect(defaultFacing({ mobile: false, maxTouchPoints: 10, coarsePointer: false })).toBe('user');
  });
});

describe('videoConstraints', () => {
  it('asks for a side as a preference, so a device with one camera still opens it', () => {
    expect(videoConstraints({ facing: 'environment' }).facingMode).toEqual({ ideal: 'environment' });
    expect(videoConstraints({ facing: 'user' }).facingMode).toEqual({ ideal: 'user' });
  });

  it('asks for a listed camera exactly, without a side', () => {
    const constraints = videoConstraints({ deviceId: 'abc' });
    expect(constraints.deviceId).toEqual({ exact: 'abc' });
    expect(constraints.facingMode).toBeUndefined();
  });
});
