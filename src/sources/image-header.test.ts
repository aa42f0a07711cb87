/**
 * Headers of real files: written by ffmpeg at test time (odd sizes, width ≠ height, so swapped or
 * off-by-one fields show), the shared sample photos, and the byte-built fixtures of the e2e suite.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ffmpeg } from '../../e2e/support/ffmpeg';
import { CAT as CAT_JPG, DOG as DOG_JPG } from '../../e2e/support/media';
import {
  cachedFixture,
  corruptPng,
  encodeFlatBlockCmykJpeg,
  heicBytes,
  plainSvg,
  solidPng,
  truncatedDog,
  withExifOrientation,
} from '../../e2e/support/image-fixtures';
import { jpegHasEnd, parseImageHeader } from './image-header';

const WIDTH = 37;
const HEIGHT = 23;
/** Filters that make the left ten columns transparent. */
const TRANSPARENT_LEFT = ",format=rgba,geq=r='X*7':g='Y*11':b=128:a='if(lt(X,10),0,255)'";

/**
 * A one-frame test picture written by ffmpeg (`name` ends with the format's extension). The source
 * is made at an even size and scaled, as testsrc2 rounds odd sizes down; `filter` runs after that.
 * (It lasts one frame: palettegen writes its palette at the end of the stream.)
 */
async function encoded(name: string, args: string[], { width = WIDTH, height = HEIGHT, filter = '' } = {}): Promise<Buffer> {
  const command = ['-f', 'lavfi', '-i', 'testsrc2=s=64x48:d=0.04', '-frames:v', '1', '-vf', `scale=${width}:${height}${filter}`, ...args];
  // The cache is keyed by name: the command is part of it, so a changed command makes a new file.
  const key = createHash('sha256').update(command.join(' ')).digest('hex').slice(0, 12);
  const file = await cachedFixture(`header-${key}-${name}`, (out) => ffmpeg([...command, out]));
  return readFile(file);
}

/** What the app parses: the first 64 KiB and the last two bytes of the file (as photo-decode reads them). */
function header(file: Uint8Array) {
  return parseImageHeader(file.subarray(0, 64 * 1024), file.subarray(Math.max(0, file.length - 2)));
}

/** The segments of a JPEG up to its scan, as [marker, whole segment]. */
function jpegSegments(jpeg: Buffer): { marker: number; bytes: Buffer; rest: Buffer }[] {
  const segments: { marker: number; bytes: Buffer; rest: Buffer }[] = [];
  let offset = 2;
  for (;;) {
    const marker = jpeg[offset + 1];
    const end = offset + 2 + jpeg.readUInt16BE(offset + 2);
    segments.push({ marker, bytes: jpeg.subarray(offset, end), rest: jpeg.subarray(offset) });
    if (marker === 0xda) return segments;
    offset = end;
  }
}

