/**
 * The cross-engine scenarios, written once and run in every engine (engines.e2e.ts). They drive the
 * app only through its test-id contract (data-testid + data-* attributes), like the Playwright suite.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'vitest';
import type { RecordVerdict, RenderVerdict } from '../../src/live/media-choice';
import { frameTimes, rawPixels, videoInfo } from '../support/ffmpeg';
import { CAT, CORGI_CLASSES, CORGI_HEAD_AND_CHEST, DOG, DOMESTIC_CAT_CLASSES, MOBILENET, RESNET50 } from '../support/media';
import { heatColourShare, meanAbsDiff } from '../support/pixels';
import { waitFor, type EngineDriver } from './driver';

type ModelId = typeof MOBILENET | typeof RESNET50;
/** Loading ResNet-50 (100 MB) and warming the WASM backend up on a busy 2-core machine. */
const MODEL_TIMEOUT = 240_000;

export class App {
  constructor(
    readonly driver: EngineDriver,
    private readonly baseUrl: string,
  ) {}

  async open(model: ModelId): Promise<void> {
    // `automation`: the page's test API (src/app/automation.ts), for what WebDriver cannot read (downloads).
    await this.driver.goto(`${this.baseUrl}?model=${model}&automation`);
    await this.waitReady(model);
  }

  /** Waits until `model` is loaded; fails at once with the app's message if loading failed. */
  async waitReady(model: ModelId): Promise<void> {
    const state = await waitFor(this.driver, `${model} to load`, MODEL_TIMEOUT, (model) => {
      const status = document.querySelector<HTMLElement>('[data-testid="model.status"]');
      if (!status || status.dataset.model !== model) return null;
      const s = status.dataset.state;
      return s === 'ready' || s === 'error' ? { state: s, title: status.title } : null;
    }, model);
    if (state.state === 'error') throw new Error(`${this.driver.engine}: ${model} failed to load: ${state.title}`);
  }

  async selectModel(model: ModelId): Promise<void> {
    await this.driver.evaluate((model) => {
      const select = document.querySelector<HTMLSelectElement>('[data-testid="model.select"]')!;
      select.value = model;
      select.dispatchEvent(new Event('change', { bubbles: true }));
    }, model);
    await this.waitReady(model);
  }

  /** Picks a photo and waits until it is classified by `model`; returns its top-5 class indices. */
  async classify(file: string, model: ModelId): Promise<number[]> {
    const name = path.basename(file);
    await this.driver.setInputFile('source.file', file);
    const result = await waitFor(this.driver, `${name} to be classified`, MODEL_TIMEOUT, (name, model) => {
      const card = Array.from(document.querySelectorAll<HTMLElement>('[data-testid="result"]')).find((c) => c.dataset.sourceName === name);
      if (!card || card.dataset.model !== model) return null;
      if (card.dataset.state === 'error') return { error: card.textContent ?? 'error' };
      if (card.dataset.state !== 'done') return null;
      return { classes: Array.from(card.querySelectorAll<HTMLElement>('[data-testid="prediction"]'), (p) => Number(p.dataset.classIndex)) };
    }, name, model);
    if ('error' in result) throw new Error(`${this.driver.engine}: ${name} failed: ${result.error}`);
    return result.classes;
  }

  /** The gallery thumbnail of `name` once it has loaded (its natural width; 0 if it cannot be drawn), and where photos were prepared. */
  async thumbnail(name: string): Promise<{ src: string; width: number; preparedIn: string | null }> {
    return waitFor(this.driver, `the thumbnail of ${name}`, 60_000, (name) => {
      const card = Array.from(document.querySelectorAll<HTMLElement>('[data-testid="result"]')).find((c) => c.dataset.sourceName === name);
      const img = card?.querySelector('img');
      if (!img || !img.complete) return null;
      const api = (window as unknown as { whatsInThePicture: { photosPreparedIn(): string | null } }).whatsInThePicture;
      return { src: img.src, width: img.naturalWidth, preparedIn: api.photosPreparedIn() };
    }, name);
  }

