/**
 * The faithfulness check (Petsiuk et al. 2018, "RISE", deletion and insertion metrics), pure parts.
 *
 * The model's input crop is cut into CELLS × CELLS square cells, ordered by the heatmap (upsampled to
 * the input, averaged per cell; hottest first) or at random (seeded). Deletion: in `steps` steps the
 * cells are replaced by mid-grey in that order and the class probability is measured after each step.
 * Insertion: starting from a blurred copy of the crop, the cells are revealed (sharp again) in that
 * order. A map that points at what the model really uses makes the deletion curve fall fast (small
 * area under it) and the insertion curve rise fast (large area).
 */
import { upsampleBilinear, type Map2D } from '../cam/cam';
import type { CamMethod } from '../cam/types';
import { seededRandom } from './random';

export type OrderSource = CamMethod | 'random';
export type CurveKind = 'deletion' | 'insertion';

export interface Curve {
  source: OrderSource;
  kind: CurveKind;
  /** Class probability after step 0…steps (steps + 1 values). */
  probs: number[];
}

export interface FaithfulnessCurves {
  classIndex: number;
  steps: number;
  /** Cells per side of the grid the crop is cut into. */
  cells: number;
  seed: number;
  curves: Curve[];
}

export const FAITHFULNESS_STEPS = 16;
export const FAITHFULNESS_CELLS = 28;
export const FAITHFULNESS_SEED = 2018;
/** Removed cells become this grey (0–255), the same in R, G and B. */
export const DELETION_GREY = 128;
/** Gaussian blur of the insertion start image, in pixels of a 224-px input (as RISE: σ = 5). */
export const INSERTION_BLUR_SIGMA = 5;
export const SOURCES: readonly OrderSource[] = ['cam', 'gradcam', 'random'];
export const KINDS: readonly CurveKind[] = ['deletion', 'insertion'];

/** The heat of each cell: the map upsampled (bilinear) to the input size, averaged over each cell. Row-major, cells². */
export function cellHeat(map: Map2D, cells: number, size: number): Float32Array {
  const full = upsampleBilinear(map, size, size);
  const sums = new Float32Array(cells * cells);
  const counts = new Float32Array(cells * cells);
  for (let y = 0; y < size; y++) {
    const row = Math.floor((y * cells) / size) * cells;
    for (let x = 0; x < size; x++) {
      const cell = row + Math.floor((x * cells) / size);
      sums[cell] += full.data[y * size + x];
      counts[cell]++;
    }
  }
  return sums.map((sum, i) => (counts[i] > 0 ? sum / counts[i] : 0));
}

/** Cell indices from the hottest to the coldest; equal heat keeps the lower index first. */
export function heatOrder(heat: Float32Array): Int32Array {
  return Int32Array.from(heat.keys()).sort((a, b) => heat[b] - heat[a] || a - b);
}

/** A seeded random permutation of 0…n−1 (Fisher–Yates). */
export function randomOrder(n: number, seed: number): Int32Array {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const next = seededRandom(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

/** How many of n cells are removed (deletion) or revealed (insertion) after `step` of `steps`. */
export function cellsAtStep(step: number, steps: number, n: number): number {
  return Math.round((step * n) / steps);
}

/**
 * One step's image (size² × 3, RGB 0–255): the first `count` cells of `order` come from `flagged`, all
 * other pixels from `rest`. Deletion: flagged = grey, rest = the crop; insertion: flagged = the crop, rest = blurred.
 */
export function composeStep(order: Int32Array, count: number, cells: number, size: number, flagged: Float32Array, rest: Float32Array): Float32Array {
  const isFlagged = new Uint8Array(cells * cells);
  for (let i = 0; i < count; i++) isFlagged[order[i]] = 1;
  const out = new Float32Array(size * size * 3);
  for (let y = 0; y < size; y++) {
    const row = Math.floor((y * cells) / size) * cells;
    for (let x = 0; x < size; x++) {
      const source = isFlagged[row + Math.floor((x * cells) / size)] ? flagged : rest;
      const p = (y * size + x) * 3;
      out[p] = source[p];
      out[p + 1] = source[p + 1];
      out[p + 2] = source[p + 2];
    }
  }
  return out;
}

/** A flat image of one grey level. */
export function greyImage(size: number, level = DELETION_GREY): Float32Array {
  return new Float32Array(size * size * 3).fill(level);
}

/** Separable Gaussian blur of an RGB image (size² × 3), edges clamped; the kernel reaches 3σ. */
export function gaussianBlur(pixels: Float32Array, size: number, sigma: number): Float32Array {
  const radius = Math.max(1, Math.ceil(3 * sigma));
  const kernel = Float32Array.from({ length: 2 * radius + 1 }, (_, i) => Math.exp(-((i - radius) ** 2) / (2 * sigma * sigma)));
  const total = kernel.reduce((a, b) => a + b, 0);
  for (let i = 0; i < kernel.length; i++) kernel[i] /= total;
  const pass = (input: Float32Array, horizontal: boolean) => {
    const out = new Float32Array(input.length);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        for (let c = 0; c < 3; c++) {
          let sum = 0;
          for (let k = -radius; k <= radius; k++) {
            const xx = horizontal ? Math.min(size - 1, Math.max(0, x + k)) : x;
            const yy = horizontal ? y : Math.min(size - 1, Math.max(0, y + k));
            sum += input[(yy * size + xx) * 3 + c] * kernel[k + radius];
          }
          out[(y * size + x) * 3 + c] = sum;
        }
      }
    }
    return out;
  };
  return pass(pass(pixels, true), false);
}

