/**
 * Keeps the live overlay true to both its inputs: a new live frame, or a change of how heatmaps look
 * (colormap, opacity, view) — so a paused video's overlay follows the controls. Draws at most once per
 * animation frame, always the latest frame with the latest look.
 */
import type { ColormapId } from '../render/colormap';
import type { HeatmapView } from '../store/settings';
import type { LiveFrame } from './live-bus';

export interface OverlayLook {
  colormap: ColormapId;
  opacity: number;
  view: HeatmapView;
}

export interface OverlayInputs {
  /** Live frames (calls back at once with the latest, like the live bus). */
  subscribeFrames(listener: (frame: LiveFrame | null) => void): () => void;
  look(): OverlayLook;
  /** Calls back when the look may have changed. */
  subscribeLook(listener: () => void): () => void;
  schedule?: (callback: () => void) => number;
  cancel?: (handle: number) => void;
}

/** Starts painting with `draw`; returns the function that stops it. */
export function paintOverlay(inputs: OverlayInputs, draw: (frame: LiveFrame | null, look: OverlayLook) => void): () => void {
  const schedule = inputs.schedule ?? requestAnimationFrame;
  const cancel = inputs.cancel ?? cancelAnimationFrame;
  let frame: LiveFrame | null = null;
  let pending: number | null = null;
  const request = () => {
    if (pending !== null) return;
    pending = schedule(() => {
      pending = null;
      draw(frame, inputs.look());
    });
  };
  const stopFrames = inputs.subscribeFrames((next) => {
    frame = next;
    request();
  });
  let shown = inputs.look();
  const stopLook = inputs.subscribeLook(() => {
    const look = inputs.look();
    if (look.colormap === shown.colormap && look.opacity === shown.opacity && look.view === shown.view) return;
    shown = look;
    request();
  });
  return () => {
    stopFrames();
    stopLook();
    if (pending !== null) cancel(pending);
    pending = null;
  };
}