  /** The photo overlay's class and peak, once it shows `classIndex`. */
  async overlayPeak(classIndex: number): Promise<{ peakX: number; peakY: number }> {
    return waitFor(this.driver, `the heatmap of class ${classIndex}`, 60_000, (classIndex) => {
      const d = document.querySelector<HTMLElement>('[data-testid="overlay"]')?.dataset;
      if (!d || d.classIndex !== String(classIndex) || !d.peakX) return null;
      return { peakX: Number(d.peakX), peakY: Number(d.peakY) };
    }, classIndex);
  }

  /** What the header says about the backend, and what the page really offers. */
  async backendClaims(): Promise<{ badge: string; reason: string; sharedArrayBuffer: boolean; crossOriginIsolated: boolean; cores: number }> {
    return this.driver.evaluate(() => ({
      badge: document.querySelector('[data-testid="backend"]')?.parentElement?.textContent ?? '',
      reason: document.querySelector('[data-testid="backend.reason"]')?.textContent ?? '',
      sharedArrayBuffer: typeof SharedArrayBuffer !== 'undefined',
      crossOriginIsolated: self.crossOriginIsolated === true,
      cores: navigator.hardwareConcurrency || 1,
    }));
  }

  async clickTestId(testid: string): Promise<void> {
    await this.driver.evaluate((testid) => document.querySelector<HTMLElement>(`[data-testid="${testid}"]`)!.click(), testid);
  }

  /** The live panel's status, frames inferred, overlay draws and (for a video file) the playback state. */
  async live(): Promise<LiveState> {
    return this.driver.evaluate(() => {
      const panel = document.querySelector<HTMLElement>('[data-testid="live"]');
      const video = document.querySelector<HTMLVideoElement>('[data-testid="live.video"]');
      return {
        status: panel?.dataset.status ?? null,
        error: document.querySelector('[data-testid="live.error"]')?.textContent ?? null,
        frames: Number(document.querySelector<HTMLElement>('[data-testid="hud"]')?.dataset.frames ?? 0),
        drawn: Number(document.querySelector<HTMLElement>('[data-testid="live.overlay"]')?.dataset.drawn ?? 0),
        currentTime: video?.currentTime ?? 0,
        ended: video?.ended ?? false,
        now: performance.now(),
      };
    });
  }
}

/** What the page found out about Record and render mode (once it has checked). */
async function mediaSupport(app: App): Promise<{ record: RecordVerdict; render: RenderVerdict }> {
  return waitFor(app.driver, 'the page to check what it can record and encode', 60_000, () => {
    const support = (window as unknown as { whatsInThePicture: { mediaSupport(): { record: { verdict: unknown } | null; render: { verdict: unknown } | null } } }).whatsInThePicture.mediaSupport();
    return support.record && support.render ? { record: support.record.verdict, render: support.render.verdict } : null;
  }) as Promise<{ record: RecordVerdict; render: RenderVerdict }>;
}

/** Opens `file` live (MobileNet) and returns what the page found it can record and encode. */
async function openVideoForMedia(app: App, file: string): Promise<{ record: RecordVerdict; render: RenderVerdict }> {
  await app.open(MOBILENET);
  await app.driver.setInputFile('source.video', file);
  await waitLive(app, path.basename(file));
  return mediaSupport(app);
}

/** Where the page says a feature cannot work: its button is off and the page shows that very reason. */
async function expectRefused(app: App, button: string, note: string, reason: string): Promise<void> {
  const shown = await app.driver.evaluate((button, note) => ({
    disabled: document.querySelector<HTMLButtonElement>(`[data-testid="${button}"]`)?.disabled ?? null,
    note: document.querySelector(`[data-testid="${note}"]`)?.textContent ?? null,
  }), button, note);
  expect(shown, `${app.driver.engine}: ${button}`).toEqual({ disabled: true, note: reason });
  expect(reason).toMatch(/^This browser.{20,}: .*“Frames CSV”/);
}

