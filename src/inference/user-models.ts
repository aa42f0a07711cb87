/**
 * The user's own models: read back at start, added (checked and stored by the worker, then listed and
 * loaded), removed (files and spec deleted; the current model falls back to the deployment's first).
 */
import { errorMessage } from '../errors';
import type { ImportArtifacts } from '../models/import/model-files';
import { forgetUserModel, keepUserModel, readUserModels } from '../models/import/user-models';
import type { ModelSpec } from '../models/registry';
import { useAppStore } from '../store';
import { modelSession } from './index';

/** Lists the models imported on earlier visits (before the model session picks the remembered one). */
export async function restoreUserModels(store = useAppStore): Promise<void> {
  // A browser without IndexedDB has none to list (importing then says why it cannot keep one).
  if (typeof indexedDB === 'undefined') return;
  try {
    store.getState().userModelsListed(await readUserModels());
  } catch (error) {
    store.getState().notify('error', `Your own models could not be read from this browser's storage: ${errorMessage(error)}.`);
  }
}

/**
 * Checks the model in the worker (which keeps its files in IndexedDB), keeps its spec, lists it and
 * switches to it; resolves with the spec as kept (Grad-CAM only when the worker found CAM does not hold).
 * Throws with the reason when anything fails; the model in use is untouched then.
 */
export async function addUserModel(asked: ModelSpec, artifacts: ImportArtifacts, store = useAppStore): Promise<ModelSpec> {
  const classWnids = store.getState().labels.map((label) => label.wnid);
  const { camHolds } = await modelSession.client.importModel(asked, artifacts, classWnids);
  const spec: ModelSpec = camHolds ? asked : { ...asked, gradCamOnly: true };
  try {
    await keepUserModel(spec);
  } catch (error) {
    await modelSession.client.removeModel(spec.url).catch(() => undefined);
    throw new Error(`it could not be kept in this browser's storage (${errorMessage(error)})`);
  }
  store.getState().userModelsListed([...store.getState().userModels, spec]);
  void modelSession.switchModel(spec.id);
  return spec;
}

/** Deletes an imported model from this browser; when it is the one in use, the deployment's first model takes over. */
export async function removeUserModel(id: string, store = useAppStore): Promise<void> {
  const spec = store.getState().userModels.find((model) => model.id === id);
  if (!spec) return;
  await forgetUserModel(id);
  await modelSession.client.removeModel(spec.url).catch(() => undefined);
  store.getState().userModelsListed(store.getState().userModels.filter((model) => model.id !== id));
  const fallback = store.getState().deploymentModels[0];
  if (store.getState().modelId === id && fallback) await modelSession.switchModel(fallback.id);
}
