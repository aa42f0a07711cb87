/**
 * Helpers for the live-video specs (webcam, video files, render mode, record): the live panel seen
 * through its test-id contract, ffmpeg/ffprobe for making and checking clips, and Chromium launched
 * with other camera flags than the config's (permission denied, no camera).
 */
import { chromium, expect, type Browser, type Download, type Locator, type Page, type TestInfo } from '@playwright/test';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { CHROMIUM_ARGS } from '../../playwright.config';
import { media } from '../fixtures';

const run = promisify(execFile);

/** The book's kitchen video (drinks fridge in a shop, then a banana on a counter), 540×960, 25 fps, 341 frames. */
export const KITCHEN_WEBM = media('kitchen.webm');
export const KITCHEN_MP4 = media('kitchen.mp4');
export const KITCHEN_FRAMES = 341;

// ---------------------------------------------------------------------------------------------
// The live panel
// ---------------------------------------------------------------------------------------------

export interface HudStats {
  fps: number;
  inferMs: number;
  dropped: number;
  frames: number;
  presented: number;
  numTensors: number;
}

export interface HudPrediction {
  classIndex: number;
  wnid: string;
  label: string;
  prob: number;
}

export interface LiveOverlayInfo {
  classIndex: number | null;
  peakX: number;
  peakY: number;
  drawn: number;
}

export type LiveStatus = 'requesting' | 'live' | 'denied' | 'no-camera' | 'busy' | 'disconnected' | 'unsupported' | 'error';

export class LivePage {
  readonly webcamButton: Locator;
  readonly videoInput: Locator;
  readonly panel: Locator;
  readonly error: Locator;
  readonly hud: Locator;
  readonly predictions: Locator;
  readonly visiblePredictions: Locator;
  readonly overlay: Locator;
  readonly video: Locator;
  readonly snapshot: Locator;
  readonly record: Locator;
  readonly renderStart: Locator;
  readonly renderProgress: Locator;
  readonly renderCancel: Locator;
  readonly close: Locator;
  readonly smoothing: Locator;

  constructor(readonly page: Page) {
    this.webcamButton = page.getByTestId('source.webcam');
    this.videoInput = page.getByTestId('source.video');
    this.panel = page.getByTestId('live');
    this.error = page.getByTestId('live.error');
    this.hud = page.getByTestId('hud');
    this.predictions = this.hud.getByTestId('prediction');
    this.visiblePredictions = this.hud.locator('[data-testid="prediction"]:not([hidden])');
    this.overlay = page.getByTestId('live.overlay');
    this.video = page.getByTestId('live.video');
    this.snapshot = page.getByTestId('live.snapshot');
    this.record = page.getByTestId('live.record');
    this.renderStart = page.getByTestId('render.start');
    this.renderProgress = page.getByTestId('render.progress');
    this.renderCancel = page.getByTestId('render.cancel');
    this.close = page.getByTestId('live.stop');
    this.smoothing = page.getByTestId('live.smoothing');
  }

  /** Presses "Start webcam" and waits until the camera runs. */
  async startWebcam(): Promise<void> {
    await expect(this.webcamButton).toHaveText(/Start webcam/);
    await this.webcamButton.click();
    await expect(this.panel).toHaveAttribute('data-status', 'live');
    await expect(this.webcamButton).toHaveAttribute('aria-pressed', 'true');
    await expect(this.webcamButton).toHaveText(/Stop webcam/);
  }