export interface SavedVideoCheck {
  name: string;
  codec: string;
  frames: number;
  seconds: number;
  bytes: number;
}

/**
 * Waits for the video the app saves (through the automation API: downloads cannot be read over every
 * WebDriver), fails at once with the app's message if it reports a failure, and checks the file for
 * real: named and typed by its container, the container's magic bytes, and ffprobe decodes frames
 * spanning a duration.
 */
async function savedVideo(app: App, container: 'webm' | 'mp4', dir: string, failure: RegExp): Promise<SavedVideoCheck> {
  type Saved = { name: string; type: string; size: number; base64: string } | { error: string } | null;
  const saved = await waitFor(app.driver, 'the video to be saved', 240_000, async (failure): Promise<Saved> => {
    const alert = Array.from(document.querySelectorAll('[role="alert"]'), (a) => a.textContent ?? '').find((text) => new RegExp(failure).test(text));
    if (alert) return { error: alert };
    return (window as unknown as { whatsInThePicture: { lastSavedVideo(): Promise<Saved> } }).whatsInThePicture.lastSavedVideo();
  }, failure.source);
  if ('error' in saved) throw new Error(`${app.driver.engine}: ${saved.error}`);
  expect(saved.name.endsWith(`.${container}`), saved.name).toBe(true);
  expect(saved.type).toBe(`video/${container}`);
  const bytes = Buffer.from(saved.base64, 'base64');
  expect(bytes.length).toBe(saved.size);
  if (container === 'webm') expect(bytes.subarray(0, 4).toString('hex'), 'EBML magic').toBe('1a45dfa3');
  else expect(bytes.subarray(4, 8).toString('latin1'), 'MP4 ftyp box').toBe('ftyp');
  const file = path.join(dir, `${app.driver.engine}-${saved.name}`);
  await writeFile(file, bytes);
  const [info, times] = await Promise.all([videoInfo(file), frameTimes(file)]);
  const seconds = times.length > 1 ? times.at(-1)! - times[0] : 0;
  expect(times.length, `frames ffprobe decodes in ${saved.name}`).toBeGreaterThan(0);
  return { name: saved.name, codec: info.codec, frames: times.length, seconds, bytes: bytes.length };
}

const FFPROBE_CODEC = { vp9: 'vp9', vp8: 'vp8', avc: 'h264' } as const;

export interface LiveState {
  status: string | null;
  error: string | null;
  frames: number;
  drawn: number;
  currentTime: number;
  ended: boolean;
  now: number;
}

/** Waits until the live panel runs; fails at once with the app's message if it reports an error. */
async function waitLive(app: App, what: string): Promise<LiveState> {
  const state = await waitFor(app.driver, `${what} to run`, 60_000, () => {
    const panel = document.querySelector<HTMLElement>('[data-testid="live"]');
    const status = panel?.dataset.status;
    if (status === 'live' || (status && status !== 'requesting' && status !== 'idle')) {
      return { status, error: document.querySelector('[data-testid="live.error"]')?.textContent ?? null };
    }
    return null;
  });
  if (state.status !== 'live') throw new Error(`${app.driver.engine}: ${what} did not run (${state.status}): ${state.error}`);
  return app.live();
}

// ---------------------------------------------------------------------------------------------
// Scenarios
// ---------------------------------------------------------------------------------------------

/**
 * The header claims threads only where the page really has them — then half the cores (at least 1, at
 * most 8), as the WASM backend itself reports using — and Settings says why this backend.
 */
