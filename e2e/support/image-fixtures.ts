/**
 * Test inputs made at test time — bad, odd and big image files — from the shared media with ffmpeg
 * or with plain Node (PNG and JPEG written byte by byte). No ImageMagick, no committed binaries.
 *
 * Files are written once per machine into a temporary folder (the name carries a version: bump
 * FIXTURE_VERSION when a generator changes) and reused by later tests and runs. Writes go through a
 * temporary name and a rename, so agents or workers running at the same time never see half a file.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ffmpeg, rawPixels } from './ffmpeg';
import { CAT, DOG, IMAGENET_SAMPLE_DIR, KITCHEN_WEBM } from './media';
import { encodePng, ihdr, PNG_SIGNATURE, pngChunk } from './png';

const FIXTURE_VERSION = 1;
export const FIXTURE_DIR = path.join(os.tmpdir(), `witp-e2e-fixtures-v${FIXTURE_VERSION}`);

/** An in-memory file, as `setInputFiles` takes it. */
export interface FilePayload {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

/**
 * The path of fixture `name`, made by `make(tmpPath)` the first time. `name` may be a folder
 * (`make` then fills the folder it is given).
 */
export async function cachedFixture(name: string, make: (out: string) => Promise<unknown>): Promise<string> {
  const final = path.join(FIXTURE_DIR, name);
  if (existsSync(final)) return final;
  await mkdir(FIXTURE_DIR, { recursive: true });
  const temp = path.join(FIXTURE_DIR, `.tmp-${randomBytes(6).toString('hex')}-${name}`);
  try {
    await make(temp);
    // Another process may have made it meanwhile; theirs is as good as ours.
    if (!existsSync(final)) await rename(temp, final).catch((error: NodeJS.ErrnoException) => {
      if (!existsSync(final)) throw error;
    });
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
  return final;
}

async function cachedBytes(name: string, make: () => Promise<Buffer> | Buffer): Promise<Buffer> {
  return readFile(await cachedFixture(name, async (out) => writeFile(out, await make())));
}

// ---------------------------------------------------------------------------------------------- PNG

/** A PNG of one colour ([r, g, b] or [r, g, b, a], 0–255). */
export function solidPng(width: number, height: number, colour: number[]): Buffer {
  const channels = colour.length === 4 ? 4 : 3;
  const pixel = Buffer.from(colour.slice(0, channels));
  const data = Buffer.alloc(width * height * channels);
  for (let i = 0; i < width * height; i++) pixel.copy(data, i * channels);
  return encodePng({ width, height, channels, data });
}

/** A PNG whose signature and header are fine but whose image data is random bytes (valid CRCs). */
export function corruptPng(): Buffer {
  const garbage = Buffer.from(Array.from({ length: 2048 }, (_, i) => (i * 151 + 7) % 256));
  return Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', ihdr(64, 64, 8, 3)), pngChunk('IDAT', garbage), pngChunk('IEND', Buffer.alloc(0))]);
}

/** A horizontal rainbow-ish pattern (so a panorama is not one flat colour). */
export function stripesPng(width: number, height: number): Buffer {
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      data[i] = (x * 7) % 256;
      data[i + 1] = (x * 3 + y * 5) % 256;
      data[i + 2] = 255 - ((x * 11) % 256);
    }
  }
  return encodePng({ width, height, channels: 3, data });
}

// --------------------------------------------------------------------------------------------- JPEG

/** dog.jpg cut after `fraction` of its bytes (no end-of-image marker). */
export async function truncatedDog(fraction = 0.4): Promise<Buffer> {
  const bytes = await readFile(DOG);
  return bytes.subarray(0, Math.round(bytes.length * fraction));
}

/** An APP1 Exif segment holding only IFD0 with Orientation (tag 0x0112) = `orientation`. */
export function exifOrientationSegment(orientation: number): Buffer {
  const tiff = Buffer.alloc(8 + 2 + 12 + 4);
  tiff.write('MM', 0, 'latin1'); // big-endian TIFF
  tiff.writeUInt16BE(42, 2);
  tiff.writeUInt32BE(8, 4); // IFD0 right after the header
  tiff.writeUInt16BE(1, 8); // one entry
  tiff.writeUInt16BE(0x0112, 10); // Orientation
  tiff.writeUInt16BE(3, 12); // SHORT
  tiff.writeUInt32BE(1, 14); // count
  tiff.writeUInt16BE(orientation, 18); // value (left-justified in the 4-byte field)
  tiff.writeUInt32BE(0, 22); // no next IFD
  const body = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const head = Buffer.from([0xff, 0xe1, 0, 0]);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([head, body]);
}

