/**
 * Files are recognised by their content, not their name, MIME type or the button they came through
 * (issue 14): a video chosen as a photo plays, a photo chosen as a video is classified, and a file
 * without a picture worth classifying (sound only, a 1×1 px video) is refused in words that say
 * why — while what the user already had (photos, a playing video) stays. Every file is made by
 * ffmpeg at test time and cached between runs.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const MEDIA = path.resolve(import.meta.dirname, '../../shared/media');
const DOG_JPG = path.join(MEDIA, 'dog.jpg');
const CAT_JPG = path.join(MEDIA, 'cat.jpg');
const KITCHEN_WEBM = path.join(MEDIA, 'kitchen.webm');
const MODEL = 'mobilenet_v1_0.75';
/** Keras classes 263/264: Pembroke and Cardigan corgi (dog.jpg). */
const CORGI_CLASSES = [263, 264];

// ---------------------------------------------------------------------------------- test files

/** Bump when a recipe below changes. */
const FILES_VERSION = 1;
const FILES_DIR = path.join(os.tmpdir(), `witp-e2e-file-content-v${FILES_VERSION}`);

/** `name` made once by ffmpeg (`args` before the output path), through a temporary name so parallel runs never see half a file. */
async function made(name: string, args: string[]): Promise<Buffer> {
  const final = path.join(FILES_DIR, name);
  if (!existsSync(final)) {
    await mkdir(FILES_DIR, { recursive: true });
    const temp = path.join(FILES_DIR, `.tmp-${randomBytes(6).toString('hex')}-${name}`);
    try {
      await run('ffmpeg', ['-hide_banner', '-v', 'error', '-y', ...args, temp]);
      if (!existsSync(final)) await rename(temp, final);
    } finally {
      await rm(temp, { force: true });
    }
  }
  return readFile(final);
}