/** One image the model must see: curves share their end points (the crop itself, all grey, all blurred). */
export interface PlannedImage {
  key: string;
  source: OrderSource;
  kind: CurveKind;
  step: number;
}

/** Which image a curve's step shows; the same key means the same image. */
export function imageKey(source: OrderSource, kind: CurveKind, step: number, steps: number): string {
  if (kind === 'deletion' && step === 0) return 'original';
  if (kind === 'deletion' && step === steps) return 'grey';
  if (kind === 'insertion' && step === 0) return 'blurred';
  if (kind === 'insertion' && step === steps) return 'original';
  return `${source}:${kind}:${step}`;
}

/** Every distinct image of all curves, each once, in the order they are first needed. */
export function planImages(steps: number, sources: readonly OrderSource[] = SOURCES): PlannedImage[] {
  const planned = new Map<string, PlannedImage>();
  for (const source of sources) {
    for (const kind of KINDS) {
      for (let step = 0; step <= steps; step++) {
        const key = imageKey(source, kind, step, steps);
        if (!planned.has(key)) planned.set(key, { key, source, kind, step });
      }
    }
  }
  return [...planned.values()];
}

/** The curves from the probability measured for each planned image (by key). */
export function assembleCurves(steps: number, probOf: ReadonlyMap<string, number>, sources: readonly OrderSource[] = SOURCES): Curve[] {
  return sources.flatMap((source) =>
    KINDS.map((kind) => ({
      source,
      kind,
      probs: Array.from({ length: steps + 1 }, (_, step) => {
        const prob = probOf.get(imageKey(source, kind, step, steps));
        if (prob === undefined) throw new Error(`No probability was measured for ${source} ${kind} step ${step}`);
        return prob;
      }),
    })),
  );
}

/** Area under a curve sampled at equal steps over the fraction 0…1 (trapezoid rule). */
export function trapezoidAuc(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const dx = 1 / (values.length - 1);
  let area = 0;
  for (let i = 1; i < values.length; i++) area += ((values[i - 1] + values[i]) / 2) * dx;
  return area;
}

export function curveOf(result: FaithfulnessCurves, source: OrderSource, kind: CurveKind): Curve {
  const curve = result.curves.find((c) => c.source === source && c.kind === kind);
  if (!curve) throw new Error(`The check has no ${source} ${kind} curve`);
  return curve;
}

export function aucOf(result: FaithfulnessCurves, source: OrderSource, kind: CurveKind): number {
  return trapezoidAuc(curveOf(result, source, kind).probs);
}

/** The curves as CSV: one row per step of each curve (steps + 1 rows per curve). */
export function curvesCsv(result: FaithfulnessCurves, className: string): string {
  const lines = ['class_index,class,order,curve,step,fraction,probability'];
  const name = /[",\n]/.test(className) ? `"${className.replace(/"/g, '""')}"` : className;
  for (const curve of result.curves) {
    curve.probs.forEach((prob, step) => {
      lines.push([result.classIndex, name, curve.source, curve.kind, step, (step / result.steps).toFixed(4), prob.toFixed(6)].join(','));
    });
  }
  return `${lines.join('\n')}\n`;
}
