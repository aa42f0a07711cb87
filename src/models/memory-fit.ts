import type { ModelSpec } from './registry';

/** Devices reporting this much memory or less (GB, `navigator.deviceMemory`) are asked before a large model. */
export const LOW_MEMORY_GB = 2;
/** A model whose weights are this large (MB) needs several times as much memory to run. */
export const LARGE_MODEL_MB = 50;

/**
 * Whether to ask before downloading this model here: a large model on a device that says it has little
 * memory (an unknown amount — Safari and Firefox do not tell — is not asked about).
 */
export function tooLargeForDevice(model: Pick<ModelSpec, 'zoo'>, deviceMemoryGB: number | undefined): boolean {
  return deviceMemoryGB !== undefined && deviceMemoryGB <= LOW_MEMORY_GB && model.zoo.sizeMB >= LARGE_MODEL_MB;
}

/** `navigator.deviceMemory` (GB, rounded by the browser), where the browser reports it. */
export function reportedDeviceMemory(): number | undefined {
  const memory = (navigator as Navigator & { deviceMemory?: number }).deviceMemory;
  return typeof memory === 'number' && memory > 0 ? memory : undefined;
}
