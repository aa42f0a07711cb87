/** One ImageNet class as shown to the user. */
export interface ClassLabel {
  index: number;
  wnid: string;
  /** Keras's name, e.g. `Egyptian_cat`. */
  name: string;
  /** Readable form, e.g. `Egyptian cat`. */
  label: string;
}

/** Keras's `imagenet_class_index.json`: `{"0": ["n01440764", "tench"], …}`. */
export type ClassIndexJson = Record<string, [string, string]>;

export function readableLabel(name: string): string {
  return name.replace(/_/g, ' ');
}

/** Parses the class index, refusing anything that is not a complete 0..n-1 list of [wnid, name]. */
export function decodeClassIndex(json: unknown): ClassLabel[] {
  if (typeof json !== 'object' || json === null) throw new Error('Class index is not an object');
  const entries = json as Record<string, unknown>;
  const count = Object.keys(entries).length;
  const labels: ClassLabel[] = [];
  for (let index = 0; index < count; index++) {
    const entry = entries[String(index)];
    if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'string' || typeof entry[1] !== 'string') {
      throw new Error(`Class index entry ${index} is missing or malformed`);
    }
    labels.push({ index, wnid: entry[0], name: entry[1], label: readableLabel(entry[1]) });
  }
  return labels;
}
