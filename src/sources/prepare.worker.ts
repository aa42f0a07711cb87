/**
 * The photo worker: prepares the photos of a batch (read the header, decode, thumbnail, crop and resize
 * to the model's input) off the page's main thread. In Chromium, reading a file's size or making an
 * object URL waits on the browser process; thousands of those on the main thread made the page stutter
 * while the model ran. The thumbnails' object URLs are made here, so they are revoked here too.
 */
import { errorMessage } from '../errors';
import { NeedsPageError } from './photo-decode';
import { prepareFile } from './prepare-photo';
import type { FromPhotoWorker, ToPhotoWorker } from './photo-worker-protocol';

/** This worker's global scope, as far as it is used here. */
const scope = self as unknown as { postMessage(message: FromPhotoWorker, transfer: Transferable[]): void; onmessage: ((event: MessageEvent<ToPhotoWorker>) => void) | null };
const post = (message: FromPhotoWorker, transfer: Transferable[] = []) => scope.postMessage(message, transfer);

/** Whether this engine can do it all in a worker: decode a file, draw on an OffscreenCanvas, encode a thumbnail. */
async function canPrepare(): Promise<string | null> {
  try {
    const canvas = new OffscreenCanvas(4, 4);
    const context = canvas.getContext('2d');
    if (!context) return 'no 2d OffscreenCanvas';
    context.fillStyle = '#c33';
    context.fillRect(0, 0, 4, 4);
    const probe = new File([await canvas.convertToBlob({ type: 'image/png' })], 'probe.png', { type: 'image/png' });
    const prepared = await prepareFile(probe, 2, true);
    prepared.input.close();
    if (prepared.thumbnailUrl) URL.revokeObjectURL(prepared.thumbnailUrl);
    return null;
  } catch (error) {
    return errorMessage(error);
  }
}

scope.onmessage = async (event) => {
  const message = event.data;
  if (message.type === 'revoke') {
    URL.revokeObjectURL(message.url);
    return;
  }
  try {
    const photo = await prepareFile(message.file, message.size, message.thumbnail);
    post({ type: 'prepared', id: message.id, photo }, [photo.input]);
  } catch (error) {
    post({ type: 'failed', id: message.id, message: errorMessage(error), onPage: error instanceof NeedsPageError });
  }
};

void canPrepare().then((problem) => post({ type: 'ready', problem }));
