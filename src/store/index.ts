import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import { createFaithfulnessSlice, type FaithfulnessSlice } from './faithfulness';
import { createLiveSlice, type LiveSlice } from './live';
import { persistence } from './persistence';
import { createPhotosSlice, type PhotosSlice } from './photos';
import { createSessionSlice, type SessionSlice } from './session';
import { createSettingsSlice, type SettingsSlice } from './settings';

export type AppState = SessionSlice & SettingsSlice & PhotosSlice & LiveSlice & FaithfulnessSlice;

/**
 * The one app store, composed of slices. Every change is a named action of a slice; React reads it
 * through selectors, other code via getState(). Settings and the model choice persist (see persistence.ts).
 */
export const useAppStore = create<AppState>()(
  persist(
    (...args) => ({
      ...createSessionSlice(...args),
      ...createSettingsSlice(...args),
      ...createPhotosSlice(...args),
      ...createLiveSlice(...args),
      ...createFaithfulnessSlice(...args),
    }),
    persistence,
  ),
);

export { modelName, selectCurrentModel } from './session';

export const selectSelectedPhoto = (state: AppState) =>
  state.photos.find((photo) => photo.id === state.selectedId) ?? null;