describe('parseImageHeader', () => {
  describe('JPEG', () => {
    it('reads the size and completeness of the sample photos', async () => {
      expect(header(await readFile(CAT_JPG))).toEqual({ format: 'jpeg', width: 1855, height: 1855, complete: true });
      expect(header(await readFile(DOG_JPG))).toEqual({ format: 'jpeg', width: 2230, height: 2230, complete: true });
    });

    it('reads the size of a baseline JPEG, width and height the right way round', async () => {
      expect(header(await encoded('baseline.jpg', ['-pix_fmt', 'yuvj420p']))).toEqual({ format: 'jpeg', width: WIDTH, height: HEIGHT, complete: true });
    });

    it('tells a truncated JPEG (no end-of-image marker), and says nothing about it without the tail', async () => {
      const truncated = await truncatedDog();
      expect(header(truncated)).toEqual({ format: 'jpeg', width: 2230, height: 2230, complete: false });
      expect(parseImageHeader(truncated.subarray(0, 64 * 1024))).toEqual({ format: 'jpeg', width: 2230, height: 2230, complete: undefined });
    });

    it('skips Exif and a thumbnail in APP1, reporting the main picture', async () => {
      const photo = await encoded('main.jpg', ['-pix_fmt', 'yuvj420p']);
      const thumbnail = await encoded('thumbnail.jpg', ['-pix_fmt', 'yuvj420p'], { width: 16, height: 8 });
      expect(header(thumbnail)).toMatchObject({ width: 16, height: 8 });
      const app1 = Buffer.concat([Buffer.from([0xff, 0xe1, 0, 0]), Buffer.from('Exif\0\0', 'latin1'), thumbnail]);
      app1.writeUInt16BE(app1.length - 2, 2);
      const withThumbnail = Buffer.concat([photo.subarray(0, 2), app1, photo.subarray(2)]);
      expect(header(withThumbnail)).toEqual({ format: 'jpeg', width: WIDTH, height: HEIGHT, complete: true });
      expect(header(withExifOrientation(photo, 6))).toEqual({ format: 'jpeg', width: WIDTH, height: HEIGHT, complete: true });
    });

    it('skips Huffman tables written before the frame header', async () => {
      const photo = await encoded('tables-first.jpg', ['-pix_fmt', 'yuvj420p']);
      const segments = jpegSegments(photo);
      const tables = segments.filter((s) => s.marker === 0xc4);
      expect(tables.length).toBeGreaterThan(0);
      const others = segments.filter((s) => s.marker !== 0xc4 && s.marker !== 0xda);
      const scan = segments.at(-1)?.rest ?? Buffer.alloc(0);
      const tablesFirst = Buffer.concat([photo.subarray(0, 2), ...tables.map((s) => s.bytes), ...others.map((s) => s.bytes), scan]);
      expect(tablesFirst.length).toBe(photo.length);
      expect(jpegSegments(tablesFirst)[0].marker).toBe(0xc4);
      expect(header(tablesFirst)).toEqual({ format: 'jpeg', width: WIDTH, height: HEIGHT, complete: true });
    });

    it('skips fill bytes (0xFF) before a marker', async () => {
      const photo = await encoded('main.jpg', ['-pix_fmt', 'yuvj420p']);
      const sof = photo.indexOf(jpegSegments(photo).find((s) => s.marker === 0xc0)?.bytes ?? Buffer.alloc(1));
      expect(sof).toBeGreaterThan(0);
      const filled = Buffer.concat([photo.subarray(0, sof), Buffer.from([0xff, 0xff, 0xff]), photo.subarray(sof)]);
      expect(header(filled)).toEqual({ format: 'jpeg', width: WIDTH, height: HEIGHT, complete: true });
    });

    it('reads an Adobe CMYK JPEG', () => {
      const cmyk = encodeFlatBlockCmykJpeg(5, 3, new Uint8Array(5 * 3 * 4).fill(200));
      expect(header(cmyk)).toEqual({ format: 'jpeg', width: 40, height: 24, complete: true });
    });
  });

  describe('PNG', () => {
    it('reads the size, and alpha from the colour type', async () => {
      expect(header(await encoded('rgb.png', ['-pix_fmt', 'rgb24']))).toEqual({ format: 'png', width: WIDTH, height: HEIGHT, alpha: false });
      expect(header(await encoded('rgba.png', ['-pix_fmt', 'rgba']))).toEqual({ format: 'png', width: WIDTH, height: HEIGHT, alpha: true });
      expect(header(await encoded('grey-alpha.png', ['-pix_fmt', 'ya8']))).toEqual({ format: 'png', width: WIDTH, height: HEIGHT, alpha: true });
      expect(header(solidPng(5, 300, [1, 2, 3]))).toEqual({ format: 'png', width: 5, height: 300, alpha: false });
    });

    it('sees transparency in a palette PNG (tRNS chunk)', async () => {
      const palette = await encoded('palette-alpha.png', [], {
        filter: `${TRANSPARENT_LEFT},split[a][b];[a]palettegen[p];[b][p]paletteuse`,
      });
      expect(palette[25]).toBe(3); // colour type 3: palette
      expect(header(palette)).toEqual({ format: 'png', width: WIDTH, height: HEIGHT, alpha: true });
    });

    it('reads the header of a PNG whose image data is damaged', () => {
      expect(header(corruptPng())).toEqual({ format: 'png', width: 64, height: 64, alpha: false });
    });
  });

  it('reads the size of a GIF', async () => {
    expect(header(await encoded('picture.gif', []))).toEqual({ format: 'gif', width: WIDTH, height: HEIGHT });
  });

  it('reads the size of a BMP', async () => {
    expect(header(await encoded('picture.bmp', ['-pix_fmt', 'bgr24']))).toEqual({ format: 'bmp', width: WIDTH, height: HEIGHT });
  });

  describe('WebP', () => {
    const cases = [
      { name: 'lossy.webp', args: ['-c:v', 'libwebp', '-pix_fmt', 'yuv420p'], chunk: 'VP8 ' },
      { name: 'lossless.webp', args: ['-c:v', 'libwebp', '-lossless', '1'], chunk: 'VP8L' },
      { name: 'lossy-alpha.webp', args: ['-c:v', 'libwebp', '-pix_fmt', 'yuva420p'], filter: TRANSPARENT_LEFT, chunk: 'VP8X' },
    ];
    for (const { name, args, filter, chunk } of cases) {
      it(`reads the size from a '${chunk}' chunk`, async () => {
        const webp = await encoded(name, args, { filter });
        expect(webp.toString('latin1', 12, 16)).toBe(chunk);
        expect(header(webp)).toEqual({ format: 'webp', width: WIDTH, height: HEIGHT });
      });
    }

    it("ignores the upscaling hint in the top bits of a 'VP8 ' frame size", async () => {
      const webp = Buffer.from(await encoded('lossy.webp', cases[0].args));
      webp[27] |= 0x40; // horizontal scale ×5/4
      webp[29] |= 0x80; // vertical scale ×5/3
      expect(header(webp)).toEqual({ format: 'webp', width: WIDTH, height: HEIGHT });
    });
  });

  it('tells AVIF from HEIC by the ftyp brand', async () => {
    const avif = await encoded('picture.avif', ['-c:v', 'libaom-av1', '-cpu-used', '8', '-still-picture', '1'], { width: 64, height: 48 });
    expect(avif.toString('latin1', 4, 8)).toBe('ftyp');
    expect(header(avif)).toEqual({ format: 'avif', width: null, height: null });
    expect(header(heicBytes())).toEqual({ format: 'heic', width: null, height: null });
  });

  it('recognises SVG, with or without an XML declaration, after leading white space', () => {
    expect(header(plainSvg())).toEqual({ format: 'svg', width: null, height: null });
    expect(header(Buffer.from('\n  <SVG xmlns="http://www.w3.org/2000/svg"/>'))).toEqual({ format: 'svg', width: null, height: null });
    expect(header(Buffer.from('<?xml version="1.0"?><note>not a picture</note>'))).toBeNull();
  });

  it('recognises SVG after a comment, a doctype or a long licence header, but not XML whose first element is not <svg>', () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>';
    const licence = `<!--\n${'Licensed under the Apache License, Version 2.0. '.repeat(40)}\n-->\n`;
    const accepted = [
      `<!-- Uploaded to: SVG Repo -->\n${svg}`,
      `<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n${svg}`,
      `<?xml version="1.0" encoding="UTF-8"?>\n${licence}${svg}`,
      `<?xml version="1.0"?>\n<!DOCTYPE svg [\n  <!ENTITY ns "http://www.w3.org/2000/svg">\n]>\n${svg}`,
    ];
    for (const text of accepted) expect(header(Buffer.from(text)), text.slice(0, 60)).toEqual({ format: 'svg', width: null, height: null });
    const refused = ['<?xml version="1.0"?><note>draw an <svg> here</note>', `<!DOCTYPE html><html><body>${svg}</body></html>`, '<svgfoo/>'];
    for (const text of refused) expect(header(Buffer.from(text)), text).toBeNull();
  });

  it('returns null for what is not an image', async () => {
    expect(header(new Uint8Array(0))).toBeNull();
    expect(header(Buffer.from('name,score\ncat,0.9\n'))).toBeNull();
    expect(header(Uint8Array.from([0xff, 0xd8]))).toBeNull();
    expect(header((await readFile(CAT_JPG)).subarray(2))).toBeNull();
  });
});

