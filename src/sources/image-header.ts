/**
 * Reads an image's pixel size and format from its first bytes, without decoding it — so a huge photo
 * can be decoded straight to a reduced size instead of allocating gigabytes.
 */
export type ImageFormat = 'jpeg' | 'png' | 'gif' | 'webp' | 'bmp' | 'avif' | 'heic' | 'svg';

export interface ImageHeader {
  format: ImageFormat;
  /** Pixel size as stored (before EXIF rotation); null when the header does not say. */
  width: number | null;
  height: number | null;
  /** JPEG only: the file ends with the end-of-image marker (false = truncated). */
  complete?: boolean;
  /** PNG only: has an alpha channel or a transparency chunk. */
  alpha?: boolean;
}

const ascii = (bytes: Uint8Array, start: number, end: number) => String.fromCharCode(...bytes.subarray(start, end));

function jpegSize(view: DataView): { width: number; height: number } | null {
  let offset = 2;
  while (offset + 9 < view.byteLength) {
    if (view.getUint8(offset) !== 0xff) {
      offset++;
      continue;
    }
    const marker = view.getUint8(offset + 1);
    if (marker === 0xff) {
      offset++;
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      offset += 2;
      continue;
    }
    const length = view.getUint16(offset + 2);
    // SOF0–SOF15 except DHT (C4), JPG (C8), DAC (CC) carry the frame size.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: view.getUint16(offset + 5), width: view.getUint16(offset + 7) };
    }
    offset += 2 + length;
  }
  return null;
}

/** Parses the header of `bytes` (the start of the file); `tail` is the file's last two bytes. */
export function parseImageHeader(bytes: Uint8Array, tail?: Uint8Array): ImageHeader | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    const size = jpegSize(view);
    const complete = tail ? tail[0] === 0xff && tail[1] === 0xd9 : undefined;
    return { format: 'jpeg', width: size?.width ?? null, height: size?.height ?? null, complete };
  }
  if (bytes.length >= 24 && ascii(bytes, 1, 4) === 'PNG') {
    const colourType = bytes[25];
    const alpha = colourType === 4 || colourType === 6 || new TextDecoder('latin1').decode(bytes).includes('tRNS');
    return { format: 'png', width: view.getUint32(16), height: view.getUint32(20), alpha };
  }
  if (bytes.length >= 10 && ascii(bytes, 0, 4) === 'GIF8') {
    return { format: 'gif', width: view.getUint16(6, true), height: view.getUint16(8, true) };
  }
  if (bytes.length >= 30 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') {
    const chunk = ascii(bytes, 12, 16);
    if (chunk === 'VP8X') {
      const w = 1 + (bytes[24] | (bytes[25] << 8) | (bytes[26] << 16));
      const h = 1 + (bytes[27] | (bytes[28] << 8) | (bytes[29] << 16));
      return { format: 'webp', width: w, height: h };
    }
    if (chunk === 'VP8 ') return { format: 'webp', width: view.getUint16(26, true) & 0x3fff, height: view.getUint16(28, true) & 0x3fff };
    if (chunk === 'VP8L') {
      const b = view.getUint32(21, true);
      return { format: 'webp', width: (b & 0x3fff) + 1, height: ((b >> 14) & 0x3fff) + 1 };
    }
    return { format: 'webp', width: null, height: null };
  }
  if (bytes.length >= 26 && ascii(bytes, 0, 2) === 'BM') {
    return { format: 'bmp', width: Math.abs(view.getInt32(18, true)), height: Math.abs(view.getInt32(22, true)) };
  }
  if (bytes.length >= 12 && ascii(bytes, 4, 8) === 'ftyp') {
    const brand = ascii(bytes, 8, 12);
    return { format: /avi[fs]/.test(brand) ? 'avif' : 'heic', width: null, height: null };
  }
  if (startsWithSvgElement(bytes)) return { format: 'svg', width: null, height: null };
  return null;
}

/** White space, XML declaration, comments and doctype: what may come before the root element. */
const XML_PROLOG = /^(?:\s+|<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!doctype[^[>]*(?:\[[\s\S]*?\])?\s*>)*/i;

/** The document's first element is <svg> (editors and icon sites often put a comment or doctype first). */
function startsWithSvgElement(bytes: Uint8Array): boolean {
  const text = new TextDecoder().decode(bytes);
  return /^<svg[\s>/]/i.test(text.slice(XML_PROLOG.exec(text)?.[0].length ?? 0));
}