  /** Opens a video file (a path, or bytes made by the test) through the "Open video…" picker. */
  async openVideo(file: string | { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
    await this.videoInput.setInputFiles(file);
  }

  async status(): Promise<string | null> {
    return this.panel.getAttribute('data-status');
  }

  /** The HUD's figures, as numbers. */
  async stats(): Promise<HudStats> {
    return this.hud.evaluate((el) => {
      const d = (el as HTMLElement).dataset;
      return {
        fps: Number(d.fps),
        inferMs: Number(d.inferMs),
        dropped: Number(d.dropped),
        frames: Number(d.frames),
        presented: Number(d.presented),
        numTensors: Number(d.numTensors),
      };
    });
  }

  async frames(): Promise<number> {
    return Number((await this.hud.getAttribute('data-frames')) ?? 0);
  }

  /** Waits until at least `n` frames have been inferred in this session. */
  async waitForFrames(n: number, timeout = 60_000): Promise<HudStats> {
    await expect.poll(() => this.frames(), { timeout, message: `waiting for ${n} inferred frames`, intervals: [100, 250, 500] }).toBeGreaterThanOrEqual(n);
    return this.stats();
  }

  /** The live top-3 currently shown (visible rows only), in rank order. */
  async top(): Promise<HudPrediction[]> {
    return this.predictions.evaluateAll((rows) =>
      rows
        .filter((row) => !(row as HTMLElement).hidden)
        .map((row) => {
          const d = (row as HTMLElement).dataset;
          return { classIndex: Number(d.classIndex), wnid: d.wnid ?? '', label: d.label ?? '', prob: Number(d.prob) };
        }),
    );
  }

  async overlayInfo(): Promise<LiveOverlayInfo> {
    return this.overlay.evaluate((el) => {
      const d = (el as HTMLElement).dataset;
      return {
        classIndex: d.classIndex === undefined ? null : Number(d.classIndex),
        peakX: Number(d.peakX),
        peakY: Number(d.peakY),
        drawn: Number(d.drawn ?? 0),
      };
    });
  }

  /** Playback state of the live `<video>`. */
  async videoState(): Promise<{ currentTime: number; paused: boolean; ended: boolean; videoWidth: number; videoHeight: number; hasStream: boolean; src: string }> {
    return this.video.evaluate((el) => {
      const v = el as HTMLVideoElement;
      return {
        currentTime: v.currentTime,
        paused: v.paused,
        ended: v.ended,
        videoWidth: v.videoWidth,
        videoHeight: v.videoHeight,
        hasStream: v.srcObject !== null,
        src: v.getAttribute('src') ?? '',
      };
    });
  }

  /**
   * Keeps references to the webcam's MediaStream and to the live `<video>` element in the page
   * (`window.__liveStream`, `window.__liveVideo`), so the test can look at them after the app has let
   * go of them (the element leaves the DOM with the live panel).
   */
  async grabStream(): Promise<{ tracks: number; readyStates: string[] }> {
    return this.video.evaluate((el) => {
      const video = el as HTMLVideoElement;
      const stream = video.srcObject as MediaStream | null;
      if (!stream) throw new Error('the live video has no srcObject');
      Object.assign(window, { __liveStream: stream, __liveVideo: video });
      return { tracks: stream.getTracks().length, readyStates: stream.getTracks().map((t) => t.readyState) };
    });
  }

  /** The grabbed `<video>`: does it still hold a stream, and is it in the page? */
  async grabbedVideo(): Promise<{ srcObject: boolean; connected: boolean; paused: boolean }> {
    return this.page.evaluate(() => {
      const video = (window as unknown as { __liveVideo: HTMLVideoElement }).__liveVideo;
      return { srcObject: video.srcObject !== null, connected: video.isConnected, paused: video.paused };
    });
  }

  async grabbedTrackStates(): Promise<string[]> {
    return this.page.evaluate(() => (window as unknown as { __liveStream: MediaStream }).__liveStream.getTracks().map((t) => t.readyState));
  }
}

export interface LiveSample {
  /** The HUD's top-1 class index. */
  top1: number;
  label: string;
  prob: number;
  /** The HUD's top-3 class indices. */
  top3: number[];
  /** The class the live heatmap shows. */
  overlayClass: number | null;
}

/**
 * Samples the HUD's top-1 and the overlay's class every `intervalMs`, for at least `minMs` and until
 * `untilFrames` frames have been inferred in the session (so a slow machine gives as many distinct
 * frames as a fast one); fails after `maxMs`.
 */
export async function sampleLive(live: LivePage, options: { minMs: number; untilFrames: number; maxMs?: number; intervalMs?: number }): Promise<LiveSample[]> {
  const { minMs, untilFrames, maxMs = 120_000, intervalMs = 250 } = options;
  const samples: LiveSample[] = [];
  const start = Date.now();
  for (;;) {
    const sample = await live.page.evaluate(() => {
      const rows = Array.from(document.querySelectorAll<HTMLElement>('[data-testid="hud"] [data-testid="prediction"]:not([hidden])'));
      const first = rows[0];
      const overlay = document.querySelector<HTMLElement>('[data-testid="live.overlay"]');
      const frames = Number(document.querySelector<HTMLElement>('[data-testid="hud"]')?.dataset.frames ?? 0);
      if (!first) return { frames, sample: null };
      const overlayClass = overlay?.dataset.classIndex;
      return {
        frames,
        sample: {
          top1: Number(first.dataset.classIndex),
          label: first.dataset.label ?? '',
          prob: Number(first.dataset.prob),
          top3: rows.map((row) => Number(row.dataset.classIndex)),
          overlayClass: overlayClass === undefined ? null : Number(overlayClass),
        },
      };
    });
    if (sample.sample) samples.push(sample.sample);
    const elapsed = Date.now() - start;
    if (elapsed >= minMs && sample.frames >= untilFrames) return samples;
    if (elapsed > maxMs) throw new Error(`only ${sample.frames} of ${untilFrames} frames inferred after ${maxMs} ms`);
    await live.page.waitForTimeout(intervalMs);
  }
}

/**
 * Waits until `read()` returns the same value twice `quietMs` apart (e.g. a frame in flight has come
 * back and nothing more is inferred); fails after `timeout` if it keeps changing. Returns the value.
 */
export async function waitUntilStable<T>(page: Page, read: () => Promise<T>, quietMs = 1_500, timeout = 20_000): Promise<T> {
  const end = Date.now() + timeout;
  let previous = await read();
  for (;;) {
    await page.waitForTimeout(quietMs);
    const now = await read();
    if (JSON.stringify(now) === JSON.stringify(previous)) return now;
    if (Date.now() > end) throw new Error(`still changing after ${timeout} ms (last ${JSON.stringify(previous)} → ${JSON.stringify(now)})`);
    previous = now;
  }
}

/** The most frequent value and how often each value occurred. */
export function tally(values: number[]): { mode: number; counts: Map<number, number> } {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let mode = NaN;
  let best = -1;
  for (const [v, n] of counts) {
    if (n > best) {
      best = n;
      mode = v;
    }
  }
  return { mode, counts };
}

/** Drops a file on the page as a browser does (dragenter, dragover, drop with `dataTransfer.files`). */
export async function dropFile(page: Page, path: string, name: string, type: string): Promise<void> {
  const base64 = (await readFile(path)).toString('base64');
  await page.evaluate(
    ({ base64, name, type }) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const dataTransfer = new DataTransfer();
      dataTransfer.items.add(new File([bytes], name, { type }));
      const target = document.querySelector('main') ?? document.body;
      for (const event of ['dragenter', 'dragover', 'drop']) {
        target.dispatchEvent(new DragEvent(event, { dataTransfer, bubbles: true, cancelable: true }));
      }
    },
    { base64, name, type },
  );
}

