/** Measures on raw RGB pixels (rgb24, row by row), e.g. frames of a rendered video. */

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Mean absolute difference per channel (0–255) of two RGB images of the same size, optionally in a region. */
export function meanAbsDiff(a: Buffer, b: Buffer, width: number, region?: Rect): number {
  if (a.length !== b.length) throw new Error(`images differ in size (${a.length} vs ${b.length} bytes)`);
  const height = a.length / 3 / width;
  const r = region ?? { x: 0, y: 0, width, height };
  let sum = 0;
  for (let y = r.y; y < r.y + r.height; y++) {
    for (let x = r.x; x < r.x + r.width; x++) {
      const i = (y * width + x) * 3;
      sum += Math.abs(a[i] - b[i]) + Math.abs(a[i + 1] - b[i + 1]) + Math.abs(a[i + 2] - b[i + 2]);
    }
  }
  return sum / (r.width * r.height * 3);
}

/**
 * Share of pixels in `region` whose colour is strongly red or strongly blue — a jet-coloured heatmap
 * (blue for cold, red for hot) blended over a photo. A pixel counts when one of red/blue exceeds both
 * other channels by `margin`.
 */
export function heatColourShare(rgb: Buffer, width: number, region: Rect, margin = 60): { red: number; blue: number; either: number } {
  let red = 0;
  let blue = 0;
  for (let y = region.y; y < region.y + region.height; y++) {
    for (let x = region.x; x < region.x + region.width; x++) {
      const i = (y * width + x) * 3;
      const [r, g, b] = [rgb[i], rgb[i + 1], rgb[i + 2]];
      if (r - Math.max(g, b) >= margin) red++;
      else if (b - Math.max(r, g) >= margin) blue++;
    }
  }
  const n = region.width * region.height;
  return { red: red / n, blue: blue / n, either: (red + blue) / n };
}

/** The frame most like `picture` (all RGB, same size), how far it is, and how far the next best is. */
export function nearestFrame(frames: Buffer[], picture: Buffer, width: number): { index: number; diff: number; runnerUp: number; picture: Buffer } {
  const ranked = frames.map((frame, index) => ({ index, diff: meanAbsDiff(frame, picture, width) })).sort((a, b) => a.diff - b.diff);
  return { index: ranked[0].index, diff: ranked[0].diff, runnerUp: ranked[1]?.diff ?? Infinity, picture };
}