describe('jpegHasEnd', () => {
  it('finds the end of dog.jpg when data follows it (a phone trailer, a motion photo), not in a truncated copy', async () => {
    const dog = await readFile(DOG_JPG);
    const trailer = Buffer.concat([dog, Buffer.from('\xff\xd8 trailing bytes: MotionPhoto_Data \xff\x00', 'latin1'), Buffer.alloc(5000, 7)]);
    expect(jpegHasEnd(dog)).toBe(true);
    expect(jpegHasEnd(trailer)).toBe(true);
    expect(jpegHasEnd(await truncatedDog(0.4))).toBe(false);
    expect(jpegHasEnd(await truncatedDog(0.999))).toBe(false);
  });

  it('an EXIF thumbnail\'s end marker (before the scan) does not count as the picture\'s end', async () => {
    const dog = await readFile(DOG_JPG);
    // A fake APP1 segment holding a complete mini JPEG (FF D8 … FF D9), then the real image cut short.
    const thumb = Buffer.from([0xff, 0xd8, 0xff, 0xd9]);
    const app1 = Buffer.concat([Buffer.from([0xff, 0xe1, 0x00, thumb.length + 2]), thumb]);
    const cut = dog.subarray(0, Math.floor(dog.length * 0.5));
    expect(jpegHasEnd(Buffer.concat([cut.subarray(0, 2), app1, cut.subarray(2)]))).toBe(false);
    expect(jpegHasEnd(Buffer.concat([dog.subarray(0, 2), app1, dog.subarray(2), Buffer.from('tail')]))).toBe(true);
  });
});