/** Rows of the live session's per-frame JSON export (`live.export.json`). */
export interface FrameRecord {
  source: string;
  time: number;
  model: string;
  predictions: { classIndex: number; wnid: string | null; label: string | null; probability: number }[];
}

// ---------------------------------------------------------------------------------------------
// Downloads
// ---------------------------------------------------------------------------------------------

export interface SavedDownload {
  name: string;
  path: string;
  bytes: Buffer;
}

/** Runs `action`, waits for the download it starts, saves it into the test's output folder. */
export async function downloadOf(page: Page, testInfo: TestInfo, action: () => Promise<void>, timeout = 60_000): Promise<SavedDownload> {
  const [download] = await Promise.all([page.waitForEvent('download', { timeout }), action()]);
  return save(download, testInfo);
}

export async function save(download: Download, testInfo: TestInfo): Promise<SavedDownload> {
  const failure = await download.failure();
  if (failure) throw new Error(`Download ${download.suggestedFilename()} failed: ${failure}`);
  const name = download.suggestedFilename();
  const path = testInfo.outputPath(`download-${name}`);
  await download.saveAs(path);
  return { name, path, bytes: await readFile(path) };
}

// ---------------------------------------------------------------------------------------------
// ffmpeg / ffprobe
// ---------------------------------------------------------------------------------------------

async function ffmpeg(args: string[]): Promise<Buffer> {
  const { stdout } = await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-nostdin', ...args], {
    encoding: 'buffer',
    maxBuffer: 256 * 1024 * 1024,
  });
  return stdout;
}

async function ffprobe(args: string[]): Promise<string> {
  const { stdout } = await run('ffprobe', ['-v', 'error', ...args], { maxBuffer: 16 * 1024 * 1024 });
  return stdout.trim();
}

export interface ClipOptions {
  /** Exact number of frames to keep. */
  frames: number;
  /** Where to start in the source, in seconds. */
  start?: number;
  codec?: 'vp9' | 'vp8';
  /** Scale to this width (height follows, even). */
  width?: number;
}

/** Cuts a short WebM clip (no audio) out of `source` into `out`. Fast settings: it runs at test time on a busy machine. */
export async function makeClip(source: string, out: string, options: ClipOptions): Promise<string> {
  const codec = options.codec ?? 'vp9';
  await ffmpeg([
    '-y',
    ...(options.start ? ['-ss', String(options.start)] : []),
    '-i',
    source,
    '-frames:v',
    String(options.frames),
    ...(options.width ? ['-vf', `scale=${options.width}:-2`] : []),
    '-an',
    ...(codec === 'vp9'
      ? ['-c:v', 'libvpx-vp9', '-b:v', '500k', '-deadline', 'realtime', '-cpu-used', '8', '-row-mt', '1']
      : ['-c:v', 'libvpx', '-b:v', '500k', '-deadline', 'realtime', '-cpu-used', '8']),
    out,
  ]);
  return out;
}

