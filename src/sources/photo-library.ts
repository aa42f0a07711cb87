/**
 * Where each photo's pixels come from, by result id, kept outside React and the store. A photo keeps
 * its File (cheap: the browser backs it by the file on disk), not its decoded pixels, so memory does
 * not grow with a batch of thousands; full size is decoded only for the few photos shown or exported
 * (a small cache, least recently used closed first). Paused video frames have no file and keep their
 * bitmap (there are few of them, added one by one).
 */
import { decodePhoto } from './photo-decode';

export type PhotoSource = { kind: 'file'; file: File } | { kind: 'bitmap'; bitmap: ImageBitmap };

/** Full-size photos kept decoded: the one on screen, the side-by-side copy and a few recently shown. */
export const FULL_SIZE_KEPT = 3;

const sources = new Map<string, PhotoSource>();
const decoded = new Map<string, Promise<ImageBitmap>>();

function closeDecoded(id: string) {
  const bitmap = decoded.get(id);
  decoded.delete(id);
  void bitmap?.then((b) => b.close(), () => undefined);
}

export const photoLibrary = {
  set(id: string, source: PhotoSource) {
    this.delete(id);
    sources.set(id, source);
  },
  source(id: string): PhotoSource | undefined {
    return sources.get(id);
  },
  has(id: string): boolean {
    return sources.has(id);
  },
  /** The photo at full size (or the reduced size huge photos are decoded at); the caller draws it at once and does not close it. */
  full(id: string): Promise<ImageBitmap> | undefined {
    const source = sources.get(id);
    if (!source) return undefined;
    if (source.kind === 'bitmap') return Promise.resolve(source.bitmap);
    let bitmap = decoded.get(id);
    if (bitmap) {
      decoded.delete(id);
    } else {
      bitmap = decodePhoto(source.file).then((d) => d.bitmap);
    }
    decoded.set(id, bitmap);
    for (const oldest of decoded.keys()) {
      if (decoded.size <= FULL_SIZE_KEPT) break;
      closeDecoded(oldest);
    }
    return bitmap;
  },
  delete(id: string) {
    const source = sources.get(id);
    if (source?.kind === 'bitmap') source.bitmap.close();
    sources.delete(id);
    closeDecoded(id);
  },
};
