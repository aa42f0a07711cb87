import { seededRandom } from '../explain/random';

export { seededRandom };

/** `count` values uniformly in [lo, hi) from a seeded generator. */
export function randomArray(count: number, seed: number, lo = 0, hi = 1): Float32Array {
  const next = seededRandom(seed);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = lo + (hi - lo) * next();
  return out;
}

/**
 * A deterministic, smooth synthetic "photo" (H×W×3 RGB in 0–255): diagonal gradients plus a bright
 * disc, so the model sees structure rather than noise.
 */
export function syntheticPhoto(size: number): Int32Array {
  const out = new Int32Array(size * size * 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 3;
      const dx = x - size * 0.6;
      const dy = y - size * 0.4;
      const disc = dx * dx + dy * dy < (size * 0.2) ** 2 ? 1 : 0;
      out[i] = Math.round(255 * (x / (size - 1)) * (1 - disc) + 250 * disc);
      out[i + 1] = Math.round(255 * (y / (size - 1)) * (1 - disc) + 200 * disc);
      out[i + 2] = Math.round(255 * (1 - (x + y) / (2 * (size - 1))) * (1 - disc) + 40 * disc);
    }
  }
  return out;
}
