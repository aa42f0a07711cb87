import { topK, type ClassScore } from '../models/topk';

/**
 * Exponential moving average of class probabilities across live frames, so labels do not flicker:
 * p̄ₜ = keep·p̄ₜ₋₁ + (1−keep)·pₜ. `keep` 0 = off (each frame stands alone).
 */
export class ProbabilitySmoother {
  private state: Float32Array | null = null;

  constructor(public keep: number) {}

  push(probs: Float32Array): Float32Array {
    if (!this.state || this.state.length !== probs.length || this.keep <= 0) {
      this.state = Float32Array.from(probs);
      return this.state;
    }
    for (let i = 0; i < probs.length; i++) this.state[i] = this.state[i] * this.keep + probs[i] * (1 - this.keep);
    return this.state;
  }

  top(k: number): ClassScore[] {
    return this.state ? topK(this.state, k) : [];
  }

  reset(): void {
    this.state = null;
  }
}
