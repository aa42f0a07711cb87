/** Opening a video file in a media element. */

export class VideoDecodeError extends Error {
  override name = 'VideoDecodeError';
}

/**
 * Resolves when `element` has its first frame, rejects when it cannot play the file or when `signal`
 * aborts (another source was opened). Every listener it adds is removed when it settles.
 */
export function firstFrameLoaded(element: EventTarget, signal: AbortSignal): Promise<void> {
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
    element.addEventListener('loadeddata', () => settle(resolve), options);
    element.addEventListener('error', () => settle(() => reject(new VideoDecodeError('decode'))), options);
    signal.addEventListener('abort', () => settle(() => reject(signal.reason)), options);
  });
}
