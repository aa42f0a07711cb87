import { create } from 'zustand';
import { createPhotosSlice, type PhotosSlice } from './photos';
import { createSessionSlice, type SessionSlice } from './session';
import { createSettingsSlice, type SettingsSlice } from './settings';

export type AppState = SessionSlice & SettingsSlice & PhotosSlice;

/** The one app store, composed of slices; React reads it through selectors, other code via getState(). */
export const useAppStore = create<AppState>()((...args) => ({
  ...createSessionSlice(...args),
  ...createSettingsSlice(...args),
  ...createPhotosSlice(...args),
}));

export const selectSelectedPhoto = (state: AppState) =>
  state.photos.find((photo) => photo.id === state.selectedId) ?? null;
