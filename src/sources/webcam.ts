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

/** Which way a camera looks: at the user (front, selfie) or away from them (back). */
export type Facing = 'user' | 'environment';

/** Either a camera picked from the list, or a side of the device. */
export type CameraChoice = { deviceId: string } | { facing: Facing };

/** What the page can tell about the device it runs on. */
export interface DeviceTraits {
  /** The browser says it is a mobile device (User-Agent Client Hints, or "Mobi"/"Android"/"iPhone"/"iPad" in the user agent). */
  mobile: boolean;
  maxTouchPoints: number;
  /** The primary pointer is a finger, not a mouse or touchpad. */
  coarsePointer: boolean;
}

/**
 * A phone or tablet, which has a front and a back camera. A touch laptop still has a fine primary pointer;
 * an iPad says "Macintosh" but has several touch points and a coarse pointer.
 */
export function isHandheld(device: DeviceTraits): boolean {
  return device.mobile || (device.maxTouchPoints > 1 && device.coarsePointer);
}

/** The camera to open by default: on a phone or tablet the back one (people point it at things), elsewhere the front one (often the only one). */
export function defaultFacing(device: DeviceTraits): Facing {
  return isHandheld(device) ? 'environment' : 'user';
}

/** The getUserMedia video constraints for a choice: an exact device, or a preferred side (any camera will do). */
export function videoConstraints(choice: CameraChoice): MediaTrackConstraints {
  if ('deviceId' in choice) return { deviceId: { exact: choice.deviceId } };
  return { facingMode: { ideal: choice.facing }, width: { ideal: 1280 }, height: { ideal: 720 } };
}

/** This browser's traits, for defaultFacing. */
export function currentDeviceTraits(): DeviceTraits {
  const hints = (navigator as Navigator & { userAgentData?: { mobile?: boolean } }).userAgentData;
  return {
    mobile: hints?.mobile === true || /Mobi|Android|iPhone|iPad/.test(navigator.userAgent),
    maxTouchPoints: navigator.maxTouchPoints ?? 0,
    coarsePointer: typeof matchMedia === 'function' && matchMedia('(pointer: coarse)').matches,
  };
}

/**
 * Asks for the camera (the browser shows its permission prompt the first time). Without a choice, the
 * side that suits the device (see defaultFacing).
 */
export async function openWebcam(choice: CameraChoice = { facing: defaultFacing(currentDeviceTraits()) }): Promise<WebcamStream> {
  if (!navigator.mediaDevices?.getUserMedia) throw new WebcamError('unsupported');
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ audio: false, video: videoConstraints(choice) });
  } catch (error) {
    throw classify(error);
  }
  const track = stream.getVideoTracks()[0];
  if (!track) {
    stream.getTracks().forEach((t) => t.stop());
    throw new WebcamError('no-camera');
  }
  const settings = track.getSettings();
  // A camera that does not say which way it looks is taken to be the side asked for (front for a listed device: a webcam).
  const asked: Facing = 'facing' in choice ? choice.facing : 'user';
  return {
    stream,
    track,
    deviceId: settings.deviceId ?? ('deviceId' in choice ? choice.deviceId : ''),
    facesUser: (settings.facingMode || asked) === 'user',
  };
}

export function stopStream(stream: MediaStream): void {
  for (const track of stream.getTracks()) track.stop();
}
