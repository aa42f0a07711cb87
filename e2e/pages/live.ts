/**
 * The live panel (webcam and video files) seen through its test-id contract: the HUD's figures, the
 * live overlay, the <video> element, snapshot/record/render controls and the per-frame exports.
 */
import { expect, type Locator, type Page } from '@playwright/test';
import { downloadJson } from '../support/downloads';
import type { FilePayload } from '../support/image-fixtures';

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

export class LivePage {
  readonly webcamButton: Locator;
  readonly switchCamera: Locator;
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
  /** Why Record is off in this browser, and what to use instead (shown only then). */
  readonly recordReason: Locator;
  /** Why render mode is off in this browser (shown only then). */
  readonly renderReason: Locator;
  readonly renderStart: Locator;
  readonly renderProgress: Locator;
  readonly renderCancel: Locator;
  readonly close: Locator;
  readonly smoothing: Locator;
  readonly exportJson: Locator;
  readonly exportCsv: Locator;

  constructor(readonly page: Page) {
    this.webcamButton = page.getByTestId('source.webcam');
    this.switchCamera = page.getByTestId('source.camera.switch');
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
    this.recordReason = page.getByTestId('live.record.reason');
    this.renderReason = page.getByTestId('render.reason');
    this.renderStart = page.getByTestId('render.start');
    this.renderProgress = page.getByTestId('render.progress');
    this.renderCancel = page.getByTestId('render.cancel');
    this.close = page.getByTestId('live.stop');
    this.smoothing = page.getByTestId('live.smoothing');
    this.exportJson = page.getByTestId('live.export.json');
    this.exportCsv = page.getByTestId('live.export.csv');
  }

  /** Presses "Start webcam" and waits until the camera runs. */
  async startWebcam(): Promise<void> {
    await expect(this.webcamButton).toHaveText(/Start webcam/);
    await this.webcamButton.click();
    await expect(this.panel).toHaveAttribute('data-status', 'live');
    await expect(this.webcamButton).toHaveAttribute('aria-pressed', 'true');
    await expect(this.webcamButton).toHaveText(/Stop webcam/);
  }

  /**
   * From the next page load on, records every getUserMedia call's constraints in the page (the real
   * call still happens); read them with `cameraRequests()`.
   */
  async recordCameraRequests(): Promise<void> {
    await this.page.addInitScript(() => {
      const requests: MediaStreamConstraints[] = [];
      Object.assign(window, { cameraRequests: requests });
      const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
      navigator.mediaDevices.getUserMedia = (constraints?: MediaStreamConstraints) => {
        requests.push(JSON.parse(JSON.stringify(constraints ?? {})));
        return original(constraints);
      };
    });
  }

  /** The constraints of every camera request since the page loaded (`recordCameraRequests` first). */
  async cameraRequests(): Promise<{ video?: { facingMode?: unknown } }[]> {
    return this.page.evaluate(() => (window as unknown as { cameraRequests: { video?: { facingMode?: unknown } }[] }).cameraRequests);
  }

