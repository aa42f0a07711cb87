/**
 * A diverging colour scale for signed maps ("why A and not B"): red where the evidence favours A,
 * blue where it favours B, and nothing (transparent white) where the two classes are on a par.
 * Red/blue are ColorBrewer RdBu's ends, distinguishable with the common colour-vision deficiencies.
 */
import { upsampleBilinear, type Map2D } from '../cam/cam';
import { signedPeaks, symmetricScale } from '../explain/contrast';
import { cropPointToPicture, type CropRect } from '../models/crop';

type Rgba = [number, number, number, number];

export const FAVOURS_A: readonly [number, number, number] = [178, 24, 43];
export const FAVOURS_B: readonly [number, number, number] = [33, 102, 172];

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/**
 * The colour of t in [−1, 1] (clamped): white blended towards A's colour (t > 0) or B's (t < 0), and
 * opacity, both growing with √|t| (so moderate preferences stay visible); 0 is fully transparent.
 */
export function divergingColour(t: number): Rgba {
  const s = clamp(Number.isFinite(t) ? t : 0, -1, 1);
  const end = s >= 0 ? FAVOURS_A : FAVOURS_B;
  const m = Math.sqrt(Math.abs(s));
  const mix = (c: number) => Math.round(255 + (c - 255) * m);
  return [mix(end[0]), mix(end[1]), mix(end[2]), Math.round(m * 255)];
}

/** A signed map as RGBA pixels, with ±`scale` at the two ends of the scale (a scale ≤ 0 gives all transparent). */
export function divergingRgba(values: Float32Array, scale: number): Uint8ClampedArray<ArrayBuffer> {
  const rgba = new Uint8ClampedArray(values.length * 4);
  for (let i = 0; i < values.length; i++) rgba.set(divergingColour(scale > 0 ? values[i] / scale : 0), i * 4);
  return rgba;
}

/** CSS gradient for the legend: B's colour on the left, white in the middle, A's on the right. */
export function divergingGradient(stops = 9): string {
  const parts = Array.from({ length: stops }, (_, i) => {
    const t = (i / (stops - 1)) * 2 - 1;
    const [r, g, b] = divergingColour(t);
    return `rgb(${r} ${g} ${b}) ${Math.round((i / (stops - 1)) * 100)}%`;
  });
  return `linear-gradient(to right, ${parts.join(', ')})`;
}

/** Drawn over the photo at this opacity: the map's own transparency already leaves the photo visible where neither class is favoured. */
export const CONTRAST_OPACITY = 0.9;

/** Resolution at which the feature-grid map is upsampled before colouring (as the heatmap's). */
const CONTRAST_SIDE = 224;

export interface ContrastImage {
  image: ImageData;
  /** Where the evidence favours A most / B most, in 0–1 coordinates of the whole picture. */
  peakA: { x: number; y: number };
  peakB: { x: number; y: number };
}

/** A raw signed A − B map → upsampled, coloured pixels for the crop region, and both peaks in the picture. */
export function contrastImage(map: Map2D, crop: CropRect, picture: { width: number; height: number }): ContrastImage {
  const smooth = upsampleBilinear(map, CONTRAST_SIDE, CONTRAST_SIDE);
  const peaks = signedPeaks(smooth);
  return {
    image: new ImageData(divergingRgba(smooth.data, symmetricScale(smooth)), CONTRAST_SIDE, CONTRAST_SIDE),
    peakA: cropPointToPicture(peaks.a, crop, picture),
    peakB: cropPointToPicture(peaks.b, crop, picture),
  };
}