/** A JPEG with an Exif APP1 (Orientation) inserted right after SOI, where cameras put it. */
export function withExifOrientation(jpeg: Buffer, orientation: number): Buffer {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new Error('not a JPEG');
  return Buffer.concat([jpeg.subarray(0, 2), exifOrientationSegment(orientation), jpeg.subarray(2)]);
}

/**
 * dog.jpg stored turned 90° counter-clockwise (pixels lying on their side) with EXIF Orientation 6
 * ("rotate 90° clockwise to display"), as a phone held upright writes it: a viewer that honours EXIF
 * shows the dog upright. Also returns the same pixels without the Exif segment (the sideways dog).
 */
export async function sidewaysDog(): Promise<{ withExif: Buffer; withoutExif: Buffer }> {
  const withoutExif = await cachedBytes('dog-ccw90.jpg', async () => {
    const out = path.join(FIXTURE_DIR, `.tmp-${randomBytes(6).toString('hex')}.jpg`);
    try {
      await ffmpeg(['-i', DOG, '-vf', 'scale=1024:1024:flags=area,transpose=cclock', '-q:v', '2', out]);
      return await readFile(out);
    } finally {
      await rm(out, { force: true });
    }
  });
  return { withExif: withExifOrientation(withoutExif, 6), withoutExif };
}

// Huffman table for DC differences: the standard luminance table of ITU T.81 K.3 (categories 0–11).
const DC_BITS = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
const DC_VALUES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];

function huffmanCodes(bits: number[], values: number[]): Map<number, { code: number; length: number }> {
  const codes = new Map<number, { code: number; length: number }>();
  let code = 0;
  let k = 0;
  for (let length = 1; length <= 16; length++) {
    for (let i = 0; i < bits[length - 1]; i++) codes.set(values[k++], { code: code++, length });
    code <<= 1;
  }
  return codes;
}

class BitWriter {
  private readonly bytes: number[] = [];
  private buffer = 0;
  private count = 0;
  write(value: number, length: number) {
    for (let i = length - 1; i >= 0; i--) {
      this.buffer = (this.buffer << 1) | ((value >> i) & 1);
      if (++this.count === 8) this.flushByte();
    }
  }
  private flushByte() {
    this.bytes.push(this.buffer);
    if (this.buffer === 0xff) this.bytes.push(0x00); // byte stuffing
    this.buffer = 0;
    this.count = 0;
  }
  finish(): Buffer {
    while (this.count !== 0) this.write(1, 1); // pad with 1-bits
    return Buffer.from(this.bytes);
  }
}

function segment(marker: number, body: Buffer): Buffer {
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([head, body]);
}

/**
 * A baseline JPEG with 4 components, Adobe CMYK (APP14, transform 0), as Photoshop and ImageMagick
 * write them: samples stored inverted (255 = no ink). Every 8×8 block is one flat colour, so only DC
 * coefficients are coded (quantiser 1: lossless for flat blocks) — a few dozen lines instead of a
 * full encoder. `blocks` are the stored C, M, Y, K samples of each block, row by row.
 */