  /** Opens a video file (a path, or bytes made by the test) through the "Open video…" picker. */
  async openVideo(file: string | FilePayload): Promise<void> {
    await this.videoInput.setInputFiles(file);
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

  /** The HUD's top class group and its top-3, read together (the same frame): group '' when none is shown. */
  async topGroup(): Promise<{ wnid: string; prob: number; text: string; top: HudPrediction[] }> {
    return this.hud.evaluate((el) => {
      const d = (el as HTMLElement).dataset;
      const top = Array.from(el.querySelectorAll<HTMLElement>('[data-testid="prediction"]:not([hidden])')).map((row) => ({
        classIndex: Number(row.dataset.classIndex),
        wnid: row.dataset.wnid ?? '',
        label: row.dataset.label ?? '',
        prob: Number(row.dataset.prob),
      }));
      return { wnid: d.group ?? '', prob: Number(d.groupProb), text: el.querySelector('[data-field="group"]')?.textContent ?? '', top };
    });
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

  /** Clicks the HUD's prediction row `row` (0 = top): its class's heatmap is shown until "Follow top class again". */
  async pin(row: number): Promise<void> {
    await this.visiblePredictions.nth(row).getByRole('button').click();
  }

  async followTopClass(): Promise<void> {
    await this.panel.getByRole('button', { name: 'Follow top class again' }).click();
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

  /** The picture the live `<video>` shows now, drawn at width×height, as raw RGB (rgb24). */
  async picture(width: number, height: number): Promise<Buffer> {
    const rgb = await this.video.evaluate(
      (el, [w, h]) => {
        const canvas = document.createElement('canvas');
        canvas.width = w;
        canvas.height = h;
        const context = canvas.getContext('2d');
        if (!context) throw new Error('no 2D canvas');
        context.drawImage(el as HTMLVideoElement, 0, 0, w, h);
        const rgba = context.getImageData(0, 0, w, h).data;
        return Array.from({ length: w * h * 3 }, (_, i) => rgba[Math.floor(i / 3) * 4 + (i % 3)]);
      },
      [width, height],
    );
    return Buffer.from(rgb);
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

  /**
   * Counts, in the page, the HUD's refreshes (its `data-frames` written) and the overlay's draws until the
   * overlay has drawn `draws` more times, with the page's clock for the time that took.
   */
  async countRefreshes(draws: number, timeout = 120_000): Promise<{ hud: number; overlay: number; ms: number }> {
    return this.page.evaluate(
      ({ draws, timeout }) =>
        new Promise<{ hud: number; overlay: number; ms: number }>((resolve, reject) => {
          const hud = document.querySelector('[data-testid="hud"]');
          const overlay = document.querySelector('[data-testid="live.overlay"]');
          if (!hud || !overlay) return reject(new Error('no live HUD or overlay'));
          const counts = { hud: 0, overlay: 0 };
          const start = performance.now();
          const observer = new MutationObserver((records) => {
            for (const record of records) {
              if (record.target === hud && record.attributeName === 'data-frames') counts.hud++;
              if (record.target === overlay && record.attributeName === 'data-drawn') counts.overlay++;
            }
            if (counts.overlay >= draws) {
              observer.disconnect();
              clearTimeout(timer);
              resolve({ ...counts, ms: performance.now() - start });
            }
          });
          const timer = setTimeout(() => {
            observer.disconnect();
            reject(new Error(`only ${counts.overlay} of ${draws} overlay draws in ${timeout} ms`));
          }, timeout);
          observer.observe(hud, { attributes: true, attributeFilter: ['data-frames'] });
          observer.observe(overlay, { attributes: true, attributeFilter: ['data-drawn'] });
        }),
      { draws, timeout },
    );
  }

  /** The session's per-frame results, as the JSON export (`live.export.json`) gives them. */
  async records(): Promise<{ name: string; records: FrameRecord[] }> {
    const { name, data } = await downloadJson<FrameRecord[]>(this.page, () => this.exportJson.click());
    return { name, records: data };
  }

  /**
   * Samples the HUD's top-1 and the overlay's class every `intervalMs`, for at least `minMs` and until
   * `untilFrames` frames have been inferred in the session (so a slow machine gives as many distinct
   * frames as a fast one); fails after `maxMs`.
   */
  async sample(options: { minMs: number; untilFrames: number; maxMs?: number; intervalMs?: number }): Promise<LiveSample[]> {
    const { minMs, untilFrames, maxMs = 120_000, intervalMs = 250 } = options;
    const samples: LiveSample[] = [];
    const start = Date.now();
    for (;;) {
      const sample = await this.page.evaluate(() => {
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
      await this.page.waitForTimeout(intervalMs);
    }
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

/** Rows of the live session's per-frame JSON export (`live.export.json`). */
export interface FrameRecord {
  source: string;
  time: number;
  model: string;
  predictions: { classIndex: number; wnid: string | null; label: string | null; probability: number }[];
}