/** Frames in the first video stream, by decoding all of them (`-count_frames`). */
export async function countFrames(file: string): Promise<number> {
  const out = await ffprobe(['-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', file]);
  const n = Number.parseInt(out, 10);
  if (!Number.isFinite(n)) throw new Error(`ffprobe could not count the frames of ${file}: ${JSON.stringify(out)}`);
  return n;
}

export async function videoInfo(file: string): Promise<{ codec: string; width: number; height: number }> {
  const out = await ffprobe(['-select_streams', 'v:0', '-show_entries', 'stream=codec_name,width,height', '-of', 'json', file]);
  const stream = (JSON.parse(out) as { streams: { codec_name: string; width: number; height: number }[] }).streams[0];
  if (!stream) throw new Error(`${file} has no video stream`);
  return { codec: stream.codec_name, width: stream.width, height: stream.height };
}

/** Frame `index` (0-based, in decoding order) as raw RGB, scaled to width×height. */
export async function rgbFrame(file: string, index: number, width: number, height: number): Promise<Buffer> {
  const rgb = await ffmpeg(['-i', file, '-vf', `select=eq(n\\,${index}),scale=${width}:${height}:flags=area`, '-fps_mode', 'passthrough', '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-']);
  if (rgb.length !== width * height * 3) throw new Error(`frame ${index} of ${file}: got ${rgb.length} bytes, expected ${width * height * 3}`);
  return rgb;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Mean absolute difference per channel (0–255) of two RGB images of the same size, optionally in a region. */
export function meanAbsDiff(a: Buffer, b: Buffer, width: number, region?: Rect): number {
  if (a.length !== b.length) throw new Error(`images differ in size (${a.length} vs ${b.length} bytes)`);
  const height = a.length / 3 / width;
  const r = region ?? { x: 0, y: 0, width, height };
  let sum = 0;
  for (let y = r.y; y < r.y + r.height; y++) {
    for (let x = r.x; x < r.x + r.width; x++) {
      const i = (y * width + x) * 3;
      sum += Math.abs(a[i] - b[i]) + Math.abs(a[i + 1] - b[i + 1]) + Math.abs(a[i + 2] - b[i + 2]);
    }
  }
  return sum / (r.width * r.height * 3);
}

/**
 * Share of pixels in `region` whose colour is strongly red or strongly blue — a jet-coloured heatmap
 * (blue for cold, red for hot) blended over a photo. A pixel counts when one of red/blue exceeds both
 * other channels by `margin`.
 */
export function heatColourShare(rgb: Buffer, width: number, region: Rect, margin = 60): { red: number; blue: number; either: number } {
  let red = 0;
  let blue = 0;
  for (let y = region.y; y < region.y + region.height; y++) {
    for (let x = region.x; x < region.x + region.width; x++) {
      const i = (y * width + x) * 3;
      const [r, g, b] = [rgb[i], rgb[i + 1], rgb[i + 2]];
      if (r - Math.max(g, b) >= margin) red++;
      else if (b - Math.max(r, g) >= margin) blue++;
    }
  }
  const n = region.width * region.height;
  return { red: red / n, blue: blue / n, either: (red + blue) / n };
}

// ---------------------------------------------------------------------------------------------
// Chromium with other camera flags
// ---------------------------------------------------------------------------------------------

export interface CameraFlags {
  /** `--use-fake-ui-for-media-stream`: accept the permission prompt automatically. */
  autoAccept: boolean;
  /** `--use-fake-device-for-media-stream` (+ the kitchen video as the fake camera). */
  fakeCamera: boolean;
  /** Extra flags, e.g. `--deny-permission-prompts`. */
  extra?: string[];
}

/** Launches the same Chromium as the config, with the camera flags changed. */
export async function launchChromium(flags: CameraFlags): Promise<Browser> {
  const args = CHROMIUM_ARGS.filter((arg) => {
    if (arg === '--use-fake-ui-for-media-stream') return flags.autoAccept;
    if (arg === '--use-fake-device-for-media-stream' || arg.startsWith('--use-file-for-fake-video-capture')) return flags.fakeCamera;
    return true;
  });
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: [...args, ...(flags.extra ?? [])] });
}

/** The app's URL for pages that do not come from the config's `page` fixture. */
export function appUrl(testInfo: TestInfo, query = ''): string {
  const base = testInfo.project.use.baseURL ?? `http://127.0.0.1:${process.env.E2E_PORT ?? 4173}/`;
  return new URL(query ? `./?${query}` : './', base).toString();
}
