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

/** `order[i]` = the Keras class index of the model's output i. Every output must map to a distinct class. */
export function outputToClassIndex(modelWnids: readonly string[], classWnids: readonly string[]): Int32Array {
  if (modelWnids.length !== classWnids.length) {
    throw new Error(`the model's label list has ${modelWnids.length} WordNet ids; the class index has ${classWnids.length}`);
  }
  const byWnid = new Map(classWnids.map((wnid, index) => [wnid, index]));
  const order = new Int32Array(modelWnids.length);
  const seen = new Set<number>();
  modelWnids.forEach((wnid, output) => {
    const index = byWnid.get(wnid);
    if (index === undefined) throw new Error(`WordNet id ${wnid} (output ${output}) is not an ImageNet class`);
    if (seen.has(index)) throw new Error(`WordNet id ${wnid} appears twice in the model's label list`);
    seen.add(index);
    order[output] = index;
  });
  return order;
}

/** Scores in the model's order → the same scores in Keras's order. */
export function reorderScores(scores: Float32Array, order: Int32Array): Float32Array {
  const out = new Float32Array(scores.length);
  for (let i = 0; i < order.length; i++) out[order[i]] = scores[i];
  return out;
}

/** A K×C classifier matrix (row-major, C = classes) with its columns put in Keras's order. */
export function reorderColumns(kernel: Float32Array, classes: number, order: Int32Array): Float32Array {
  const out = new Float32Array(kernel.length);
  const rows = kernel.length / classes;
  for (let k = 0; k < rows; k++) {
    const row = k * classes;
    for (let c = 0; c < classes; c++) out[row + order[c]] = kernel[row + c];
  }
  return out;
}
