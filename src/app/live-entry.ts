/**
 * Live features (webcam, video, recording, render mode) load on first use, keeping them out of the
 * first download of the page.
 */
export const loadLive = () => import('./live');

export async function startWebcamLazily(deviceId?: string): Promise<void> {
  (await loadLive()).startWebcam(deviceId);
}

export async function openVideoLazily(file: File): Promise<void> {
  await (await loadLive()).openVideoFile(file);
}

export async function stopLiveLazily(): Promise<void> {
  (await loadLive()).stopLive();
}