/** Three seconds of the kitchen video (shop fridge), 270×480, H.264 in MP4. */
const kitchenMp4 = () => made('kitchen-h264.mp4', ['-i', KITCHEN_WEBM, '-t', '3', '-vf', 'scale=270:480', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-an']);
/** A tone, Opus in WebM: no video track. */
const toneWebm = () => made('tone-opus.webm', ['-f', 'lavfi', '-i', 'sine=frequency=440:duration=3', '-c:a', 'libopus']);
/** A tone, AAC in an MP4 with the generic "isom" brand: only the player can tell it has no picture. */
const toneMp4 = () => made('tone-aac.mp4', ['-f', 'lavfi', '-i', 'sine=frequency=440:duration=3', '-c:a', 'aac']);
/** A tone, MP3. */
const toneMp3 = () => made('tone.mp3', ['-f', 'lavfi', '-i', 'sine=frequency=440:duration=3', '-c:a', 'libmp3lame']);
/** Three seconds of a 1×1 px orange video, VP8 in WebM. */
const pixelWebm = () => made('pixel-1x1.webm', ['-f', 'lavfi', '-i', 'color=c=orange:size=16x16:rate=10:duration=3', '-vf', 'scale=1:1', '-c:v', 'libvpx', '-b:v', '50k']);
/** dog.jpg shrunk to 12×9 px, PNG. */
const tinyDogPng = () => made('dog-12x9.png', ['-i', DOG_JPG, '-vf', 'scale=12:9:flags=area', '-frames:v', '1']);

/** The first bytes of a HEIC photo (the `ftyp` box with the heic and mif1 brands), then filler. */
function heicBytes(): Buffer {
  const ftyp = Buffer.alloc(24);
  ftyp.writeUInt32BE(24, 0);
  ftyp.write('ftypheic', 4, 'latin1');
  ftyp.write('mif1heic', 16, 'latin1');
  return Buffer.concat([ftyp, Buffer.from(Array.from({ length: 4000 }, (_, i) => (i * 37) % 256))]);
}

interface Payload {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

// ---------------------------------------------------------------------------------- the app

/** The app seen through its test ids; uncaught page errors fail the test. */
class App {
  readonly photoInput: Locator;
  readonly videoInput: Locator;
  readonly status: Locator;
  readonly live: Locator;
  readonly liveError: Locator;
  readonly hud: Locator;
  readonly results: Locator;
  readonly pageErrors: string[] = [];

  constructor(readonly page: Page) {
    this.photoInput = page.getByTestId('source.file');
    this.videoInput = page.getByTestId('source.video');
    this.status = page.getByTestId('model.status');
    this.live = page.getByTestId('live');
    this.liveError = page.getByTestId('live.error');
    this.hud = page.getByTestId('hud');
    this.results = page.getByTestId('result');
    page.on('pageerror', (error) => this.pageErrors.push(error.message));
  }

  async open(): Promise<void> {
    await this.page.goto(`./?model=${MODEL}`);
    await expect(this.status).toHaveAttribute('data-model', MODEL);
    await expect(this.status).toHaveAttribute('data-state', 'ready');
  }

  result(name: string): Locator {
    return this.page.locator(`[data-testid="result"][data-source-name="${name.replace(/["\\]/g, '\\$&')}"]`);
  }

  async topClass(name: string): Promise<number> {
    await expect(this.result(name)).toHaveAttribute('data-state', 'done');
    return Number(await this.result(name).getByTestId('prediction').first().getAttribute('data-class-index'));
  }

  /** An info notice (role=status) or an error notice (role=alert) with this text. */
  notice(kind: 'info' | 'error', text: string | RegExp): Locator {
    return this.page.getByRole(kind === 'info' ? 'status' : 'alert').filter({ hasText: text });
  }

  async inferences(): Promise<number> {
    return Number(await this.status.getAttribute('data-inferences'));
  }

  async frames(): Promise<number> {
    return Number((await this.hud.getAttribute('data-frames')) ?? 0);
  }

  /** Waits until the live view has inferred more than `after` frames. */
  async framesGrow(after = 0): Promise<void> {
    await expect.poll(() => this.frames(), { timeout: 60_000, intervals: [100, 250, 500] }).toBeGreaterThan(after);
  }

  /** Drops files on the page as a browser does (dragenter, dragover, drop with `dataTransfer.files`). */
  async drop(files: Payload[]): Promise<void> {
    const encoded = files.map((file) => ({ name: file.name, type: file.mimeType, base64: file.buffer.toString('base64') }));
    await this.page.evaluate((items) => {
      const dataTransfer = new DataTransfer();
      for (const item of items) {
        dataTransfer.items.add(new File([Uint8Array.from(atob(item.base64), (c) => c.charCodeAt(0))], item.name, { type: item.type }));
      }
      const target = document.querySelector('main') ?? document.body;
      for (const type of ['dragenter', 'dragover', 'drop']) {
        target.dispatchEvent(new DragEvent(type, { dataTransfer, bubbles: true, cancelable: true }));
      }
    }, encoded);
  }

  /** A photo still goes through, and is the only inference added since `inferencesBefore` (nothing else ran). */
  async onlyPhotoInferred(inferencesBefore: number): Promise<void> {
    await this.photoInput.setInputFiles({ name: 'cat-after.jpg', mimeType: 'image/jpeg', buffer: await readFile(CAT_JPG) });
    await expect(this.result('cat-after.jpg')).toHaveAttribute('data-state', 'done');
    expect(await this.inferences(), 'inferences: the photo only').toBe(inferencesBefore + 1);
  }
}

test.describe.configure({ timeout: 240_000 });

let app: App;
test.beforeEach(async ({ page }) => {
  app = new App(page);
  await app.open();
});
test.afterEach(() => {
  expect(app.pageErrors, 'uncaught errors in the page').toEqual([]);
});

test.describe('files are recognised by their content', () => {
  test('an H.264 MP4 renamed clip.jpg, chosen with "Choose photos…", opens as a video and a notice says so', async () => {
    const dog = await readFile(DOG_JPG);
    await app.photoInput.setInputFiles([
      { name: 'dog.jpg', mimeType: 'image/jpeg', buffer: dog },
      { name: 'clip.jpg', mimeType: 'image/jpeg', buffer: await kitchenMp4() },
    ]);
    await expect(app.notice('info', 'clip.jpg is a video (MP4), not a photo: opened as a video.')).toBeVisible();
    await expect(app.live).toHaveAttribute('data-status', 'live');
    await expect(app.page.getByRole('heading', { name: 'clip.jpg', exact: true })).toBeVisible();
    await app.framesGrow();
    // The photo beside it is classified; the video is not a photo card, and nothing mentions HEIC.
    expect(CORGI_CLASSES).toContain(await app.topClass('dog.jpg'));
    await expect(app.result('clip.jpg')).toHaveCount(0);
    await expect(app.page.getByText(/HEIC/)).toHaveCount(0);
  });

  test('a JPEG renamed photo.mp4, chosen with "Open video…", goes to the photos and is classified', async () => {
    await app.videoInput.setInputFiles({ name: 'photo.mp4', mimeType: 'video/mp4', buffer: await readFile(DOG_JPG) });
    await expect(app.notice('info', 'photo.mp4 is a photo (JPEG), not a video: added to the photos.')).toBeVisible();
    expect(CORGI_CLASSES).toContain(await app.topClass('photo.mp4'));
    await expect(app.live).toHaveCount(0);
  });

  test('an audio-only WebM opened as a video: the message says it has only sound, nothing is inferred', async () => {
    const before = await app.inferences();
    await app.videoInput.setInputFiles({ name: 'song.webm', mimeType: 'video/webm', buffer: await toneWebm() });
    await expect(app.liveError).toHaveText('song.webm has only sound (WebM audio), no picture: there is nothing to classify.');
    await expect(app.liveError).toHaveAttribute('role', 'alert');
    await expect(app.hud).toHaveAttribute('data-frames', '0');
    await app.onlyPhotoInferred(before);
  });

  test('sound files dropped or opened while a video plays: the video keeps playing, the message says only sound', async () => {
    await app.videoInput.setInputFiles({ name: 'kitchen.mp4', mimeType: 'video/mp4', buffer: await kitchenMp4() });
    await expect(app.live).toHaveAttribute('data-status', 'live');
    await app.framesGrow();
    // An MP4 with sound only: its brand says "MP4"; the player finds no picture.
    await app.videoInput.setInputFiles({ name: 'voice.mp4', mimeType: 'video/mp4', buffer: await toneMp4() });
    await expect(app.notice('error', 'voice.mp4 has only sound (MP4 audio), no picture: there is nothing to classify. kitchen.mp4 keeps playing.')).toBeVisible();
    // An MP3 dropped on the page.
    await app.drop([{ name: 'tune.mp3', mimeType: 'audio/mpeg', buffer: await toneMp3() }]);
    await expect(app.notice('error', 'tune.mp3 has only sound (MP3 audio), no picture: there is nothing to classify. kitchen.mp4 keeps playing.')).toBeVisible();
    await expect(app.live).toHaveAttribute('data-status', 'live');
    await expect(app.page.getByRole('heading', { name: 'kitchen.mp4', exact: true })).toBeVisible();
    await expect(app.liveError).toHaveCount(0);
    await app.framesGrow(await app.frames());
    await expect(app.results).toHaveCount(0);
  });

  test('a 1×1 px video: the message gives its size and the minimum, and the model never runs on it', async () => {
    const before = await app.inferences();
    await app.videoInput.setInputFiles({ name: 'pixel.webm', mimeType: 'video/webm', buffer: await pixelWebm() });
    await expect(app.liveError).toContainText('pixel.webm is 1×1 px: too small to classify. Videos need at least 32×32 px');
    await expect(app.hud).toHaveAttribute('data-frames', '0');
    expect(await app.inferences()).toBe(before);
    await app.onlyPhotoInferred(before);
    await expect(app.hud).toHaveAttribute('data-frames', '0');
  });

  test('a 12×9 px image is still classified, with a note giving its size', async () => {
    await app.photoInput.setInputFiles({ name: 'tiny.png', mimeType: 'image/png', buffer: await tinyDogPng() });
    await expect(app.result('tiny.png')).toHaveAttribute('data-state', 'done');
    await expect(app.result('tiny.png').getByTestId('prediction')).toHaveCount(5);
    await expect(app.result('tiny.png').locator('.note')).toContainText(['Very small image (12×9): enlarged for the model, expect poor results']);
  });

  test('a HEIC-branded file and an MP4, both chosen as photos with .heic names: the right words for each', async () => {
    await app.photoInput.setInputFiles([
      { name: 'IMG_0001.heic', mimeType: 'image/heic', buffer: heicBytes() },
      { name: 'IMG_0002.heic', mimeType: 'image/heic', buffer: await kitchenMp4() },
    ]);
    const heic = app.result('IMG_0001.heic');
    await expect(heic).toHaveAttribute('data-state', 'error');
    await expect(heic.locator('.error-text')).toHaveText(/^IMG_0001\.heic is HEIC\/HEIF, which this browser cannot decode\. Convert it to JPEG/);
    await expect(app.notice('info', 'IMG_0002.heic is a video (MP4), not a photo: opened as a video.')).toBeVisible();
    await expect(app.live).toHaveAttribute('data-status', 'live');
    await app.framesGrow();
    await expect(app.result('IMG_0002.heic')).toHaveCount(0);
    await expect(app.page.getByText(/IMG_0002\.heic is HEIC/)).toHaveCount(0);
  });

  test('photos and two videos dropped together: the photos are classified, the first video opens, the message names the other', async () => {
    await app.drop([
      { name: 'dog.jpg', mimeType: 'image/jpeg', buffer: await readFile(DOG_JPG) },
      { name: 'first.mp4', mimeType: 'video/mp4', buffer: await kitchenMp4() },
      { name: 'second.webm', mimeType: 'video/webm', buffer: await readFile(KITCHEN_WEBM) },
      { name: 'cat.jpg', mimeType: 'image/jpeg', buffer: await readFile(CAT_JPG) },
    ]);
    await expect(
      app.notice('info', 'first.mp4 is a video (MP4), not a photo: opened as a video. Not opened (one video plays at a time): second.webm.'),
    ).toBeVisible();
    await expect(app.page.getByRole('heading', { name: 'first.mp4', exact: true })).toBeVisible();
    await app.framesGrow();
    expect(CORGI_CLASSES).toContain(await app.topClass('dog.jpg'));
    await expect(app.result('cat.jpg')).toHaveAttribute('data-state', 'done');
    await expect(app.results).toHaveCount(2);
  });
});
