import { useAppStore } from '../store';
import { DEFAULT_SETTINGS, type Settings } from '../store/settings';
import { isModelId } from '../models/registry';

const KEY = 'whats-in-the-picture/settings/v1';

type Saved = Partial<Settings> & { modelId?: string };

/** Restores the user's settings (backend choice, colormap, threshold, model…) from localStorage. */
export function loadSettings(): void {
  let saved: Saved = {};
  try {
    saved = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Saved;
  } catch {
    return;
  }
  const patch: Partial<Settings> = {};
  for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[]) {
    if (key in saved && typeof saved[key] === typeof DEFAULT_SETTINGS[key]) Object.assign(patch, { [key]: saved[key] });
  }
  const params = new URLSearchParams(location.search);
  const backend = params.get('backend');
  if (backend === 'auto' || backend === 'webgl' || backend === 'wasm' || backend === 'cpu') patch.backendPreference = backend;
  const model = params.get('model') ?? saved.modelId;
  useAppStore.setState({ ...patch, ...(model && isModelId(model) ? { modelId: model } : {}) });
}

/** Saves settings whenever they change. */
export function persistSettings(): void {
  useAppStore.subscribe((state) => {
    const saved: Saved = { modelId: state.modelId };
    for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[]) Object.assign(saved, { [key]: state[key] });
    try {
      localStorage.setItem(KEY, JSON.stringify(saved));
    } catch {
      // Private mode or full storage: settings just are not remembered.
    }
  });
}
