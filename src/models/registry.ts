/**
 * What the app knows about a model, as data. The list the app holds (the store's `models`) comes from the
 * deployment's catalog (models/catalog.json, see catalog.ts) and the user's own models; nothing in the app
 * branches on a model id.
 */

/**
 * How pixels (0–255) become the model's input: `caffe` (Keras: RGB→BGR, minus the ImageNet means),
 * `symmetric` (Keras `tf`: x/127.5 − 1, range [−1, 1]) or `unit` (x/255, range [0, 1]).
 */
export type PreprocessMode = 'caffe' | 'symmetric' | 'unit';

/** What the model's output is: already `softmax` probabilities, or `logits` the app turns into probabilities. */
export type OutputKind = 'softmax' | 'logits';

export interface ZooFacts {
  /** Size of the weight files in MB (10^6 bytes). */
  sizeMB: number;
  /** ImageNet validation accuracy as published for the model (book table 2-1 / Keras docs / Darknet); null where none is. */
  top1: number | null;
  top5: number | null;
  /** null where unknown. */
  parameters: number | null;
  /** Number of layers in the Keras model graph; null where unknown. */
  depth: number | null;
}

export interface ModelSpec {
  id: string;
  displayName: string;
  /** model.json location: absolute, or relative to the page; for catalog entries always on the app's own site (catalog.ts). */
  url: string;
  /**
   * `graph`: a TF.js graph model (a converted SavedModel or frozen graph); absent: a layers model (Keras).
   * For a graph model, `featureLayer` and `classifierLayer` name graph nodes: the feature map and the logits.
   */
  format?: 'graph';
  inputSize: number;
  preprocess: PreprocessMode;
  output: OutputKind;
  /**
   * The model's class order when it is not Keras's: a file with one WordNet id per line (line i = output i),
   * relative to model.json and listed in its SHA256SUMS. Results are always given in Keras's order.
   */
  outputWnids?: string;
  /** The same, given inline (a model the user imported: its labels file, read once). Wins over `outputWnids`. */
  outputWnidList?: readonly string[];
  /** Last convolutional feature map (N×7×7×K) — the A in CAM. (Graph model: the node that gives it.) */
  featureLayer: string;
  /**
   * The linear classifier (dense or 1×1 conv), after global average pooling or before it — the w in CAM.
   * (Graph model: the node that gives the logits, before any softmax; its classifier is recovered by probing the head.)
   */
  classifierLayer: string;
  /** The head is not GAP → linear (or linear → GAP), so CAM does not hold: heatmaps are always Grad-CAM. */
  gradCamOnly?: boolean;
  zoo: ZooFacts;
  /** Why this site cannot offer the model (not installed, or refused); absent when it can. */
  unavailable?: string;
}

/** A model's id (`resnet50`…): a key into the list of models the app holds. */
export type ModelId = string;

/** The entry with this id in `models`, if any. */
export function findModel(models: readonly ModelSpec[], id: ModelId): ModelSpec | undefined {
  return models.find((model) => model.id === id);
}

/** Where the class index is served; provisioned next to the models. */
export const IMAGENET_LABELS_URL = 'models/imagenet_class_index.json';
