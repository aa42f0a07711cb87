import { describe, expect, it } from 'vitest';
import type { LiveFrame } from './live-bus';
import { paintOverlay, type OverlayLook } from './overlay-painter';

function frame(classIndex: number): LiveFrame {
  return {
    top: [{ index: classIndex, prob: 0.9 }],
    probs: new Float32Array(1000),
    heatmap: { data: new Float32Array(4), width: 2, height: 2 },
    classIndex,
    crop: { x: 0, y: 0, width: 10, height: 10 },
    videoWidth: 10,
    videoHeight: 10,
    mediaTime: 0,
  };
}

/** The painter's inputs, driven by the test: frames, a look the test changes, and animation frames it runs. */
function harness() {
  let frameListener: (f: LiveFrame | null) => void = () => undefined;
  const lookListeners = new Set<() => void>();
  let look: OverlayLook = { colormap: 'jet', opacity: 0.5, view: 'overlay' };
  const queued = new Map<number, () => void>();
  let handle = 0;
  const draws: { frame: LiveFrame | null; look: OverlayLook }[] = [];
  const stop = paintOverlay(
    {
      subscribeFrames: (listener) => {
        frameListener = listener;
        listener(null);
        return () => (frameListener = () => undefined);
      },
      look: () => look,
      subscribeLook: (listener) => {
        lookListeners.add(listener);
        return () => lookListeners.delete(listener);
      },
      schedule: (callback) => {
        queued.set(++handle, callback);
        return handle;
      },
      cancel: (h) => queued.delete(h),
    },
    (f, l) => draws.push({ frame: f, look: l }),
  );
  return {
    draws,
    stop,
    publish: (f: LiveFrame | null) => frameListener(f),
    setLook: (patch: Partial<OverlayLook>) => {
      look = { ...look, ...patch };
      for (const listener of lookListeners) listener();
    },
    /** Runs the animation frames requested so far. */
    animate: () => {
      const callbacks = [...queued.values()];
      queued.clear();
      for (const callback of callbacks) callback();
    },
  };
}

describe('paintOverlay', () => {
  it('redraws the last frame when the colormap, opacity or view changes (a paused video follows the controls)', () => {
    const h = harness();
    h.publish(frame(263));
    h.animate();
    expect(h.draws).toHaveLength(1);
    h.setLook({ colormap: 'viridis' });
    h.animate();
    h.setLook({ opacity: 0.9 });
    h.animate();
    h.setLook({ view: 'photo' });
    h.animate();
    expect(h.draws.map((d) => [d.frame?.classIndex, d.look.colormap, d.look.opacity, d.look.view])).toEqual([
      [263, 'jet', 0.5, 'overlay'],
      [263, 'viridis', 0.5, 'overlay'],
      [263, 'viridis', 0.9, 'overlay'],
      [263, 'viridis', 0.9, 'photo'],
    ]);
  });

  it('does not redraw for store changes that leave the look as it was', () => {
    const h = harness();
    h.publish(frame(1));
    h.animate();
    h.setLook({});
    h.animate();
    expect(h.draws).toHaveLength(1);
  });

  it('draws once per animation frame, with the newest frame and look', () => {
    const h = harness();
    h.publish(frame(1));
    h.publish(frame(2));
    h.setLook({ colormap: 'turbo' });
    h.publish(frame(3));
    h.animate();
    expect(h.draws).toEqual([{ frame: frame(3), look: { colormap: 'turbo', opacity: 0.5, view: 'overlay' } }]);
  });

  it('stops drawing when stopped, including a draw already requested', () => {
    const h = harness();
    h.publish(frame(1));
    h.stop();
    h.animate();
    h.setLook({ colormap: 'viridis' });
    h.publish(frame(2));
    h.animate();
    expect(h.draws).toEqual([]);
  });
});
