/**
 * Decoded photos by result id, kept outside React and the store (bitmaps are large and not data).
 * The overlay and the exports draw from here; removing a photo closes its bitmap.
 */
const bitmaps = new Map<string, ImageBitmap>();

export const photoLibrary = {
  set(id: string, bitmap: ImageBitmap) {
    bitmaps.get(id)?.close();
    bitmaps.set(id, bitmap);
  },
  get(id: string): ImageBitmap | undefined {
    return bitmaps.get(id);
  },
  delete(id: string) {
    bitmaps.get(id)?.close();
    bitmaps.delete(id);
  },
};
