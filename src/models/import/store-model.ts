/**
 * Worker side of an import: the model is built from the files in memory, checked the way the app will use
 * it (layers, classifier, class order, one forward pass on this backend), then kept in IndexedDB under its
 * `indexeddb://` URL. A failure leaves nothing stored and the model in use untouched.
 */
import * as tf from '@tensorflow/tfjs';
import { loadModel } from '../load';
import type { ModelSpec } from '../registry';
import type { ImportArtifacts } from './model-files';

/** TF.js's own words for what went wrong, turned into what it means for the user's files. */
function explainFailure(error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  if (/shape|weights? .*not set|no target variable|expected.*weight|byte length/i.test(message)) {
    return new Error(`the weights do not fit the model's layers (${message}); the weight files must come from the same export as model.json`);
  }
  if (/unknown (layer|activation|initializer|regularizer|constraint)/i.test(message)) {
    return new Error(`it uses a layer TF.js does not know (${message.split('.')[0]})`);
  }
  if (/not (yet )?(implemented|registered)|kernel .*not found|is not supported/i.test(message)) {
    return new Error(`it needs an operation the ${tf.getBackend()} backend does not have (${message}); choose another backend in Settings and import it again`);
  }
  return new Error(message);
}

/**
 * The model built from the files in memory; a failure says what does not fit and leaves no tensor
 * behind (TF.js keeps the weights it decoded before it found the mismatch). Requests to the worker run
 * one at a time, so the scope holds only this load's tensors.
 */
export async function buildFromMemory(artifacts: ImportArtifacts): Promise<tf.LayersModel> {
  const engine = tf.engine();
  const variablesBefore = new Set(Object.keys(engine.registeredVariables));
  engine.startScope('import');
  let model: tf.LayersModel | null = null;
  try {
    model = await tf.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
    return model;
  } catch (error) {
    // The layers built before the failure hold their weights in variables.
    for (const [name, variable] of Object.entries(engine.registeredVariables)) if (!variablesBefore.has(name)) variable.dispose();
    throw explainFailure(error);
  } finally {
    // The model's weights are variables, which a scope does not dispose.
    engine.endScope(model ? model.weights.map((w) => w.read()) : undefined);
  }
}

export async function storeImportedModel(spec: ModelSpec, artifacts: ImportArtifacts, classWnids: string[]): Promise<void> {
  const built = await buildFromMemory(artifacts);
  try {
    const rank = (built.getLayer(spec.featureLayer).outputShape as (number | null)[]).length;
    if (rank !== 4) throw new Error(`layer ${spec.featureLayer} has no spatial map (its output has ${rank} dimensions), so no heatmap can come from it`);
    await built.save(spec.url);
  } finally {
    built.dispose();
  }
  try {
    const loaded = await loadModel(spec, { url: spec.url, classWnids });
    const blank = tf.zeros([spec.inputSize, spec.inputSize, 3], 'int32') as tf.Tensor3D;
    try {
      await loaded.predict(blank);
    } finally {
      blank.dispose();
      loaded.dispose();
    }
  } catch (error) {
    await removeStoredModel(spec.url);
    throw explainFailure(error);
  }
}

/** Deletes an imported model's files from IndexedDB (nothing happens when they are already gone). */
export async function removeStoredModel(url: string): Promise<void> {
  await tf.io.removeModel(url).catch(() => undefined);
}
