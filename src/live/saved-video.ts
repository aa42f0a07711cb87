/**
 * Videos the app makes (Record, render mode) are saved through here: downloaded as files, and handed to
 * one optional watcher — the automation API, so tests in engines whose downloads cannot be read over
 * WebDriver can still check the real bytes.
 */
import { download } from '../results/download';

export interface SavedVideo {
  blob: Blob;
  name: string;
}

let watcher: ((video: SavedVideo) => void) | null = null;

export function watchSavedVideos(listener: (video: SavedVideo) => void): void {
  watcher = listener;
}

export function saveVideo(blob: Blob, name: string): void {
  download(blob, name);
  watcher?.({ blob, name });
}
