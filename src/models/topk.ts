export interface ClassScore {
  index: number;
  prob: number;
}

/**
 * The k highest scores, highest first; ties keep the lower class index first.
 * A partial selection (O(n·k)) — cheaper than sorting 1000 scores for k = 5.
 */
export function topK(scores: ArrayLike<number>, k: number): ClassScore[] {
  const best: ClassScore[] = [];
  if (k <= 0) return best;
  for (let index = 0; index < scores.length; index++) {
    const prob = scores[index];
    if (best.length === k && prob <= best[k - 1].prob) continue;
    let at = best.length < k ? best.length : k - 1;
    while (at > 0 && best[at - 1].prob < prob) at--;
    best.splice(at, 0, { index, prob });
    if (best.length > k) best.pop();
  }
  return best;
}

/** How many classes every result shows and exports (the book prints the top 5). */
export const TOP_K = 5;