export function encodeFlatBlockCmykJpeg(blocksWide: number, blocksHigh: number, blocks: Uint8Array): Buffer {
  if (blocks.length !== blocksWide * blocksHigh * 4) throw new Error('encodeFlatBlockCmykJpeg: wrong sample count');
  const width = blocksWide * 8;
  const height = blocksHigh * 8;
  const adobe = Buffer.alloc(12);
  adobe.write('Adobe', 0, 'latin1');
  adobe.writeUInt16BE(100, 5); // version
  // flags0, flags1 = 0; transform = 0 (CMYK, no colour transform)
  const dqt = Buffer.concat([Buffer.from([0x00]), Buffer.alloc(64, 1)]);
  const sof = Buffer.alloc(6 + 4 * 3);
  sof[0] = 8;
  sof.writeUInt16BE(height, 1);
  sof.writeUInt16BE(width, 3);
  sof[5] = 4;
  for (let c = 0; c < 4; c++) sof.set([c + 1, 0x11, 0], 6 + c * 3);
  const dhtDc = Buffer.concat([Buffer.from([0x00]), Buffer.from(DC_BITS), Buffer.from(DC_VALUES)]);
  // AC table: a single symbol, EOB (0x00), coded as "0".
  const dhtAc = Buffer.concat([Buffer.from([0x10]), Buffer.from([1, ...Array<number>(15).fill(0)]), Buffer.from([0x00])]);
  const sos = Buffer.from([4, 1, 0x00, 2, 0x00, 3, 0x00, 4, 0x00, 0, 63, 0]);
  const dcCodes = huffmanCodes(DC_BITS, DC_VALUES);
  const bits = new BitWriter();
  const predictors = [0, 0, 0, 0];
  for (let b = 0; b < blocksWide * blocksHigh; b++) {
    for (let c = 0; c < 4; c++) {
      const dc = 8 * (blocks[b * 4 + c] - 128); // DCT of a flat block: 8 × (level-shifted value)
      const diff = dc - predictors[c];
      predictors[c] = dc;
      const magnitude = Math.abs(diff);
      const category = magnitude === 0 ? 0 : Math.floor(Math.log2(magnitude)) + 1;
      const code = dcCodes.get(category);
      if (!code) throw new Error(`DC category ${category} out of range`);
      bits.write(code.code, code.length);
      if (category > 0) bits.write(diff > 0 ? diff : diff + (1 << category) - 1, category);
      bits.write(0, 1); // EOB
    }
  }
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    segment(0xee, adobe),
    segment(0xdb, dqt),
    segment(0xc0, sof),
    segment(0xc4, dhtDc),
    segment(0xc4, dhtAc),
    segment(0xda, sos),
    bits.finish(),
    Buffer.from([0xff, 0xd9]),
  ]);
}

/**
 * dog.jpg as a CMYK JPEG (blocky: 56×56 flat 8×8 blocks, 448×448) and the same picture as an RGB PNG,
 * pixel for pixel as an Adobe-CMYK-aware decoder shows it (R = C·K/255 on the stored, inverted
 * samples; the K channel is used: K = max(R, G, B)). A decoder that gets CMYK wrong (not inverted,
 * K ignored) shows a very different picture.
 */
export async function cmykDogAndRgbTwin(): Promise<{ cmyk: Buffer; rgb: Buffer }> {
  const side = 56;
  const rgb = await rawPixels(DOG, side, side);
  const stored = new Uint8Array(side * side * 4);
  const shown = Buffer.alloc(side * 8 * side * 8 * 3);
  for (let b = 0; b < side * side; b++) {
    const [r, g, bl] = [rgb[b * 3], rgb[b * 3 + 1], rgb[b * 3 + 2]];
    const k = Math.max(r, g, bl);
    // Stored (inverted) C, M, Y samples such that C·K/255 gives back R, G, B.
    const sample = (v: number) => (k === 0 ? 0 : Math.min(255, Math.round((v * 255) / k)));
    const cmyk = [sample(r), sample(g), sample(bl), k];
    stored.set(cmyk, b * 4);
    const out = [0, 1, 2].map((i) => Math.floor((cmyk[i] * k) / 255));
    const bx = b % side;
    const by = Math.floor(b / side);
    for (let y = 0; y < 8; y++) {
      for (let x = 0; x < 8; x++) shown.set(out, ((by * 8 + y) * side * 8 + bx * 8 + x) * 3);
    }
  }
  return {
    cmyk: encodeFlatBlockCmykJpeg(side, side, stored),
    rgb: encodePng({ width: side * 8, height: side * 8, channels: 3, data: shown }),
  };
}

// ------------------------------------------------------------------------------- other formats, big

/** 12000×12000 JPEG of dog.jpg scaled up (≈ 6 MB; 576 MB of pixels if decoded at full size). */
export function hugeDogJpeg(): Promise<string> {
  return cachedFixture('dog-12000.jpg', (out) => ffmpeg(['-i', DOG, '-vf', 'scale=12000:12000:flags=bilinear', '-q:v', '8', '-f', 'image2', out]));
}

