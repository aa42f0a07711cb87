/**
 * The sniffer on real files: pictures, videos and sound made by ffmpeg at test time (from a test
 * pattern, a tone, and the shared dog.jpg), renamed nothing — only their bytes are read.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseImageHeader } from './image-header';
import { SNIFF_BYTES, sniffBytes, type ContentFormat, type ContentKind } from './sniff';

const run = promisify(execFile);
const DOG_JPG = path.resolve(import.meta.dirname, '../../../shared/media/dog.jpg');
const PICTURE = ['-f', 'lavfi', '-i', 'testsrc2=size=64x48:rate=10:duration=0.3'];
const TONE = ['-f', 'lavfi', '-i', 'sine=frequency=440:duration=0.3'];
/** dog.jpg, made small (encoders are slow on a full-size photo). */
const DOG = ['-i', DOG_JPG, '-vf', 'scale=160:120', '-frames:v', '1'];

/** name → [ffmpeg arguments before the output file, expected kind, expected format] */
const MADE: Record<string, [string[], ContentKind, ContentFormat]> = {
  'dog.png': [[...DOG], 'image', 'png'],
  'dog.gif': [[...DOG], 'image', 'gif'],
  'dog.webp': [[...DOG, '-c:v', 'libwebp'], 'image', 'webp'],
  'dog.bmp': [[...DOG], 'image', 'bmp'],
  'dog.avif': [[...DOG, '-c:v', 'libaom-av1', '-still-picture', '1', '-cpu-used', '8', '-f', 'avif'], 'image', 'avif'],
  'h264.mp4': [[...PICTURE, '-c:v', 'libx264', '-pix_fmt', 'yuv420p'], 'video', 'mp4'],
  'h264.mov': [[...PICTURE, '-c:v', 'libx264', '-pix_fmt', 'yuv420p'], 'video', 'mov'],
  'ipod.m4v': [[...PICTURE, '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-f', 'ipod'], 'video', 'mp4'],
  'vp8.webm': [[...PICTURE, '-c:v', 'libvpx'], 'video', 'webm'],
  'vp9-and-opus.webm': [[...PICTURE, ...TONE, '-c:v', 'libvpx-vp9', '-c:a', 'libopus'], 'video', 'webm'],
  'h264.mkv': [[...PICTURE, '-c:v', 'libx264'], 'video', 'mkv'],
  'theora.ogv': [[...PICTURE, '-c:v', 'libtheora'], 'video', 'ogg'],
  'opus-only.webm': [[...TONE, '-c:a', 'libopus'], 'audio', 'webm'],
  'vorbis.ogg': [[...TONE, '-c:a', 'libvorbis'], 'audio', 'ogg'],
  'tagged.mp3': [[...TONE, '-c:a', 'libmp3lame'], 'audio', 'mp3'],
  'untagged.mp3': [[...TONE, '-c:a', 'libmp3lame', '-id3v2_version', '0', '-write_xing', '0'], 'audio', 'mp3'],
  'tone.aac': [[...TONE, '-c:a', 'aac', '-f', 'adts'], 'audio', 'aac'],
  'tone.m4a': [[...TONE, '-c:a', 'aac', '-f', 'ipod'], 'audio', 'm4a'],
  'tone.wav': [[...TONE], 'audio', 'wav'],
  'tone.flac': [[...TONE], 'audio', 'flac'],
};

let dir = '';
const head = async (name: string) => (await readFile(path.join(dir, name))).subarray(0, SNIFF_BYTES);

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'witp-sniff-'));
  for (const [name, [args]] of Object.entries(MADE)) {
    await run('ffmpeg', ['-hide_banner', '-v', 'error', '-y', ...args, path.join(dir, name)]);
  }
}, 120_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** An ISO-BMFF `ftyp` box with these brands, then filler (what a HEIC or MP4 file starts with). */
function ftyp(major: string, compatible: string[]): Uint8Array {
  const box = Buffer.alloc(16 + 4 * compatible.length);
  box.writeUInt32BE(box.length, 0);
  box.write(`ftyp${major}`, 4, 'latin1');
  compatible.forEach((brand, i) => box.write(brand, 16 + 4 * i, 'latin1'));
  return Buffer.concat([box, Buffer.alloc(64, 0x55)]);
}

