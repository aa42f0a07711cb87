import type { ClassScore } from '../models/topk';
import type { ResultRow } from './format';

/**
 * Per-frame top-k of a live session, for export, in fixed typed arrays: memory is allocated once, so
 * an hour of live video does not grow the heap. When full, the oldest frames give way (a ring).
 */
export class FrameRecords {
  private readonly times: Float64Array;
  private readonly classes: Int16Array;
  private readonly probs: Float32Array;
  /** Which model (an index into the names given to toRows) produced each frame. */
  private readonly models: Uint8Array;
  private start = 0;
  private count = 0;

  constructor(
    readonly capacity: number,
    private readonly k: number,
  ) {
    this.times = new Float64Array(capacity);
    this.classes = new Int16Array(capacity * k).fill(-1);
    this.probs = new Float32Array(capacity * k);
    this.models = new Uint8Array(capacity);
  }

  push(time: number, top: ClassScore[], model: number): void {
    const slot = (this.start + this.count) % this.capacity;
    if (this.count < this.capacity) this.count++;
    else this.start = (this.start + 1) % this.capacity;
    this.times[slot] = time;
    this.models[slot] = model;
    for (let i = 0; i < this.k; i++) {
      this.classes[slot * this.k + i] = top[i]?.index ?? -1;
      this.probs[slot * this.k + i] = top[i]?.prob ?? 0;
    }
  }

  get length(): number {
    return this.count;
  }

  clear(): void {
    this.start = 0;
    this.count = 0;
  }

  toRows(source: string, modelNames: readonly string[]): ResultRow[] {
    const rows: ResultRow[] = [];
    for (let n = 0; n < this.count; n++) {
      const slot = (this.start + n) % this.capacity;
      const top: ClassScore[] = [];
      for (let i = 0; i < this.k; i++) {
        const index = this.classes[slot * this.k + i];
        if (index >= 0) top.push({ index, prob: this.probs[slot * this.k + i] });
      }
      rows.push({ source, model: modelNames[this.models[slot]] ?? '', top, time: this.times[slot] });
    }
    return rows;
  }
}