export async function backendIsToldTruthfully(app: App): Promise<string> {
  await app.open(MOBILENET);
  const claims = await app.backendClaims();
  const threads = claims.sharedArrayBuffer && claims.crossOriginIsolated && claims.cores > 1 ? Math.min(8, Math.max(1, Math.floor(claims.cores / 2))) : 1;
  expect(claims.badge).toMatch(/backend (webgl|wasm|cpu)/);
  const context = `${claims.badge} with SharedArrayBuffer=${claims.sharedArrayBuffer}, crossOriginIsolated=${claims.crossOriginIsolated}, ${claims.cores} cores`;
  if (claims.badge.includes('wasm')) expect(claims.badge, context).toContain(threads > 1 ? `${threads} threads` : 'single thread');
  expect(claims.reason).toMatch(/^Running on (webgl|wasm|cpu): .{10,}/);
  return `${claims.badge.replace(/^backend /, '')} — ${claims.reason}`;
}

/**
 * dog.jpg → a corgi with its heatmap on the dog and its thumbnail drawn; cat.jpg → a domestic cat (top-1
 * with MobileNet, top-5 with ResNet-50). Returns where the photos were prepared (photo worker or page).
 */
export async function photosAreClassified(app: App, model: ModelId, switchFrom?: ModelId): Promise<string> {
  if (switchFrom) {
    await app.open(switchFrom);
    await app.selectModel(model);
  } else {
    await app.open(model);
  }
  const dog = await app.classify(DOG, model);
  expect(CORGI_CLASSES, `dog.jpg top-5 ${dog}`).toContain(dog[0]);
  const thumbnail = await app.thumbnail('dog.jpg');
  expect(thumbnail.src, 'the thumbnail is an object URL').toMatch(/^blob:/);
  expect(thumbnail.width, `the thumbnail of dog.jpg is drawn (${thumbnail.preparedIn})`).toBeGreaterThan(0);
  const peak = await app.overlayPeak(dog[0]);
  expect(peak.peakX).toBeGreaterThanOrEqual(CORGI_HEAD_AND_CHEST.x0);
  expect(peak.peakX).toBeLessThanOrEqual(CORGI_HEAD_AND_CHEST.x1);
  expect(peak.peakY).toBeGreaterThanOrEqual(CORGI_HEAD_AND_CHEST.y0);
  expect(peak.peakY).toBeLessThanOrEqual(CORGI_HEAD_AND_CHEST.y1);
  const cat = await app.classify(CAT, model);
  const catClasses = model === MOBILENET ? cat.slice(0, 1) : cat;
  expect(catClasses.some((c) => DOMESTIC_CAT_CLASSES.includes(c)), `cat.jpg top-5 ${cat}`).toBe(true);
  return thumbnail.preparedIn ?? 'unknown';
}

/**
 * A video file plays to its end with the live overlay drawn and inferences going on all the way (more
 * in the second half of the clip than at its middle). Returns the inferences per second of playback.
 */
export async function videoKeepsInferring(app: App, file: string): Promise<number> {
  await app.open(MOBILENET);
  await app.driver.setInputFile('source.video', file);
  const start = await waitLive(app, path.basename(file));
  const middle = await waitFor(app.driver, `${path.basename(file)} to reach its middle`, 120_000, () => {
    const video = document.querySelector<HTMLVideoElement>('[data-testid="live.video"]');
    return video && video.duration > 0 && video.currentTime >= video.duration / 2 ? { frames: Number(document.querySelector<HTMLElement>('[data-testid="hud"]')?.dataset.frames ?? 0) } : null;
  });
  // At its end: `ended`, or on its last frame (WebKitGTK sometimes stops a WebM there, 1/60 s before its
  // duration, playing and never firing `ended`).
  await waitFor(app.driver, `${path.basename(file)} to play to its end`, 120_000, () => {
    const video = document.querySelector<HTMLVideoElement>('[data-testid="live.video"]');
    return video !== null && (video.ended || (video.duration > 0 && video.currentTime >= video.duration - 0.05));
  }).catch(async (error: Error) => {
    // What the video was doing when it did not end (a stall in the engine's media pipeline, or a pause).
    const video = await app.driver.evaluate(() => {
      const v = document.querySelector<HTMLVideoElement>('[data-testid="live.video"]');
      const hud = document.querySelector<HTMLElement>('[data-testid="hud"]');
      return v && { currentTime: v.currentTime, duration: v.duration, paused: v.paused, readyState: v.readyState, networkState: v.networkState, error: v.error?.code ?? null, frames: hud?.dataset.frames ?? null };
    });
    throw new Error(`${error.message}; the video: ${JSON.stringify(video)}; in the middle: ${JSON.stringify(middle)}`);
  });
  const end = await app.live();
  expect(end.status).toBe('live');
  expect(middle.frames, 'frames inferred in the first half').toBeGreaterThan(start.frames);
  expect(end.frames, 'frames inferred in the second half').toBeGreaterThan(middle.frames);
  expect(end.drawn, 'live overlay draws').toBeGreaterThan(0);
  return (end.frames - start.frames) / ((end.now - start.now) / 1000);
}

