/**
 * Models trained with another class order (Darknet's) are mapped to Keras's by WordNet id, so every
 * result, heatmap and export speaks one order whatever the model.
 */

/** One WordNet id per line (blank lines ignored); throws on anything else. */
export function parseWnidList(text: string): string[] {
  const wnids = text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line.length > 0);
  const bad = wnids.findIndex((wnid) => !/^n\d{8}$/.test(wnid));
  if (bad >= 0) throw new Error(`line ${bad + 1} is "${wnids[bad].slice(0, 40)}", not a WordNet id like n02113186`);
  return wnids;
}

/**
 * `order[i]` = the Keras class index of the model's output i. Every output must map to a distinct class,
 * except outputs named '' (a background class, as in 1001-output models): those are −1 and left out.
 */
export function outputToClassIndex(modelWnids: readonly string[], classWnids: readonly string[]): Int32Array {
  const named = modelWnids.filter((wnid) => wnid !== '').length;
  if (named !== classWnids.length) {
    throw new Error(`the model's label list has ${named} WordNet ids; the class index has ${classWnids.length}`);
  }
  const byWnid = new Map(classWnids.map((wnid, index) => [wnid, index]));
  const order = new Int32Array(modelWnids.length);
  const seen = new Set<number>();
  modelWnids.forEach((wnid, output) => {
    if (wnid === '') {
      order[output] = -1;
      return;
    }
    const index = byWnid.get(wnid);
    if (index === undefined) throw new Error(`WordNet id ${wnid} (output ${output}) is not an ImageNet class`);
    if (seen.has(index)) throw new Error(`WordNet id ${wnid} appears twice in the model's label list`);
    seen.add(index);
    order[output] = index;
  });
  return order;
}

/** How many Keras classes an order maps to (its outputs less any left out). */
export function mappedClasses(order: Int32Array): number {
  return order.reduce((count, index) => count + (index >= 0 ? 1 : 0), 0);
}

/** Scores in the model's order → the same scores in Keras's order (outputs left out are dropped). */
export function reorderScores(scores: Float32Array, order: Int32Array): Float32Array {
  const out = new Float32Array(mappedClasses(order));
  for (let i = 0; i < order.length; i++) if (order[i] >= 0) out[order[i]] = scores[i];
  return out;
}

/** A K×C classifier matrix (row-major, C = the model's outputs) with its columns put in Keras's order (K × mapped classes). */
export function reorderColumns(kernel: Float32Array, classes: number, order: Int32Array): Float32Array {
  const mapped = mappedClasses(order);
  const rows = kernel.length / classes;
  const out = new Float32Array(rows * mapped);
  for (let k = 0; k < rows; k++) {
    for (let c = 0; c < classes; c++) if (order[c] >= 0) out[k * mapped + order[c]] = kernel[k * classes + c];
  }
  return out;
}
