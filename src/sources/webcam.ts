/**
 * The webcam as a video source: permission, camera choice, and the failure modes a user can act on.
 */

export type WebcamFailure = 'denied' | 'no-camera' | 'busy' | 'unsupported' | 'error';

/** What each failure means for the user, and what they can do about it. */
export const WEBCAM_MESSAGES: Record<WebcamFailure | 'disconnected', string> = {
  denied:
    'Camera permission was denied. Allow camera access for this site (the camera icon in the address bar), then press “Start webcam” again.',
  'no-camera': 'No camera was found. Connect a camera and press “Start webcam”, or open a video file instead.',
  busy: 'The camera is in use by another application or could not be started. Close the other application and try again.',
  unsupported: 'This browser cannot use a camera here (camera access needs a secure https:// page).',
  error: 'The camera could not be started.',
  disconnected: 'The camera was disconnected. Reconnect it and press “Start webcam”, or choose another camera.',
};

export class WebcamError extends Error {
  constructor(
    readonly failure: WebcamFailure,
    detail?: string,
  ) {
    super(detail ? `${WEBCAM_MESSAGES[failure]} (${detail})` : WEBCAM_MESSAGES[failure]);
    this.name = 'WebcamError';
  }
}

export interface CameraInfo {
  deviceId: string;
  label: string;
}

export interface WebcamStream {
  stream: MediaStream;
  track: MediaStreamTrack;
  deviceId: string;
  /** A front (user-facing) camera: shown mirrored by default, as people expect. */
  facesUser: boolean;
}

function classify(error: unknown): WebcamError {
  const name = error instanceof DOMException ? error.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return new WebcamError('denied');
  if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'DevicesNotFoundError') return new WebcamError('no-camera');
  if (name === 'NotReadableError' || name === 'AbortError' || name === 'TrackStartError') return new WebcamError('busy');
  return new WebcamError('error', error instanceof Error ? error.message : String(error));
}

export async function listCameras(): Promise<CameraInfo[]> {
  if (!navigator.mediaDevices?.enumerateDevices) return [];
  const devices = await navigator.mediaDevices.enumerateDevices();
  return devices
    .filter((device) => device.kind === 'videoinput')
    .map((device, i) => ({ deviceId: device.deviceId, label: device.label || `Camera ${i + 1}` }));
}

/** Asks for the camera (the browser shows its permission prompt the first time). */
export async function openWebcam(deviceId?: string): Promise<WebcamStream> {
  if (!navigator.mediaDevices?.getUserMedia) throw new WebcamError('unsupported');
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      audio: false,
      video: deviceId ? { deviceId: { exact: deviceId } } : { facingMode: 'user', width: { ideal: 1280 }, height: { ideal: 720 } },
    });
  } catch (error) {
    throw classify(error);
  }
  const track = stream.getVideoTracks()[0];
  if (!track) {
    stream.getTracks().forEach((t) => t.stop());
    throw new WebcamError('no-camera');
  }
  const settings = track.getSettings();
  return {
    stream,
    track,
    deviceId: settings.deviceId ?? deviceId ?? '',
    facesUser: settings.facingMode ? settings.facingMode === 'user' : true,
  };
}

export function stopStream(stream: MediaStream): void {
  for (const track of stream.getTracks()) track.stop();
}
