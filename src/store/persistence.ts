/**
 * What the store remembers on this device: the settings and the chosen model, through zustand's
 * `persist`. Only those fields are stored (partialize), and localStorage is written only when they
 * change — not on every download-progress chunk or live frame.
 */
import { createJSONStorage, type PersistOptions, type StateStorage } from 'zustand/middleware';
import type { ModelId } from '../models/registry';
import { DEFAULT_SETTINGS, type Settings } from './settings';
import type { AppState } from './index';

export const SETTINGS_KEY = 'whats-in-the-picture/settings/v2';

export type Remembered = Settings & { modelId: ModelId };

function remembered(state: AppState): Remembered {
  const kept = { modelId: state.modelId } as Remembered;
  for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[]) Object.assign(kept, { [key]: state[key] });
  return kept;
}

/** Saved values of the right type only: a stale or hand-edited entry never breaks the app. */
function validated(saved: unknown): Partial<Remembered> {
  if (typeof saved !== 'object' || saved === null) return {};
  const values = saved as Record<string, unknown>;
  const kept: Partial<Remembered> = {};
  for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[]) {
    if (typeof values[key] === typeof DEFAULT_SETTINGS[key]) Object.assign(kept, { [key]: values[key] });
  }
  // Checked against the models this deployment lists when the app starts (model-session).
  if (typeof values.modelId === 'string' && values.modelId !== '') kept.modelId = values.modelId;
  return kept;
}

/** localStorage that skips writes of what it already holds; private mode or a full disk just forgets. */
export function changeOnlyStorage(backing: () => Storage): StateStorage {
  const written = new Map<string, string | null>();
  return {
    getItem: (name) => {
      const value = backing().getItem(name);
      written.set(name, value);
      return value;
    },
    setItem: (name, value) => {
      if (written.get(name) === value) return;
      written.set(name, value);
      try {
        backing().setItem(name, value);
      } catch {
        // Storage full or denied: settings are simply not remembered.
      }
    },
    removeItem: (name) => {
      written.delete(name);
      backing().removeItem(name);
    },
  };
}

export const persistence: PersistOptions<AppState, Remembered> = {
  name: SETTINGS_KEY,
  version: 2,
  storage: createJSONStorage(() => changeOnlyStorage(() => localStorage)),
  partialize: remembered,
  merge: (saved, current) => ({ ...current, ...validated(saved) }),
};
