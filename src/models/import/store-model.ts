/**
 * Worker side of an import: the model is built from the files in memory, checked the way the app will use
 * it (layers or graph nodes, classifier, class order, one forward pass on this backend, and for a head CAM
 * does not hold for, one Grad-CAM), then kept in IndexedDB under its `indexeddb://` URL. A failure leaves
 * nothing stored and the model in use untouched.
 */
import * as tf from '@tensorflow/tfjs';
import { singleClass } from '../../cam/cam';
import { gradCamMix } from '../../cam/gradcam';
import { loadModel, weightTensors, type AnyModel } from '../load';
import type { ModelSpec } from '../registry';
import type { ImportArtifacts } from './model-files';

/** TF.js's own words for what went wrong, turned into what it means for the user's files. */
export function explainFailure(error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  // TF.js 4 says "Unknown op 'X'" (and "Custom op X is not registered"); earlier versions "Tensorflow Op is not supported: X".
  const unsupported = /Unknown op '([^']+)'|Custom op (\S+) is not registered|Tensorflow Op is not supported: (\S+)/i.exec(message);
  if (unsupported) return new Error(`it uses the operation ${unsupported.slice(1).find(Boolean)}, which TensorFlow.js does not support`);
  const missingKernel = /Kernel '([^']+)' not registered for backend '([^']+)'/i.exec(message);
  if (missingKernel) {
    return new Error(`it needs the operation ${missingKernel[1]}, which the ${missingKernel[2]} backend does not have; choose another backend in Settings and import it again`);
  }
  const noGradient = /gradient function not found for (\S+?)\.?$/i.exec(message);
  if (noGradient) return new Error(`its heatmaps need Grad-CAM (its head is not linear), and TensorFlow.js cannot take the gradient of its operation ${noGradient[1]}`);
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
export async function buildFromMemory(artifacts: ImportArtifacts): Promise<AnyModel> {
  const engine = tf.engine();
  const variablesBefore = new Set(Object.keys(engine.registeredVariables));
  engine.startScope('import');
  let model: AnyModel | null = null;
  try {
    const handler = tf.io.fromMemory(artifacts as tf.io.ModelArtifacts);
    model = artifacts.format === 'graph-model' ? await tf.loadGraphModel(handler) : await tf.loadLayersModel(handler);
    return model;
  } catch (error) {
    // The layers built before the failure hold their weights in variables.
    for (const [name, variable] of Object.entries(engine.registeredVariables)) if (!variablesBefore.has(name)) variable.dispose();
    throw explainFailure(error);
  } finally {
    // The model's weights are variables (layers) or tensors it holds (graph), which the scope must keep.
    engine.endScope(model ? weightTensors(model) : undefined);
  }
}

/** Keeps the model; resolves with whether CAM holds for it (else its maps are Grad-CAM). */
export async function storeImportedModel(spec: ModelSpec, artifacts: ImportArtifacts, classWnids: string[]): Promise<{ camHolds: boolean }> {
  const built = await buildFromMemory(artifacts);
  try {
    if (built instanceof tf.LayersModel) {
      const rank = (built.getLayer(spec.featureLayer).outputShape as (number | null)[]).length;
      if (rank !== 4) throw new Error(`layer ${spec.featureLayer} has no spatial map (its output has ${rank} dimensions), so no heatmap can come from it`);
    }
    await built.save(spec.url);
  } finally {
    built.dispose();
  }
  try {
    const loaded = await loadModel(spec, { url: spec.url, classWnids });
    const blank = tf.zeros([spec.inputSize, spec.inputSize, 3], 'int32') as tf.Tensor3D;
    try {
      const { features } = await loaded.predict(blank);
      if (!loaded.classifier) gradCamMix(loaded.head, features, singleClass(0));
      return { camHolds: loaded.classifier !== null };
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
