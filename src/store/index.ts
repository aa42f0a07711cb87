import { create } from 'zustand';
import { createLiveSlice, type LiveSlice } from './live';
import { createPhotosSlice, type PhotosSlice } from './photos';
import { createSessionSlice, type SessionSlice } from './session';
import { createSettingsSlice, type SettingsSlice } from './settings';

export type AppState = SessionSlice & SettingsSlice & PhotosSlice & LiveSlice;

/** The one app store, composed of slices; React reads it through selectors, other code via getState(). */
export const useAppStore = create<AppState>()((...args) => ({
  ...createSessionSlice(...args),
  ...createSettingsSlice(...args),
  ...createPhotosSlice(...args),
  ...createLiveSlice(...args),
}));

export const selectSelectedPhoto = (state: AppState) =>
  state.photos.find((photo) => photo.id === state.selectedId) ?? null;
