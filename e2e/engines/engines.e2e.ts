/**
 * The same scenarios in Chromium, Firefox (WebDriver BiDi) and WebKitGTK (WebDriver classic), one engine
 * after the other on the production build. The live rates are printed at the end as a ratio to
 * Chromium's on this machine (measured here, in the same run, with the same scenario).
 */
import { afterAll, beforeAll, describe, test } from 'vitest';
import type { EngineDriver, EngineName, LaunchOptions } from './driver';
import { launchChromium, launchFirefox } from './puppeteer-driver';
import {
  App,
  backendIsToldTruthfully,
  KITCHEN_MP4,
  KITCHEN_WEBM,
  nothingLeavesTheOrigin,
  photosAreClassified,
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
  rates: Record<string, number>;
}
const figures = new Map<EngineName, Figures>();

let preview: Running;
let proxy: Awaited<ReturnType<typeof startRecordingProxy>>;

beforeAll(async () => {
  preview = await startPreview(PORT, DIST);
  proxy = await startRecordingProxy(PORT + 1);
});

afterAll(async () => {
  await preview?.close();
  await proxy?.close();
  const chromium = figures.get('chromium')?.rates ?? {};
  const lines = ['', 'Live inferences per second (MobileNet), and the ratio to Chromium on this machine:'];
  for (const [engine, f] of figures) {
    const rates = Object.entries(f.rates).map(([what, rate]) => {
      const ratio = chromium[what] ? ` = ${(rate / chromium[what]).toFixed(2)}× Chromium` : '';
      return `${what} ${rate.toFixed(1)}/s${engine === 'chromium' ? '' : ratio}`;
    });
    lines.push(`  ${engine.padEnd(8)} ${f.version}; backend ${f.backend ?? '?'}`, `           ${rates.join('; ')}`);
  }
  console.log(lines.join('\n'));
});

for (const { engine, launch } of ENGINES) {
  describe(engine, () => {
    let driver: EngineDriver;
    let app: App;
    const rates: Record<string, number> = {};

    beforeAll(async () => {
      proxy.requests.length = 0;
      driver = await launch({ proxy: proxy.url });
      app = new App(driver, preview.url);
      figures.set(engine, { version: driver.version, rates });
    });

    afterAll(async () => {
      await driver?.close();
    });

    test('the header and Settings tell the truth about the backend', async () => {
      figures.get(engine)!.backend = await backendIsToldTruthfully(app);
    });

    test('MobileNet: dog.jpg is a corgi with the heatmap on the dog; cat.jpg is a cat', async () => {
      await photosAreClassified(app, 'mobilenet_v1_0.75');
    });

    test('ResNet-50 (switched to in the header): dog.jpg is a corgi with the heatmap on the dog; cat.jpg is a cat', async () => {
      await photosAreClassified(app, 'resnet50', 'mobilenet_v1_0.75');
    });

    for (const [label, file] of [['kitchen.webm', KITCHEN_WEBM], ['kitchen.mp4', KITCHEN_MP4]] as const) {
      test(`${label} plays with the live overlay and keeps inferring`, async () => {
        rates[label] = await videoKeepsInferring(app, file);
      });
    }

    test('the fake webcam runs live', async () => {
      rates.webcam = await webcamKeepsInferring(app);
    });

    test('nothing was requested from another origin', async () => {
      await nothingLeavesTheOrigin(app, proxy.requests);
    });
  });
}
