/**
 * Class activation maps (Zhou et al. 2016) from a feature map A (H×W×K, channels last) and a linear
 * classifier after global average pooling with weights W (K×C): M_c(y, x) = Σ_k W[k, c] · A[y, x, k].
 * Pure array math, so switching the explained class never runs the model again.
 */

export interface FeatureMap {
  data: Float32Array;
  height: number;
  width: number;
  channels: number;
}

export interface ClassifierWeights {
  /** Row-major K×C kernel (K = feature channels, C = classes). */
  kernel: Float32Array;
  channels: number;
  classes: number;
}

/** A 2-D map, row-major. */
export interface Map2D {
  data: Float32Array;
  width: number;
  height: number;
}

/**
 * What a map explains: a weighted sum of class scores. One class is `[{ classIndex, weight: 1 }]`; a
 * group of classes is its members weighted by their share of the group's probability; "A and not B" is
 * `[{ A, 1 }, { B, −1 }]`. Maps are linear in the weights, so a mix's map is the mix of the classes' maps.
 */
export type ClassMix = ReadonlyArray<{ classIndex: number; weight: number }>;

export function singleClass(classIndex: number): ClassMix {
  return [{ classIndex, weight: 1 }];
}

/** Throws unless every class of the mix is an integer index below `classes` and every weight finite. */
export function checkMix(mix: ClassMix, classes: number): void {
  if (mix.length === 0) throw new Error('Nothing to explain: no class was given');
  for (const { classIndex, weight } of mix) {
    if (!Number.isInteger(classIndex) || classIndex < 0 || classIndex >= classes) {
      throw new Error(`Class index ${classIndex} is outside 0–${classes - 1}`);
    }
    if (!Number.isFinite(weight)) throw new Error(`Class ${classIndex} has a weight that is not a number`);
  }
}

export function classActivationMap(features: FeatureMap, weights: ClassifierWeights, classIndex: number): Map2D {
  return mixActivationMap(features, weights, singleClass(classIndex));
}

/** CAM of a mix of classes: M(y, x) = Σ_k (Σ_c w_c · W[k, c]) · A[y, x, k]. */
export function mixActivationMap(features: FeatureMap, weights: ClassifierWeights, mix: ClassMix): Map2D {
  const { data, height, width, channels } = features;
  if (weights.channels !== channels) {
    throw new Error(`Classifier expects ${weights.channels} channels, feature map has ${channels}`);
  }
  checkMix(mix, weights.classes);
  const column = new Float32Array(channels);
  for (const { classIndex, weight } of mix) {
    for (let k = 0; k < channels; k++) column[k] += weight * weights.kernel[k * weights.classes + classIndex];
  }
  const map = new Float32Array(height * width);
  for (let cell = 0; cell < height * width; cell++) {
    let sum = 0;
    const offset = cell * channels;
    for (let k = 0; k < channels; k++) sum += data[offset + k] * column[k];
    map[cell] = sum;
  }
  return { data: map, width, height };
}

/**
 * ReLU, then min–max to [0, 1]: only evidence *for* the class counts, and the hottest cell is 1.
 * A map with no positive evidence stays all zero instead of inventing contrast; evidence spread evenly
 * everywhere is all one.
 */
export function normaliseMap(map: Map2D): Map2D {
  const out = new Float32Array(map.data.length);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < out.length; i++) {
    const v = Math.max(0, map.data[i]);
    out[i] = v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const range = max - min;
  for (let i = 0; i < out.length; i++) out[i] = range > 0 ? (out[i] - min) / range : max > 0 ? 1 : 0;
  return { data: out, width: map.width, height: map.height };
}

/**
 * Bilinear resize with half-pixel centres (as OpenCV's `cv2.resize`, which the book used), so each
 * feature cell's value sits at the centre of the image patch it describes.
 */
export function upsampleBilinear(map: Map2D, width: number, height: number): Map2D {
  const out = new Float32Array(width * height);
  const sx = map.width / width;
  const sy = map.height / height;
  for (let y = 0; y < height; y++) {
    const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), map.height - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, map.height - 1);
    const wy = fy - y0;
    for (let x = 0; x < width; x++) {
      const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), map.width - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, map.width - 1);
      const wx = fx - x0;
      const top = map.data[y0 * map.width + x0] * (1 - wx) + map.data[y0 * map.width + x1] * wx;
      const bottom = map.data[y1 * map.width + x0] * (1 - wx) + map.data[y1 * map.width + x1] * wx;
      out[y * width + x] = top * (1 - wy) + bottom * wy;
    }
  }
  return { data: out, width, height };
}

/** The hottest point of a map in 0–1 coordinates (centre of the hottest pixel); first one on ties. */
export function peakOf(map: Map2D): { x: number; y: number; value: number } {
  let best = 0;
  for (let i = 1; i < map.data.length; i++) if (map.data[i] > map.data[best]) best = i;
  return {
    x: ((best % map.width) + 0.5) / map.width,
    y: (Math.floor(best / map.width) + 0.5) / map.height,
    value: map.data[best],
  };
}

/** Exponential moving average of maps (live smoothing): `previous` is updated in place and returned. */
export function blendMaps(previous: Float32Array | null, next: Float32Array, keep: number): Float32Array {
  if (!previous || previous.length !== next.length || keep <= 0) return Float32Array.from(next);
  for (let i = 0; i < next.length; i++) previous[i] = previous[i] * keep + next[i] * (1 - keep);
  return previous;
}
