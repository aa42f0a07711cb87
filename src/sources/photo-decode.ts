/**
 * Turns a user's file into pixels the app can use, or a clear reason why not. Decoding happens in the
 * browser (createImageBitmap), upright according to EXIF orientation.
 */

/** Formats Chromium decodes; listed to the user when a file is refused. */
export const SUPPORTED_FORMATS = 'JPEG, PNG, WebP, GIF, BMP, AVIF, SVG';

/** Largest side kept in memory; bigger photos are decoded at reduced size (the model sees 224 px anyway). */
export const MAX_DECODED_SIDE = 4096;

export class UnsupportedImageError extends Error {
  override name = 'UnsupportedImageError';
}

export interface DecodedPhoto {
  bitmap: ImageBitmap;
  /** Size of the photo as decoded (possibly reduced from the file's). */
  width: number;
  height: number;
  notes: string[];
}

const IMAGE_TYPE = /^image\//;
const NON_IMAGE_EXTENSION = /\.(heic|heif|tiff?|psd|raw|cr2|nef|pdf|txt|json|mp4|webm|mov)$/i;

export function looksLikeImage(file: File): boolean {
  if (IMAGE_TYPE.test(file.type)) return !/hei[cf]|tiff/i.test(file.type);
  return !NON_IMAGE_EXTENSION.test(file.name) && file.type === '';
}

async function sniffType(file: File): Promise<string | null> {
  const head = new Uint8Array(await file.slice(0, 16).arrayBuffer());
  const ascii = String.fromCharCode(...head);
  if (head[0] === 0xff && head[1] === 0xd8) return 'image/jpeg';
  if (ascii.startsWith('\x89PNG')) return 'image/png';
  if (ascii.startsWith('GIF8')) return 'image/gif';
  if (ascii.startsWith('RIFF') && ascii.slice(8, 12) === 'WEBP') return 'image/webp';
  if (ascii.startsWith('BM')) return 'image/bmp';
  if (ascii.slice(4, 8) === 'ftyp') return /avif|avis/.test(ascii.slice(8, 12)) ? 'image/avif' : 'image/heic';
  return null;
}

/** Decodes a file upright; photos larger than MAX_DECODED_SIDE are decoded at reduced size. */
export async function decodePhoto(file: File): Promise<DecodedPhoto> {
  if (file.size === 0) throw new UnsupportedImageError(`${file.name} is empty (0 bytes).`);
  const sniffed = await sniffType(file);
  const isSvg = file.type === 'image/svg+xml' || /\.svg$/i.test(file.name);
  if (sniffed === 'image/heic') {
    throw new UnsupportedImageError(`${file.name} is HEIC/HEIF, which this browser cannot decode. Supported: ${SUPPORTED_FORMATS}.`);
  }
  if (!sniffed && !isSvg) {
    throw new UnsupportedImageError(`${file.name} is not an image this browser can read. Supported: ${SUPPORTED_FORMATS}.`);
  }
  const notes: string[] = [];
  let bitmap: ImageBitmap;
  try {
    bitmap = isSvg ? await decodeSvg(file) : await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch {
    throw new UnsupportedImageError(`${file.name} could not be decoded: the file is damaged or truncated.`);
  }
  if (sniffed === 'image/gif') notes.push('GIF: the first frame was used');
  const { width, height } = bitmap;
  const scale = Math.min(1, MAX_DECODED_SIDE / Math.max(width, height));
  if (scale < 1) {
    const reduced = await createImageBitmap(bitmap, {
      resizeWidth: Math.max(1, Math.round(width * scale)),
      resizeHeight: Math.max(1, Math.round(height * scale)),
      resizeQuality: 'high',
    });
    bitmap.close();
    bitmap = reduced;
    notes.push(`Large photo (${width}×${height}) decoded at ${bitmap.width}×${bitmap.height}`);
  }
  return { bitmap, width: bitmap.width, height: bitmap.height, notes };
}

/**
 * SVGs are rendered through an <img>, where scripts never run, at a size that keeps the aspect ratio.
 */
async function decodeSvg(file: File): Promise<ImageBitmap> {
  const url = URL.createObjectURL(file);
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const side = 1024;
    const ratio = image.naturalWidth && image.naturalHeight ? image.naturalWidth / image.naturalHeight : 1;
    const width = ratio >= 1 ? side : Math.round(side * ratio);
    const height = ratio >= 1 ? Math.round(side / ratio) : side;
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2d context');
    context.fillStyle = '#fff';
    context.fillRect(0, 0, width, height);
    context.drawImage(image, 0, 0, width, height);
    return canvas.transferToImageBitmap();
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** The model's input: the crop region resized to `size`×`size` with high-quality (anti-aliased) scaling. */
export function cropToInput(
  source: ImageBitmap | HTMLVideoElement | HTMLCanvasElement | OffscreenCanvas,
  crop: { x: number; y: number; width: number; height: number },
  size: number,
): Promise<ImageBitmap> {
  return createImageBitmap(source, crop.x, crop.y, crop.width, crop.height, {
    resizeWidth: size,
    resizeHeight: size,
    resizeQuality: 'high',
  });
}

/** A small JPEG preview for the gallery, as an object URL. */
export async function makeThumbnail(bitmap: ImageBitmap, maxSide = 320): Promise<string> {
  const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no 2d context');
  context.fillStyle = '#fff';
  context.fillRect(0, 0, width, height);
  context.drawImage(bitmap, 0, 0, width, height);
  return URL.createObjectURL(await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.85 }));
}
