/**
 * "Why A and not B": the map of the score difference A − B (CAM: the difference of the two classes'
 * classifier weights; Grad-CAM: the gradient of the logit difference). The map keeps its sign:
 * positive where the evidence favours A, negative where it favours B.
 */
import { peakOf, type ClassMix, type Map2D } from '../cam/cam';

/** The mix whose map is "A and not B". */
export function contrastMix(a: number, b: number): ClassMix {
  return [
    { classIndex: a, weight: 1 },
    { classIndex: b, weight: -1 },
  ];
}

export function negateMap(map: Map2D): Map2D {
  return { width: map.width, height: map.height, data: map.data.map((v) => -v) };
}

export interface SignedPeak {
  /** 0–1 coordinates of the map (centre of the cell). */
  x: number;
  y: number;
  /** How strongly the evidence favours that side there (≥ 0 when it does at all). */
  strength: number;
}

/**
 * Where a signed map favours A most (its maximum) and B most (its minimum). B's peak is found as A's
 * peak of the negated map, so swapping A and B swaps the two peaks exactly (ties included).
 */
export function signedPeaks(map: Map2D): { a: SignedPeak; b: SignedPeak } {
  const a = peakOf(map);
  const b = peakOf(negateMap(map));
  return { a: { x: a.x, y: a.y, strength: a.value }, b: { x: b.x, y: b.y, strength: b.value } };
}

/** The largest |value| of a map: the colour scale is symmetric around zero so white always means "no preference". */
export function symmetricScale(map: Map2D): number {
  let max = 0;
  for (const v of map.data) max = Math.max(max, Math.abs(v));
  return max;
}
