/** How a heatmap is computed: CAM from the classifier weights, or Grad-CAM from gradients. */
export type CamMethod = 'cam' | 'gradcam';

/** A class activation map as it leaves the worker: the raw (un-normalised) feature-grid map. */
export interface ExplainedMap {
  classIndex: number;
  method: CamMethod;
  width: number;
  height: number;
  /** Row-major, `width × height` values, before ReLU and normalisation. */
  data: Float32Array;
  /** Set when the map explains a class group (its classes weighted, see hierarchy/groups); `classIndex` is then its most probable class. */
  group?: { wnid: string; label: string; prob: number };
}

/** A map of a mix of classes (a group, or "A and not B") as it leaves the worker: raw, signed. */
export interface MixMap {
  method: CamMethod;
  width: number;
  height: number;
  /** Row-major, `width × height` values, before any ReLU or normalisation (a contrast keeps its sign). */
  data: Float32Array;
}
