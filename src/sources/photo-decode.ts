/**
 * Turns a user's file into pixels the app can use, or a clear reason why not. Decoding happens in the
 * browser (createImageBitmap), upright according to EXIF orientation; huge photos are decoded at a
 * reduced size; SVGs are rasterised through an <img>, where their scripts never run.
 */
import { jpegHasEnd, parseImageHeader, type ImageHeader } from './image-header';

/** Formats Chromium decodes; listed to the user when a file is refused. */
export const SUPPORTED_FORMATS = 'JPEG, PNG, WebP, GIF, BMP, AVIF, SVG';

/** Most pixels kept in memory (≈ 4096²); larger photos are decoded smaller (the model sees 224² anyway). */
export const MAX_DECODED_PIXELS = 4096 * 4096;

/**
 * Below this many pixels on a side a picture holds too little for an ImageNet class: the model sees
 * 224×224, so it would be enlarged 7 times or more. Photos that small are classified with a note;
 * videos that small are not classified.
 */
export const MIN_MEANINGFUL_SIDE = 32;

export class UnsupportedImageError extends Error {
  override name = 'UnsupportedImageError';
}

/** Thrown where a picture needs the page's DOM to be drawn (an SVG, in a worker): the page does it instead. */
export class NeedsPageError extends Error {
  override name = 'NeedsPageError';
}

export interface DecodedPhoto {
  bitmap: ImageBitmap;
  /** Size as decoded (possibly reduced from the file's). */
  width: number;
  height: number;
  /** Things worth telling the user about this input. */
  notes: string[];
}

/** Beyond this size a JPEG that does not end with its end marker is not searched for it (the note is skipped). */
const END_SEARCH_MAX_BYTES = 64 * 1024 * 1024;

async function readHeader(file: File): Promise<ImageHeader | null> {
  const head = new Uint8Array(await file.slice(0, 64 * 1024).arrayBuffer());
  const tail = new Uint8Array(await file.slice(Math.max(0, file.size - 2)).arrayBuffer());
  const header = parseImageHeader(head, tail);
  // Data after the end marker (a phone's trailer, a motion photo's video) is not truncation: look for the marker.
  if (header?.format === 'jpeg' && header.complete === false) {
    header.complete = file.size <= END_SEARCH_MAX_BYTES ? jpegHasEnd(new Uint8Array(await file.arrayBuffer())) : undefined;
  }
  return header;
}

export async function decodePhoto(file: File): Promise<DecodedPhoto> {
  const name = file.name || 'The pasted image';
  if (file.size === 0) throw new UnsupportedImageError(`${name} is empty (0 bytes).`);
  const header = await readHeader(file);
  if (!header) throw new UnsupportedImageError(`${name} is not an image this browser can read. Supported formats: ${SUPPORTED_FORMATS}.`);
  if (header.format === 'svg' && typeof DOMParser === 'undefined') throw new NeedsPageError(`${name} is an SVG: drawn by the page`);
  const notes: string[] = [];
  let bitmap: ImageBitmap;
  try {
    bitmap = header.format === 'svg' ? await decodeSvg(file, notes) : await decodeRaster(file, header, notes);
  } catch (error) {
    if (error instanceof UnsupportedImageError) throw error;
    // Safari decodes HEIC; where the browser cannot, say so (the file is not damaged).
    if (header.format === 'heic') {
      throw new UnsupportedImageError(`${name} is HEIC/HEIF, which this browser cannot decode. Convert it to JPEG, or use one of: ${SUPPORTED_FORMATS}.`);
    }
    if (header.format === 'svg') throw new UnsupportedImageError(`${name} is an SVG this app cannot draw (it is malformed or uses features a picture cannot).`);
    const truncated = header.complete === false ? ' (it is truncated: the file ends before the image does)' : '';
    throw new UnsupportedImageError(`${name} could not be decoded: the file is damaged or incomplete${truncated}.`);
  }
  const { width, height } = bitmap;
  if (header.format === 'jpeg' && header.complete === false) notes.push('This JPEG is truncated: only the part that loaded was classified');
  if (header.format === 'gif') notes.push('GIF: the first frame was classified');
  if (header.format === 'svg') notes.push('SVG: drawn as a picture (scripts never run)');
  if (header.alpha) notes.push('Transparent areas are seen on white');
  if (Math.min(width, height) < MIN_MEANINGFUL_SIDE) notes.push(`Very small image (${width}×${height}): enlarged for the model, expect poor results`);
  if (Math.max(width, height) / Math.min(width, height) > 3) notes.push('Very wide or tall image: the model sees only the central square');
  return { bitmap, width, height, notes };
}

