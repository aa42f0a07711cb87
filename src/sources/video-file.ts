/** Opening a video file in a media element, and the files that are not worth opening. */
import { MIN_MEANINGFUL_SIDE } from './photo-decode';
import { sniffFile } from './sniff';

export class VideoDecodeError extends Error {
  override name = 'VideoDecodeError';
}

/**
 * Resolves when `element` has its first frame (or, with `until: 'loadedmetadata'`, knows its size),
 * rejects when it cannot play the file — or stalls with nothing loaded — or when `signal` aborts
 * (another source was opened). Every listener it adds is removed when it settles.
 */
export function firstFrameLoaded(element: EventTarget, signal: AbortSignal, until: 'loadeddata' | 'loadedmetadata' = 'loadeddata'): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const listening = new AbortController();
    const options = { signal: listening.signal };
    const settle = (finish: () => void) => {
      listening.abort();
      finish();
    };
    element.addEventListener(until, () => settle(resolve), options);
    const fail = () => settle(() => reject(new VideoDecodeError('decode')));
    element.addEventListener('error', fail, options);
    element.addEventListener('stalled', () => (element as Partial<HTMLMediaElement>).readyState === 0 && fail(), options);
    signal.addEventListener('abort', () => settle(() => reject(signal.reason)), options);
  });
}

/** Longest wait for a file's metadata before the player itself is left to say what is wrong. */
const PROBE_TIMEOUT_MS = 15_000;

/**
 * The picture size of a media file, read from its metadata in an element of its own (so whatever
 * plays meanwhile goes on); 0×0 when it has sound only; null when this browser cannot load it.
 */
async function probeVideoSize(file: Blob): Promise<{ width: number; height: number } | null> {
  const element = document.createElement('video');
  element.muted = true;
  element.preload = 'metadata';
  const url = URL.createObjectURL(file);
  try {
    element.src = url;
    await firstFrameLoaded(element, AbortSignal.timeout(PROBE_TIMEOUT_MS), 'loadedmetadata');
    return { width: element.videoWidth, height: element.videoHeight };
  } catch {
    return null;
  } finally {
    element.removeAttribute('src');
    element.load();
    URL.revokeObjectURL(url);
  }
}

/**
 * Why `file`, opened as a video, cannot be classified — sound only, a picture too small, a format this
 * browser does not play — found before anything playing is closed; null when it is worth opening
 * (files that are not media at all are left to the player, whose error says so).
 */
export async function videoRefusal(file: File): Promise<string | null> {
  const content = await sniffFile(file);
  const onlySound = `${file.name} has only sound (${content.label} audio), no picture: there is nothing to classify.`;
  if (content.kind === 'audio') return onlySound;
  if (content.kind !== 'video') return null;
  const size = await probeVideoSize(file);
  if (!size) {
    const playable = content.mime !== null && document.createElement('video').canPlayType(content.mime) !== '';
    return playable ? null : `${file.name}: this browser cannot play ${content.label} video. Try WebM (VP8/VP9/AV1) or MP4 (H.264).`;
  }
  if (size.width === 0 || size.height === 0) return onlySound;
  if (Math.min(size.width, size.height) < MIN_MEANINGFUL_SIDE) {
    return (
      `${file.name} is ${size.width}×${size.height} px: too small to classify. Videos need at least ${MIN_MEANINGFUL_SIDE}×${MIN_MEANINGFUL_SIDE} px: ` +
      'the model sees 224×224, and a smaller frame holds too little to recognise anything.'
    );
  }
  return null;
}
