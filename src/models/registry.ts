/**
 * What the app knows about a model, as data: the built-in models below, and the list the app holds
 * (the store's `models`). Nothing in the app branches on a model id.
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
  parameters: number;
  /** Number of layers in the Keras model graph. */
  depth: number;
}

export interface ModelSpec {
  id: string;
  displayName: string;
  /** model.json location, relative to the page (online users may point this at any URL). */
  url: string;
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
  /** Last convolutional feature map (N×7×7×K) — the A in CAM. */
  featureLayer: string;
  /** The linear classifier (dense or 1×1 conv), after global average pooling or before it — the w in CAM. */
  classifierLayer: string;
  /** The head is not GAP → linear (or linear → GAP), so CAM does not hold: heatmaps are always Grad-CAM. */
  gradCamOnly?: boolean;
  zoo: ZooFacts;
}

export const MODELS: readonly ModelSpec[] = [
  {
    id: 'mobilenet_v1_0.75',
    displayName: 'MobileNet v1 0.75',
    url: 'models/mobilenet_v1_0.75/model.json',
    inputSize: 224,
    preprocess: 'symmetric',
    output: 'softmax',
    featureLayer: 'conv_pw_13_relu',
    classifierLayer: 'conv_preds',
    zoo: { sizeMB: 10.4, top1: 0.684, top5: 0.882, parameters: 2_600_000, depth: 88 },
  },
  {
    id: 'resnet50',
    displayName: 'ResNet-50',
    url: 'models/resnet50/model.json',
    inputSize: 224,
    preprocess: 'caffe',
    output: 'softmax',
    featureLayer: 'activation_48',
    classifierLayer: 'fc1000',
    zoo: { sizeMB: 102.5, top1: 0.749, top5: 0.921, parameters: 25_636_712, depth: 177 },
  },
  {
    id: 'darknet_tiny',
    displayName: 'Tiny Darknet',
    url: 'models/darknet_tiny/model.json',
    inputSize: 224,
    preprocess: 'unit',
    output: 'logits',
    outputWnids: 'labels.txt',
    featureLayer: 'leaky_re_lu_15',
    // A 1×1 convolution before global average pooling: CAM still holds, the map is linear in the features.
    classifierLayer: 'conv2d_16',
    zoo: { sizeMB: 4.2, top1: 0.587, top5: null, parameters: 1_046_488, depth: 52 },
  },
];

/** A model's id (`resnet50`…): a key into the list of models the app holds. */
export type ModelId = string;

export const DEFAULT_MODEL_ID: ModelId = 'mobilenet_v1_0.75';

/** The entry with this id in `models`, if any. */
export function findModel(models: readonly ModelSpec[], id: ModelId): ModelSpec | undefined {
  return models.find((model) => model.id === id);
}

/** A built-in model by id; throws on an unknown id. */
export function getModel(id: ModelId): ModelSpec {
  const spec = findModel(MODELS, id);
  if (!spec) throw new Error(`Unknown model "${id}"`);
  return spec;
}

/** Where the class index is served; provisioned next to the models. */
export const IMAGENET_LABELS_URL = 'models/imagenet_class_index.json';