/** The engine's fake camera: the webcam starts, frames are inferred and the overlay is drawn. */
export async function webcamKeepsInferring(app: App): Promise<number> {
  await app.open(MOBILENET);
  await app.clickTestId('source.webcam');
  const start = await waitLive(app, 'the webcam');
  const running = await waitFor(app.driver, 'ten webcam frames to be inferred', 120_000, (after) => {
    const frames = Number(document.querySelector<HTMLElement>('[data-testid="hud"]')?.dataset.frames ?? 0);
    const drawn = Number(document.querySelector<HTMLElement>('[data-testid="live.overlay"]')?.dataset.drawn ?? 0);
    return frames >= after + 10 && drawn > 0 ? { frames, now: performance.now() } : null;
  }, start.frames);
  await app.clickTestId('source.webcam');
  return (running.frames - start.frames) / ((running.now - start.now) / 1000);
}

/**
 * Nothing the page loaded came from another origin, and the recording proxy saw no request for another
 * host except the browser's own background services (the driver names them; the app never uses them).
 */
export async function nothingLeavesTheOrigin(app: App, proxied: string[]): Promise<void> {
  const foreign = await app.driver.evaluate(() =>
    performance.getEntriesByType('resource').map((e) => e.name).filter((url) => !url.startsWith(location.origin) && !url.startsWith('blob:') && !url.startsWith('data:')),
  );
  expect(foreign).toEqual([]);
  const host = (request: string) => new URL(request.startsWith('CONNECT ') ? `https://${request.slice(8)}` : request.split(' ')[1]).hostname;
  expect(proxied.filter((request) => !app.driver.ownHosts.includes(host(request)))).toEqual([]);
}

/**
 * Record: where the page says it can record, two seconds of the video file playing with its overlay
 * become a WebM or MP4 (as the page chose) with frames over a duration; where it says it cannot, the
 * button is off and the reason is shown. Returns what was made, or the reason.
 */
export async function recordsTheOverlay(app: App, file: string, dir: string): Promise<string> {
  const { record } = await openVideoForMedia(app, file);
  if (!record.ok) {
    await expectRefused(app, 'live.record', 'live.record.reason', record.reason);
    return `not offered: ${record.reason}`;
  }
  await waitFor(app.driver, 'Record to be enabled', 30_000, () => document.querySelector<HTMLButtonElement>('[data-testid="live.record"]')?.disabled === false);
  await app.clickTestId('live.record');
  const started = await waitFor(app.driver, 'the recording to start', 30_000, () => {
    const button = document.querySelector<HTMLElement>('[data-testid="live.record"]');
    const video = document.querySelector<HTMLVideoElement>('[data-testid="live.video"]');
    return button?.getAttribute('aria-pressed') === 'true' && video ? { time: video.currentTime, frames: Number(document.querySelector<HTMLElement>('[data-testid="hud"]')?.dataset.frames ?? 0) } : null;
  });
  // Two seconds of the clip played while recording (or its end), with inferences going on.
  await waitFor(app.driver, 'two seconds of the video to play while recording', 120_000, (started) => {
    const video = document.querySelector<HTMLVideoElement>('[data-testid="live.video"]');
    const frames = Number(document.querySelector<HTMLElement>('[data-testid="hud"]')?.dataset.frames ?? 0);
    return video && (video.currentTime >= started.time + 2 || video.ended) && frames > started.frames;
  }, started);
  await app.clickTestId('live.record');
  const made = await savedVideo(app, record.container, dir, /Recording failed/);
  expect(made.name).toMatch(/^heatmap-recording-/);
  expect(made.codec).toMatch(record.container === 'webm' ? /^vp[89]$/ : /^h264$/);
  expect(made.seconds, `${made.name} spans a duration`).toBeGreaterThan(0);
  return `${record.mimeType}: ${made.frames} frames over ${made.seconds.toFixed(1)} s (${made.codec}, ${Math.round(made.bytes / 1024)} KB)`;
}

