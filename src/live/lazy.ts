/**
 * Live features (webcam, video, recording, render mode) load on first use, keeping them out of the
 * first download of the page. Each call settles when the live module's own call has.
 */
export const loadLive = () => import('./index');

export async function startWebcamLazily(deviceId?: string): Promise<void> {
  await (await loadLive()).liveSession.startWebcam(deviceId);
}

export async function openVideoLazily(file: File): Promise<void> {
  await (await loadLive()).liveSession.openVideoFile(file);
}

export async function stopLiveLazily(): Promise<void> {
  (await loadLive()).liveSession.stop();
}
