/**
 * Puts a user's video file into a <video> element. The plain way is a blob: URL. Some media stacks
 * cannot read blob: URLs although they decode the codec — WebKitGTK's GStreamer player fails on them
 * (error 4, or "stalled" with nothing loaded) for WebM and MP4 alike — so when nothing loads that way,
 * the same file is fed through Media Source Extensions instead: remuxed on the device by mediabunny
 * (no re-encoding; fragmented MP4, or WebM; video only, as the live view is muted).
 */

import { firstFrameLoaded, VideoDecodeError } from './video-file';

export interface AttachedVideo {
  /** How the file reached the element. */
  via: 'url' | 'media-source';
  /** Frees the object URL; call when the element lets go of the file. */
  release(): void;
}

export class VideoFileError extends Error {
  override name = 'VideoFileError';
}

/** True once the element has a frame, false if it cannot play the file; rejects when `signal` aborts. */
function firstFrame(element: HTMLVideoElement, signal: AbortSignal): Promise<boolean> {
  return firstFrameLoaded(element, signal).then(
    () => true,
    (error: unknown) => (error instanceof VideoDecodeError ? false : Promise.reject(error)),
  );
}

function once(target: EventTarget, type: string): Promise<void> {
  return new Promise((resolve) => target.addEventListener(type, () => resolve(), { once: true }));
}

/** The file's video track, remuxed without re-encoding into a container Media Source Extensions accept. */
async function remuxForMediaSource(file: File): Promise<{ bytes: ArrayBuffer; mimeType: string }> {
  const { Input, ALL_FORMATS, BlobSource, Output, BufferTarget, Conversion, Mp4OutputFormat, WebMOutputFormat } = await import('mediabunny');
  const input = new Input({ source: new BlobSource(file), formats: ALL_FORMATS });
  const webm = /webm|matroska/.test(await input.getMimeType());
  const output = new Output({ format: webm ? new WebMOutputFormat() : new Mp4OutputFormat({ fastStart: 'fragmented' }), target: new BufferTarget() });
  const conversion = await Conversion.init({ input, output, audio: { discard: true }, showWarnings: false });
  if (!conversion.isValid) throw new VideoFileError('the file is damaged or its video codec is unknown');
  await conversion.execute();
  const bytes = output.target.buffer;
  if (!bytes) throw new VideoFileError('remuxing produced nothing');
  return { bytes, mimeType: await output.getMimeType() };
}

async function attachThroughMediaSource(element: HTMLVideoElement, file: File, signal: AbortSignal): Promise<AttachedVideo> {
  if (typeof MediaSource === 'undefined') throw new VideoFileError('this browser cannot play it from a file (no Media Source Extensions)');
  const { bytes, mimeType } = await remuxForMediaSource(file);
  if (!MediaSource.isTypeSupported(mimeType)) throw new VideoFileError(`this browser does not support ${mimeType}`);
  const source = new MediaSource();
  const url = URL.createObjectURL(source);
  const loaded = firstFrame(element, signal);
  element.src = url;
  await once(source, 'sourceopen');
  const buffer = source.addSourceBuffer(mimeType);
  buffer.appendBuffer(bytes);
  await once(buffer, 'updateend');
  source.endOfStream();
  if (!(await loaded.catch((error: unknown) => (URL.revokeObjectURL(url), Promise.reject(error))))) {
    URL.revokeObjectURL(url);
    throw new VideoFileError('its codec is not supported by this browser');
  }
  return { via: 'media-source', release: () => URL.revokeObjectURL(url) };
}

/**
 * Loads `file` into `element` and resolves once its first frame is there; throws a VideoFileError
 * (message in words for the user) when this browser cannot play it either way. A blob: URL that loads
 * but then fails to decode (WebKitGTK reads wrong bytes from it mid-file) is replaced by Media Source
 * Extensions at the same position, and playback goes on.
 */
/**
 * WebKit on Linux (WebKitGTK, WPE) reads blob: video through GStreamer, which fails outright or, worse,
 * plays on as if frames were missing (racing to the end) — nothing to detect and recover from. There the
 * file goes through Media Source from the start. Safari (macOS, iOS) and other engines read blob: URLs well.
 */
export function blobVideoIsUnreliable(userAgent: string): boolean {
  return /AppleWebKit/.test(userAgent) && /Linux/.test(userAgent) && !/Android|Chrome|Chromium|Firefox/.test(userAgent);
}

export async function attachVideoFile(element: HTMLVideoElement, file: File, signal: AbortSignal): Promise<AttachedVideo> {
  if (typeof MediaSource !== 'undefined' && blobVideoIsUnreliable(navigator.userAgent)) return attachThroughMediaSource(element, file, signal);
  const url = URL.createObjectURL(file);
  const loaded = firstFrame(element, signal);
  element.src = url;
  let ok: boolean;
  try {
    ok = await loaded;
  } catch (error) {
    URL.revokeObjectURL(url);
    throw error;
  }
  if (!ok) {
    URL.revokeObjectURL(url);
    return attachThroughMediaSource(element, file, signal);
  }
  let replacement: AttachedVideo | null = null;
  const recover = () => {
    if (element.src !== url) return;
    const at = element.currentTime;
    URL.revokeObjectURL(url);
    void attachThroughMediaSource(element, file, signal)
      .then((attached) => {
        replacement = attached;
        element.currentTime = at;
        return element.play();
      })
      .catch(() => undefined);
  };
  element.addEventListener('error', recover, { once: true, signal });
  return {
    via: 'url',
    release: () => {
      element.removeEventListener('error', recover);
      URL.revokeObjectURL(url);
      replacement?.release();
    },
  };
}
