/**
 * Boot: the URL's choices over the remembered ones, the automation API when asked for, the method
 * follower, then the worker and the model. Runs once per page.
 */
import { modelSession } from '../inference';
import { restoreUserModels } from '../inference/user-models';
import { explainer } from '../photos';
import { useAppStore } from '../store';
import type { BackendPreference } from '../worker/protocol';
import { installAutomation } from './automation';

const BACKENDS: readonly string[] = ['auto', 'webgl', 'wasm', 'cpu'] satisfies BackendPreference[];

/** `?backend=wasm`, `?threads=2` (WASM threads, 0 = automatic) and `?model=resnet50` (links, tests, the benchmark) win over what was remembered. */
function applyUrlChoices(search: string) {
  const params = new URLSearchParams(search);
  const backend = params.get('backend');
  if (backend && BACKENDS.includes(backend)) useAppStore.getState().updateSettings({ backendPreference: backend as BackendPreference });
  const threads = params.get('threads');
  if (threads !== null && /^\d$/.test(threads)) useAppStore.getState().updateSettings({ wasmThreads: Number(threads) });
  const model = params.get('model');
  // Checked against the list of models when it is known (model-session).
  if (model) useAppStore.getState().modelLoading(model);
}

let started = false;

export function startApp(): void {
  if (started) return;
  started = true;
  applyUrlChoices(location.search);
  installAutomation();
  explainer.followMethod();
  // The user's own models are listed first: the remembered model may be one of them.
  void restoreUserModels().then(() => modelSession.start());
}
