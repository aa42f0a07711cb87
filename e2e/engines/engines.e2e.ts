/**
 * The same scenarios in Chromium, Firefox (WebDriver BiDi) and WebKitGTK (WebDriver classic), one engine
 * after the other on the production build. The live rates are printed at the end as a ratio to
 * Chromium's on this machine (measured here, in the same run, with the same scenario).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { makeClip } from '../support/ffmpeg';
import { KITCHEN_MP4, KITCHEN_WEBM, MOBILENET, RESNET50 } from '../support/media';
import type { EngineDriver, EngineName, LaunchOptions } from './driver';
import { launchChromium, launchFirefox } from './puppeteer-driver';
import {
  App,
  backendIsToldTruthfully,
  nothingLeavesTheOrigin,
  photosAreClassified,
  recordsTheOverlay,
  rendersAClip,
  videoKeepsInferring,
  webcamKeepsInferring,
} from './scenarios';
import { startPreview, startRecordingProxy, type Running } from './servers';
import { launchWebKit } from './webkit-driver';

const PORT = Number(process.env.ENGINES_PORT ?? 4180);
const DIST = process.env.E2E_DIST ?? 'dist';

const ENGINES: { engine: EngineName; launch: (options: LaunchOptions) => Promise<EngineDriver> }[] = [
  { engine: 'chromium', launch: launchChromium },
  { engine: 'firefox', launch: launchFirefox },
  { engine: 'webkit', launch: (options) => launchWebKit({ ...options, port: PORT + 2 }) },
];

interface Figures {
  version: string;
  backend?: string;
  /** Where photos were prepared: the photo worker, or the page and why. */
  photos?: string;
  rates: Record<string, number>;
  /** What Record and render mode made (or why they are not offered). */
  media: Record<string, string>;
}
const figures = new Map<EngineName, Figures>();

let preview: Running;
let proxy: Awaited<ReturnType<typeof startRecordingProxy>>;
/** Videos made here: the render scenario's clip and what each engine saved. */
let scratch: string;
/** Twelve frames (about half a second) of the kitchen: short, so a render takes seconds even on one thread. */
const CLIP = { frames: 12, width: 270, height: 480 };
let clip: typeof CLIP & { file: string };

beforeAll(async () => {
  preview = await startPreview(PORT, DIST);
  proxy = await startRecordingProxy(PORT + 1);
  scratch = await mkdtemp(path.join(tmpdir(), 'engines-video-'));
  clip = { ...CLIP, file: await makeClip(KITCHEN_WEBM, path.join(scratch, 'kitchen-clip.webm'), { frames: CLIP.frames, start: 8, width: CLIP.width }) };
});

afterAll(async () => {
  await preview?.close();
  await proxy?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
  const chromium = figures.get('chromium')?.rates ?? {};
  const lines = ['', 'Live inferences per second (MobileNet), and the ratio to Chromium on this machine:'];
  for (const [engine, f] of figures) {
    const rates = Object.entries(f.rates).map(([what, rate]) => {
      const ratio = chromium[what] ? ` = ${(rate / chromium[what]).toFixed(2)}× Chromium` : '';
      return `${what} ${rate.toFixed(1)}/s${engine === 'chromium' ? '' : ratio}`;
    });
    lines.push(`  ${engine.padEnd(8)} ${f.version}; backend ${f.backend ?? '?'}; photos prepared in: ${f.photos ?? '?'}`, `           ${rates.join('; ')}`);
    for (const [what, made] of Object.entries(f.media)) lines.push(`           ${what}: ${made}`);
  }
  console.log(lines.join('\n'));
});

for (const { engine, launch } of ENGINES) {
  describe(engine, () => {
    let driver: EngineDriver;
    let app: App;
    const rates: Record<string, number> = {};
    const media: Record<string, string> = {};

    beforeAll(async () => {
      proxy.requests.length = 0;
      driver = await launch({ proxy: proxy.url });
      app = new App(driver, preview.url);
      figures.set(engine, { version: driver.version, rates, media });
    });

    afterAll(async () => {
      await driver?.close();
    });

    test('the header and Settings tell the truth about the backend', async () => {
      figures.get(engine)!.backend = await backendIsToldTruthfully(app);
    });

    test('MobileNet: dog.jpg is a corgi with the heatmap on the dog; cat.jpg is a cat', async () => {
      figures.get(engine)!.photos = await photosAreClassified(app, MOBILENET);
    });

    test('ResNet-50 (switched to in the header): dog.jpg is a corgi with the heatmap on the dog; cat.jpg is a cat', async () => {
      await photosAreClassified(app, RESNET50, MOBILENET);
    });

    for (const [label, file] of [['kitchen.webm', KITCHEN_WEBM], ['kitchen.mp4', KITCHEN_MP4]] as const) {
      test(`${label} plays with the live overlay and keeps inferring`, async () => {
        rates[label] = await videoKeepsInferring(app, file);
      });
    }

    test('the fake webcam runs live', async () => {
      rates.webcam = await webcamKeepsInferring(app);
    });

    test('Record: two seconds of kitchen.webm with the overlay become a real video, or the button says why not', async () => {
      media.record = await recordsTheOverlay(app, KITCHEN_WEBM, scratch);
    });

    test('render mode: a 12-frame clip becomes a video of 12 frames, or the button says why not', async () => {
      media.render = await rendersAClip(app, clip, scratch);
    });

    test('nothing was requested from another origin', async () => {
      await nothingLeavesTheOrigin(app, proxy.requests);
    });
  });
}
