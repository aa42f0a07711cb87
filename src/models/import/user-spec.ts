/** The spec of a model the user imported: what the inspection found plus what the user chose. Pure. */
import type { ModelSpec, PreprocessMode } from '../registry';
import type { ModelInspection } from './inspect';

export interface UserModelChoices {
  displayName: string;
  preprocess: PreprocessMode;
  /** One of the inspection's `featureLayers`. */
  featureLayer: string;
  /** The ImageNet WordNet id of each output, in output order (from the labels file). */
  outputWnidList: readonly string[];
}

/** Where imported models are kept: IndexedDB, as TF.js model artifacts. */
const STORE_PREFIX = 'indexeddb://whats-in-the-picture/user/';

function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 32) || 'model'
  );
}

/** `now` makes the id unique (a user may import the same files twice, e.g. with other labels). */
export function userModelSpec(inspection: ModelInspection, choices: UserModelChoices, now: number = Date.now()): ModelSpec {
  const id = `user-${slug(choices.displayName)}-${now.toString(36)}`;
  // CAM holds only for the layer right before the GAP → linear (or linear → GAP) head.
  const camHolds = inspection.camAvailable && choices.featureLayer === inspection.featureLayers[0];
  return {
    id,
    displayName: choices.displayName.trim() || 'My model',
    url: `${STORE_PREFIX}${id}`,
    ...(inspection.format === 'graph' ? { format: 'graph' as const } : {}),
    inputSize: inspection.inputSize,
    preprocess: choices.preprocess,
    output: inspection.output,
    outputWnidList: choices.outputWnidList,
    featureLayer: choices.featureLayer,
    classifierLayer: inspection.classifierLayer,
    ...(camHolds ? {} : { gradCamOnly: true }),
    zoo: {
      sizeMB: Math.round(inspection.weightBytes / 1e5) / 10,
      top1: null,
      top5: null,
      parameters: inspection.parameters,
      depth: inspection.layerCount,
    },
  };
}