/**
 * Render mode: where the page says it can encode, every frame of a short clip goes through the model
 * into a video in the codec and container the page chose, with as many frames as the clip; where it
 * says it cannot, the button is off and the reason is shown. Returns what was made, or the reason.
 */
export async function rendersAClip(app: App, clip: { file: string; frames: number; width: number; height: number }, dir: string): Promise<string> {
  const { render } = await openVideoForMedia(app, clip.file);
  if (!render.ok) {
    await expectRefused(app, 'render.start', 'render.reason', render.reason);
    return `not offered: ${render.reason}`;
  }
  await waitFor(app.driver, 'render mode to be enabled', 30_000, () => document.querySelector<HTMLButtonElement>('[data-testid="render.start"]')?.disabled === false);
  await app.clickTestId('render.start');
  const made = await savedVideo(app, render.container, dir, /Rendering failed/);
  expect(made.name).toBe(`${path.basename(clip.file, path.extname(clip.file))}-heatmap.${render.extension}`);
  expect(made.codec).toBe(FFPROBE_CODEC[render.codec]);
  expect(made.frames).toBe(clip.frames);
  expect(made.seconds, `${made.name} spans a duration`).toBeGreaterThan(0);
  const output = path.join(dir, `${app.driver.engine}-${made.name}`);
  const info = await videoInfo(output);
  expect({ width: info.width, height: info.height }).toEqual({ width: clip.width, height: clip.height });
  // The middle frame is the clip's picture with the heatmap blended over the centre square the model saw
  // (the banana on the white counter: next to no strongly red or blue pixels of its own), untouched below.
  const { width: w, height: h } = clip;
  const crop = { x: 0, y: (h - w) / 2, width: w, height: w };
  const below = { x: 0, y: crop.y + crop.height + 8, width: w, height: h - (crop.y + crop.height + 8) };
  const frame = Math.floor(clip.frames / 2);
  const [source, drawn] = await Promise.all([rawPixels(clip.file, w, h, { frame }), rawPixels(output, w, h, { frame })]);
  const heat = { source: heatColourShare(source, w, crop).either, drawn: heatColourShare(drawn, w, crop).either };
  const seen = `${app.driver.engine} frame ${frame}: heat colours ${(heat.drawn * 100).toFixed(0)}% vs ${(heat.source * 100).toFixed(0)}% in the source; below the crop ${meanAbsDiff(source, drawn, w, below).toFixed(1)} from it`;
  expect(heat.source, seen).toBeLessThan(0.05);
  expect(heat.drawn, seen).toBeGreaterThan(0.12);
  expect(meanAbsDiff(source, drawn, w, below), seen).toBeLessThan(12);
  return `${render.codec} in ${render.container.toUpperCase()}: ${made.frames} frames over ${made.seconds.toFixed(2)} s (${Math.round(made.bytes / 1024)} KB); heat colours in the crop ${(heat.drawn * 100).toFixed(0)}%`;
}
