/** PNG bytes: a minimal encoder (for generated test images) and a reader of the size of a PNG the app exports. */
import { deflateSync } from 'node:zlib';

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

export function ihdr(width: number, height: number, depth: 8 | 16, channels: 3 | 4): Buffer {
  const data = Buffer.alloc(13);
  data.writeUInt32BE(width, 0);
  data.writeUInt32BE(height, 4);
  data[8] = depth;
  data[9] = channels === 4 ? 6 : 2; // colour type: RGBA or RGB
  return data; // compression, filter and interlace methods 0
}

/** A PNG from raw, non-interlaced pixels (RGB or RGBA; 8 or 16 bits big-endian per sample). */
export function encodePng(pixels: { width: number; height: number; channels: 3 | 4; depth?: 8 | 16; data: Buffer }): Buffer {
  const { width, height, channels, data } = pixels;
  const depth = pixels.depth ?? 8;
  const stride = width * channels * (depth / 8);
  if (data.length !== stride * height) throw new Error(`encodePng: ${data.length} bytes for ${width}×${height}×${channels}@${depth}`);
  const filtered = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) data.copy(filtered, y * (stride + 1) + 1, y * stride, (y + 1) * stride); // filter 0 (none)
  return Buffer.concat([
    PNG_SIGNATURE,
    pngChunk('IHDR', ihdr(width, height, depth, channels)),
    pngChunk('IDAT', deflateSync(filtered)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Width and height from a PNG's IHDR chunk; throws if the bytes are not a PNG. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } {
  const png = Buffer.from(bytes);
  if (png.length < 24 || !png.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error('not a PNG (bad signature)');
  if (png.toString('latin1', 12, 16) !== 'IHDR') throw new Error('not a PNG (first chunk is not IHDR)');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

export function isPng(bytes: Uint8Array): boolean {
  try {
    pngSize(bytes);
    return true;
  } catch {
    return false;
  }
}