/** 12000×12000 PNG of one colour (≈ 450 kB on disk, 576 MB decoded: a decompression bomb). */
export function hugeFlatPng(): Promise<string> {
  return cachedFixture('flat-12000.png', (out) => ffmpeg(['-f', 'lavfi', '-i', 'color=c=0x4080c0:s=12000x12000', '-frames:v', '1', '-f', 'image2', '-c:v', 'png', out]));
}

/** dog.jpg as a 16-bit-per-channel PNG (448×448) and the same scale as an 8-bit PNG. */
export async function dogPng16And8(): Promise<{ png16: Buffer; png8: Buffer }> {
  const png16 = await cachedBytes('dog-448-rgb48.png', async () => encodePng({ width: 448, height: 448, channels: 3, depth: 16, data: await rawPixels(DOG, 448, 448, { bits: 16 }) }));
  const png8 = await cachedBytes('dog-448-rgb24.png', async () => encodePng({ width: 448, height: 448, channels: 3, data: await rawPixels(DOG, 448, 448) }));
  return { png16, png8 };
}

/** A two-frame animated GIF: dog.jpg first, cat.jpg second (448×448, looping). */
export function dogThenCatGif(): Promise<string> {
  return cachedFixture('dog-then-cat.gif', (out) =>
    ffmpeg([
      '-loop', '1', '-t', '1', '-framerate', '1', '-i', DOG,
      '-loop', '1', '-t', '1', '-framerate', '1', '-i', CAT,
      '-filter_complex',
      '[0:v]scale=448:448:flags=area,setsar=1[a];[1:v]scale=448:448:flags=area,setsar=1[b];[a][b]concat=n=2:v=1:a=0,split[x][y];[x]palettegen[p];[y][p]paletteuse',
      '-loop', '0', '-f', 'gif', out,
    ]),
  );
}

/** The start of an iPhone photo: an ISO-BMFF `ftyp` box with brand `heic`, then junk. */
export function heicBytes(): Buffer {
  const ftyp = Buffer.alloc(24);
  ftyp.writeUInt32BE(24, 0);
  ftyp.write('ftypheic', 4, 'latin1');
  ftyp.writeUInt32BE(0, 12);
  ftyp.write('mif1heic', 16, 'latin1');
  return Buffer.concat([ftyp, Buffer.from(Array.from({ length: 4000 }, (_, i) => (i * 37) % 256))]);
}

/** An SVG picture: a blue circle on yellow. */
export function plainSvg(): Buffer {
  return Buffer.from(
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
      '<svg xmlns="http://www.w3.org/2000/svg" width="320" height="240" viewBox="0 0 320 240">' +
      '<rect width="320" height="240" fill="#ffd400"/><circle cx="160" cy="120" r="80" fill="#1050c0"/></svg>',
  );
}

const PAYLOAD = "try{window.top.__pwned=1}catch(e){};try{window.__pwned=1}catch(e){};alert('pwned')";

/**
 * An SVG that tries to run script in the ways an SVG can: a <script> element, an onload attribute on
 * the root and on a child, a javascript: link, an onerror on an <image>. Drawn from an <img>, none may run.
 */
export function hostileSvg(): Buffer {
  return Buffer.from(
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="300" height="300" ' +
      `onload="${PAYLOAD}">` +
      `<script type="text/javascript">${PAYLOAD}</script>` +
      `<rect width="300" height="300" fill="#3a7" onload="${PAYLOAD}"/>` +
      `<a xlink:href="javascript:${PAYLOAD}"><circle cx="150" cy="150" r="60" fill="#a33"/></a>` +
      `<image href="nonexistent.png" width="10" height="10" onerror="${PAYLOAD}"/>` +
      '</svg>',
  );
}

/**
 * An SVG with HTML inside (<foreignObject>, as diagram tools export text boxes), here an <img> whose
 * onerror would run script. Browsers never run it in an <img>, but they mark a canvas the picture is
 * drawn on as unreadable ("tainted").
 */
export function foreignObjectSvg(): Buffer {
  return Buffer.from(
    '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300">' +
      '<rect width="400" height="300" fill="#f4f1e8"/><rect x="40" y="60" width="320" height="180" rx="12" fill="#2a6fb0"/>' +
      '<foreignObject x="60" y="80" width="280" height="140"><div xmlns="http://www.w3.org/1999/xhtml" style="color:#fff;font:24px sans-serif">' +
      `Quarterly plan <img src="x" onerror="${PAYLOAD}"/></div></foreignObject>` +
      '</svg>',
  );
}