describe('sniffBytes', () => {
  for (const [name, [, kind, format]] of Object.entries(MADE)) {
    it(`${name} (made by ffmpeg) is ${kind} / ${format}`, async () => {
      expect(sniffBytes(await head(name))).toMatchObject({ kind, format });
    });
  }

  it('the shared dog.jpg is a JPEG image, whatever it would be named', async () => {
    expect(sniffBytes((await readFile(DOG_JPG)).subarray(0, SNIFF_BYTES))).toMatchObject({ kind: 'image', format: 'jpeg', mime: 'image/jpeg' });
  });

  it('tells ISO-BMFF images from videos and sound by the ftyp brands, whichever brand comes first', () => {
    expect(sniffBytes(ftyp('heic', ['mif1', 'heic']))).toMatchObject({ kind: 'image', format: 'heic', label: 'HEIC/HEIF' });
    expect(sniffBytes(ftyp('mif1', ['mif1', 'heix']))).toMatchObject({ kind: 'image', format: 'heic' });
    expect(sniffBytes(ftyp('msf1', ['msf1', 'hevc']))).toMatchObject({ kind: 'image', format: 'heic' });
    expect(sniffBytes(ftyp('mif1', ['mif1', 'avif', 'miaf']))).toMatchObject({ kind: 'image', format: 'avif' });
    expect(sniffBytes(ftyp('avis', ['avis', 'msf1']))).toMatchObject({ kind: 'image', format: 'avif' });
    for (const brand of ['isom', 'iso2', 'mp41', 'mp42', 'avc1', 'M4V ']) {
      expect(sniffBytes(ftyp(brand, ['isom', 'mp41'])), brand).toMatchObject({ kind: 'video', format: 'mp4', mime: 'video/mp4' });
    }
    expect(sniffBytes(ftyp('qt  ', ['qt  ']))).toMatchObject({ kind: 'video', format: 'mov' });
    expect(sniffBytes(ftyp('M4A ', ['M4A ', 'mp42', 'isom']))).toMatchObject({ kind: 'audio', format: 'm4a', mime: 'audio/mp4' });
  });

  it('text, SVG, empty and unknown bytes', () => {
    const text = (value: string) => sniffBytes(new TextEncoder().encode(value));
    expect(text('These are my holiday notes, not a photo.\n'.repeat(20))).toMatchObject({ kind: 'text' });
    expect(text('Crème brûlée, 東京, ☕\r\n')).toMatchObject({ kind: 'text' });
    expect(text('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>')).toMatchObject({ kind: 'image', format: 'svg' });
    expect(text('\uFEFF  <svg viewBox="0 0 1 1"></svg>')).toMatchObject({ kind: 'image', format: 'svg' });
    expect(text('<html><body><svg></svg></body></html>')).toMatchObject({ kind: 'text' });
    expect(text('BM, the initials of my notes')).toMatchObject({ kind: 'text' });
    expect(sniffBytes(new Uint8Array(0))).toMatchObject({ kind: 'empty' });
    const noise = Uint8Array.from({ length: 4096 }, (_, i) => ((i * 1_103_515_245 + 12_345) >>> 16) & 0xff);
    expect(sniffBytes(noise)).toMatchObject({ kind: 'unknown' });
  });

  it('a JPEG cut after its first bytes is still a JPEG; a character cut at the end of the sample is still text', () => {
    expect(sniffBytes(Uint8Array.from([0xff, 0xd8, 0xff]))).toMatchObject({ format: 'jpeg' });
    const bytes = new TextEncoder().encode('café');
    expect(sniffBytes(bytes.subarray(0, bytes.length - 1))).toMatchObject({ kind: 'text' });
  });
});

describe('parseImageHeader reads sizes from real files and refuses videos', () => {
  it('sizes of the shared JPEG and the ffmpeg-made pictures', async () => {
    expect(parseImageHeader((await readFile(DOG_JPG)).subarray(0, SNIFF_BYTES))).toMatchObject({ format: 'jpeg', width: 2230, height: 2230 });
    for (const name of ['dog.png', 'dog.gif', 'dog.webp', 'dog.bmp']) {
      expect(parseImageHeader(await head(name)), name).toMatchObject({ width: 160, height: 120 });
    }
  });

  it('an MP4 or a WebM is not an image; a HEIC is', async () => {
    expect(parseImageHeader(await head('h264.mp4'))).toBeNull();
    expect(parseImageHeader(await head('vp8.webm'))).toBeNull();
    expect(parseImageHeader(ftyp('heic', ['mif1', 'heic']))).toMatchObject({ format: 'heic' });
    expect(parseImageHeader(await head('dog.avif'))).toMatchObject({ format: 'avif' });
  });
});
