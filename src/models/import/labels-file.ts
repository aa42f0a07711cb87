/**
 * A user's labels file → the ImageNet WordNet id of each model output, in output order. Accepted: Keras's
 * imagenet_class_index.json, one WordNet id per line (optionally followed by names, as in synset_words.txt),
 * or one class name per line (matched to the ImageNet class names). Pure.
 */
import { decodeClassIndex, type ClassLabel } from '../labels';
import { ImportError } from './errors';

const WNID_LINE = /^(n\d{8})\b/;
/** How the first line of a 1001-class labels file names the background class. */
const BACKGROUND = /^(background|__background__|dummy|unused|none|other|0)$/i;
/** This app explains the 1000 ImageNet classes; 1001 outputs = a background class, then the 1000. */
const CLASSES = 1000;

/** Lower case, `_`/`-`/spaces folded: "Egyptian_cat" and "egyptian cat" are the same name. */
function normalise(name: string): string {
  return name
    .toLowerCase()
    .replace(/^['"]|['"]$/g, '')
    .replace(/[\s_-]+/g, ' ')
    .trim();
}

function entriesOf(text: string, fileName: string): { wnids: string[] } | { names: string[] } {
  const body = text.replace(/^\uFEFF/, '').trim();
  if (body.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      throw new ImportError(`${fileName} starts like JSON but is not valid JSON.`);
    }
    try {
      return { wnids: decodeClassIndex(json).map((entry) => entry.wnid) };
    } catch (error) {
      throw new ImportError(`${fileName} is not a Keras class index like imagenet_class_index.json: ${(error as Error).message}.`);
    }
  }
  const lines = body.split(/\r?\n/).map((line) => line.trim()).filter((line) => line.length > 0);
  if (lines.length > 0 && lines.every((line) => WNID_LINE.test(line))) return { wnids: lines.map((line) => WNID_LINE.exec(line)![1]) };
  return { names: lines };
}

/** Class names → WordNet ids; a name two classes share ("crane") goes to the first one not yet taken. */
function wnidsOfNames(names: string[], classes: readonly ClassLabel[], fileName: string): string[] {
  const byName = new Map<string, ClassLabel[]>();
  for (const label of classes) {
    const key = normalise(label.name);
    byName.set(key, [...(byName.get(key) ?? []), label]);
  }
  const taken = new Set<string>();
  return names.map((line, i) => {
    const choices = byName.get(normalise(line)) ?? byName.get(normalise(line.split(',')[0])) ?? [];
    const label = choices.find((c) => !taken.has(c.wnid)) ?? choices[0];
    if (!label) throw new ImportError(`${fileName}, line ${i + 1}: “${line.slice(0, 60)}” is not the name of an ImageNet class (nor a WordNet id like n02113186).`);
    taken.add(label.wnid);
    return label.wnid;
  });
}

/**
 * The WordNet id of each of the model's `outputs`, in output order; '' for the background output of a
 * 1001-output model (listed first, or not listed at all). Throws an ImportError that says what does not
 * fit: a count that differs from the outputs (both numbers), a class that is not in ImageNet, or a class
 * listed twice.
 */
export function readLabelsFile(text: string, fileName: string, classes: readonly ClassLabel[], outputs: number): string[] {
  if (outputs !== CLASSES && outputs !== CLASSES + 1) {
    throw new ImportError(`The model has ${outputs} outputs. This app explains the ${CLASSES} ImageNet classes: it takes models with ${CLASSES} outputs (or ${CLASSES + 1}, a background class first).`);
  }
  const entries = entriesOf(text, fileName);
  // A background class: named on the first line, or left out of a 1000-line file.
  const background = outputs === CLASSES + 1 && ('names' in entries ? entries.names.length === outputs && BACKGROUND.test(entries.names[0]) : false);
  if ('names' in entries && background) entries.names.shift();
  const count = 'wnids' in entries ? entries.wnids.length : entries.names.length;
  const backgroundFirst = outputs === CLASSES + 1 && count === CLASSES;
  if (count !== outputs && !backgroundFirst) {
    throw new ImportError(`${fileName} lists ${count} classes, but the model has ${outputs} outputs: a labels file names each output once, in order.`);
  }
  const wnids = 'wnids' in entries ? entries.wnids : wnidsOfNames(entries.names, classes, fileName);
  const known = new Set(classes.map((c) => c.wnid));
  const seen = new Set<string>();
  wnids.forEach((wnid, i) => {
    if (!known.has(wnid)) throw new ImportError(`${fileName}, entry ${i + 1}: ${wnid} is not one of the 1000 ImageNet classes this app explains.`);
    if (seen.has(wnid)) throw new ImportError(`${fileName}, entry ${i + 1}: ${wnid} is listed twice; each ImageNet class may appear once.`);
    seen.add(wnid);
  });
  return backgroundFirst ? ['', ...wnids] : wnids;
}
