import type { FeatureMap } from '../cam/cam';

/**
 * What the worker keeps: 64 MB ≈ the last 430 photos with MobileNet, 160 with ResNet-50. A batch of
 * ten thousand photos does not grow memory beyond it (an older photo must be classified again to explain another class).
 */
export const FEATURE_CACHE_BYTES = 64 * 1024 * 1024;

/**
 * Feature maps kept per photo so that any class can be explained later without another forward pass.
 * Bounded by bytes (least recently used go first): ResNet-50's map is 400 KB, MobileNet's 150 KB.
 */
export class FeatureCache {
  private readonly entries = new Map<string, FeatureMap>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  set(key: string, features: FeatureMap): void {
    this.delete(key);
    this.entries.set(key, features);
    this.bytes += features.data.byteLength;
    for (const [oldest, entry] of this.entries) {
      if (this.bytes <= this.maxBytes || oldest === key) break;
      this.entries.delete(oldest);
      this.bytes -= entry.data.byteLength;
    }
  }

  get(key: string): FeatureMap | undefined {
    const features = this.entries.get(key);
    if (features) {
      this.entries.delete(key);
      this.entries.set(key, features);
    }
    return features;
  }

  delete(key: string): void {
    const entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      this.bytes -= entry.data.byteLength;
    }
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  get size(): number {
    return this.entries.size;
  }
}
