/**
 * The weights manifest of a TF.js model.json: which weight files there are and how many bytes each weight
 * takes. Pure (no TF.js), so the main thread can check imported files before the worker sees them.
 */

export interface WeightEntry {
  name: string;
  shape: number[];
  dtype?: string;
}

export interface WeightsGroup {
  paths: string[];
  weights: WeightEntry[];
}

const BYTES_PER: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, float16: 2, uint16: 2 };

/** Bytes of one weight (float32/int32 = 4 bytes, others as declared). */
export function weightBytes(weight: Pick<WeightEntry, 'shape' | 'dtype'>): number {
  return weight.shape.reduce((a, b) => a * b, 1) * (BYTES_PER[weight.dtype ?? 'float32'] ?? 4);
}

/** Bytes of all weights listed in a model.json manifest. */
export function manifestBytes(modelJson: { weightsManifest?: { weights: { shape: number[]; dtype?: string }[] }[] }): number {
  let total = 0;
  for (const group of modelJson.weightsManifest ?? []) {
    for (const weight of group.weights) total += weightBytes(weight);
  }
  return total;
}
