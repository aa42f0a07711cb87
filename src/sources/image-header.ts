/**
 * Reads an image's pixel size and format from its first bytes, without decoding it — so a huge photo
 * can be decoded straight to a reduced size instead of allocating gigabytes.
 */
import { sniffBytes } from './sniff';

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

/**
 * Whether a whole JPEG file holds its end-of-image marker. Most files end with it; some carry data
 * after it (phones append a trailer or a whole "motion photo" video), which does not make the picture
 * incomplete. Inside the compressed data a 0xFF byte is always followed by 0x00 or a restart marker,
 * so the first FF D9 after the first start-of-scan (FF DA) is the image's end — an EXIF thumbnail's
 * own end marker comes before that scan and is not mistaken for it.
 */
export function jpegHasEnd(file: Uint8Array): boolean {
  const last = file.length - 1;
  if (last >= 1 && file[last - 1] === 0xff && file[last] === 0xd9) return true;
  let scanning = false;
  for (let i = 2; i < last; i++) {
    if (file[i] !== 0xff) continue;
    const marker = file[i + 1];
    if (!scanning) {
      if (marker === 0xda) scanning = true;
      else if (marker >= 0xc0 && marker !== 0xff && !(marker >= 0xd0 && marker <= 0xd7) && i + 3 < file.length) {
        i += 1 + ((file[i + 2] << 8) | file[i + 3]); // skip the segment
      }
      continue;
    }
    if (marker === 0xd9) return true;
  }
  return false;
}

/** Parses the header of `bytes` (the start of the file); `tail` is the file's last two bytes. Null when it is not an image. */
export function parseImageHeader(bytes: Uint8Array, tail?: Uint8Array): ImageHeader | null {
  const { kind, format } = sniffBytes(bytes);
  if (kind !== 'image') return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const unsized = { format: format as ImageFormat, width: null, height: null };
  switch (format) {
    case 'jpeg': {
      const size = jpegSize(view);
      const complete = tail ? tail[0] === 0xff && tail[1] === 0xd9 : undefined;
      return { format, width: size?.width ?? null, height: size?.height ?? null, complete };
    }
    case 'png': {
      if (bytes.length < 26) return unsized;
      const colourType = bytes[25];
      const alpha = colourType === 4 || colourType === 6 || new TextDecoder('latin1').decode(bytes).includes('tRNS');
      return { format, width: view.getUint32(16), height: view.getUint32(20), alpha };
    }
    case 'gif':
      return bytes.length >= 10 ? { format, width: view.getUint16(6, true), height: view.getUint16(8, true) } : unsized;
    case 'webp':
      return webpSize(bytes, view) ?? unsized;
    case 'bmp':
      return bytes.length >= 26 ? { format, width: Math.abs(view.getInt32(18, true)), height: Math.abs(view.getInt32(22, true)) } : unsized;
    default:
      return unsized;
  }
}

function webpSize(bytes: Uint8Array, view: DataView): ImageHeader | null {
  if (bytes.length < 30) return null;
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
  return null;
}