async function decodeRaster(file: File, header: ImageHeader, notes: string[]): Promise<ImageBitmap> {
  const { width, height } = header;
  if (width && height && width * height > MAX_DECODED_PIXELS) {
    const scale = Math.sqrt(MAX_DECODED_PIXELS / (width * height));
    const resizeWidth = Math.max(1, Math.round(width * scale));
    const resizeHeight = Math.max(1, Math.round(height * scale));
    notes.push(`Large photo (${width}×${height}) decoded at ${resizeWidth}×${resizeHeight}`);
    return createImageBitmap(file, { imageOrientation: 'from-image', resizeWidth, resizeHeight, resizeQuality: 'high' });
  }
  return createImageBitmap(file, { imageOrientation: 'from-image' });
}

/**
 * Embedded HTML (`foreignObject`) would taint the canvas, and scripts or event handlers have no place in
 * a picture: both are removed before the SVG is drawn (an <img> would not run scripts anyway).
 */
function sanitiseSvg(text: string, notes: string[]): string {
  const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
  if (doc.querySelector('parsererror') || doc.documentElement.nodeName.toLowerCase() !== 'svg') {
    throw new Error('not a well-formed SVG');
  }
  const embedded = doc.querySelectorAll('foreignObject');
  if (embedded.length > 0) notes.push('SVG: embedded HTML was left out');
  for (const element of [...embedded, ...doc.querySelectorAll('script')]) element.remove();
  for (const element of doc.querySelectorAll('*')) {
    for (const attribute of [...element.attributes]) {
      const value = attribute.value.trim().toLowerCase();
      if (attribute.name.toLowerCase().startsWith('on') || value.startsWith('javascript:')) element.removeAttribute(attribute.name);
    }
  }
  return new XMLSerializer().serializeToString(doc);
}

async function decodeSvg(file: File, notes: string[]): Promise<ImageBitmap> {
  const clean = sanitiseSvg(await file.text(), notes);
  const url = URL.createObjectURL(new Blob([clean], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const side = 1024;
    const ratio = image.naturalWidth && image.naturalHeight ? image.naturalWidth / image.naturalHeight : 1;
    const width = ratio >= 1 ? side : Math.round(side * ratio);
    const height = ratio >= 1 ? Math.round(side / ratio) : side;
    const { canvas, context } = drawOnWhite(image, width, height);
    // Reading a pixel throws if anything still tainted the canvas; the model could not read it either.
    context.getImageData(0, 0, 1, 1);
    return canvas.transferToImageBitmap();
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** `source` scaled onto a white canvas (transparent areas are seen on white everywhere in the app). */
function drawOnWhite(source: CanvasImageSource, width: number, height: number) {
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no 2d context');
  context.fillStyle = '#fff';
  context.fillRect(0, 0, width, height);
  context.drawImage(source, 0, 0, width, height);
  return { canvas, context };
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

/**
 * A small preview for the gallery (84 px square, cropped to cover, sharp at 2× pixel density), as an
 * object URL: a few KB per photo (WebP), made once.
 */
export async function makeThumbnail(bitmap: ImageBitmap, shortSide = 168): Promise<string> {
  const scale = Math.min(1, shortSide / Math.min(bitmap.width, bitmap.height), (4 * shortSide) / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  const { canvas } = drawOnWhite(bitmap, width, height);
  // WebP is about half the bytes of JPEG at this size; a browser that cannot encode it gives PNG, so JPEG then.
  const webp = await canvas.convertToBlob({ type: 'image/webp', quality: 0.75 });
  return URL.createObjectURL(webp.type === 'image/webp' ? webp : await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.8 }));
}