/** `count` frames of kitchen.webm as JPEGs 320 px wide (a folder of `frame-NNN.jpg`). */
export async function kitchenFrames(count: number): Promise<string[]> {
  const dir = await cachedFixture(`kitchen-frames-${count}`, async (out) => {
    await mkdir(out, { recursive: true });
    await ffmpeg(['-i', KITCHEN_WEBM, '-vf', 'scale=320:-2', '-frames:v', String(count), '-q:v', '5', '-f', 'image2', path.join(out, 'frame-%03d.jpg')]);
    const made = await readdir(out);
    if (made.length !== count) throw new Error(`kitchen.webm gave ${made.length} frames, ${count} wanted`);
  });
  return (await readdir(dir)).filter((f) => f.endsWith('.jpg')).sort().map((f) => path.join(dir, f));
}

/** The shared ImageNet samples re-encoded `width` px wide (same names): small but real photos, for big batches. */
export async function smallImagenetSamples(width: number): Promise<string> {
  return cachedFixture(`imagenet-sample-${width}`, async (out) => {
    await mkdir(out, { recursive: true });
    for (const name of (await readdir(IMAGENET_SAMPLE_DIR)).filter((f) => f.endsWith('.jpg'))) {
      await ffmpeg(['-i', path.join(IMAGENET_SAMPLE_DIR, name), '-vf', `scale=${width}:-2`, '-q:v', '5', '-f', 'image2', path.join(out, name)]);
    }
  });
}

/** A short clip of kitchen.webm (VP9, 2 s, 180×320, no audio) for video-file tests. */
export function shortKitchenClip(): Promise<string> {
  return cachedFixture('kitchen-2s.webm', (out) =>
    ffmpeg(['-i', KITCHEN_WEBM, '-t', '2', '-vf', 'scale=180:320', '-an', '-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '300k', '-f', 'webm', out]),
  );
}

// ------------------------------------------------------------------ files told apart by their content

/**
 * `seconds` of kitchen.webm (the shop fridge first), 270×480, H.264 in MP4, no audio; longer than the video
 * (13.6 s), it starts again from the beginning.
 */
export function kitchenH264Mp4(seconds = 3): Promise<string> {
  return cachedFixture(`kitchen-${seconds}s-h264.mp4`, (out) =>
    ffmpeg(['-stream_loop', '-1', '-i', KITCHEN_WEBM, '-t', String(seconds), '-vf', 'scale=270:480', '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-an', out]),
  );
}

/** Three seconds of a 440 Hz tone and no video track, encoded with `codec` into `name` (the extension picks the container). */
function tone(name: string, codec: string): Promise<string> {
  return cachedFixture(name, (out) => ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=440:duration=3', '-c:a', codec, out]));
}
/** A tone, Opus in WebM. */
export const toneWebm = (): Promise<string> => tone('tone-opus.webm', 'libopus');
/** A tone, AAC in an MP4 with the generic "isom" brand: only the player can tell it has no picture. */
export const toneMp4 = (): Promise<string> => tone('tone-aac.mp4', 'aac');
/** A tone, MP3. */
export const toneMp3 = (): Promise<string> => tone('tone.mp3', 'libmp3lame');

/** Three seconds of a 1×1 px orange video, VP8 in WebM. */
export function pixelWebm(): Promise<string> {
  return cachedFixture('pixel-1x1.webm', (out) =>
    ffmpeg(['-f', 'lavfi', '-i', 'color=c=orange:size=16x16:rate=10:duration=3', '-vf', 'scale=1:1', '-c:v', 'libvpx', '-b:v', '50k', out]),
  );
}

/** dog.jpg shrunk to 12×9 px, PNG. */
export function tinyDogPng(): Promise<string> {
  return cachedFixture('dog-12x9.png', (out) => ffmpeg(['-i', DOG, '-vf', 'scale=12:9:flags=area', '-frames:v', '1', out]));
}

/** The file at `file` under another name and MIME type (as a user renames it, or a browser guesses its type). */
export async function fileAs(file: string, name: string, mimeType: string): Promise<FilePayload> {
  return { name, mimeType, buffer: await readFile(file) };
}
