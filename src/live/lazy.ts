/**
 * Live features (webcam, video, recording, render mode) load on first use, keeping them out of the
 * first download of the page. Each call settles when the live module's own call has.
 */
import type { CameraChoice } from '../sources/webcam';

export const loadLive = () => import('./index');

export async function startWebcamLazily(choice?: CameraChoice): Promise<void> {
  await (await loadLive()).liveSession.startWebcam(choice);
}

export async function openVideoLazily(file: File): Promise<void> {
  await (await loadLive()).liveSession.openVideoFile(file);
}

export async function stopLiveLazily(): Promise<void> {
  (await loadLive()).liveSession.stop();
}
