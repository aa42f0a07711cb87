/**
 * A deployment where one model could not be provisioned: `npm run models` (the real script) writes the models
 * of a copy of the production build, with MobileNet's source unreachable. The command still succeeds, the app
 * still serves, shows MobileNet as unavailable with the reason, and classifies with ResNet-50.
 * The copy is served on E2E_PORT + 1 (support/site-copy.ts): the `site` fixture below, and `baseURL` pointing at it,
 * so the page objects open that site.
 */
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test as base } from './fixtures';
import { CORGI_CLASSES, DOG, MOBILENET, RESNET50 } from './support/media';
import { ROOT, SITE_COPY_URL, withSiteCopy } from './support/site-copy';

/** A loopback URL nobody listens on: the "public location" of MobileNet, unreachable. */
async function deadUrl(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
  const { port } = probe.address() as { port: number };
  await new Promise((done) => probe.close(done));
  return `http://127.0.0.1:${port}/mobilenet_v1_0.75_224/`;
}

/** The copy of the build, provisioned without MobileNet and served on SITE_COPY_URL; what the provisioning command printed. */
const test = base.extend<object, { site: { provisionOutput: string } }>({
  site: [
    async ({}, use) => {
      await withSiteCopy(
        { withModels: false },
        async (site) => {
          const env = { ...process.env, MOBILENET_SOURCE: await deadUrl() };
          const { stdout } = await promisify(execFile)('node', ['scripts/provision-models.mjs', '--out', path.join(site, 'models')], { cwd: ROOT, env });
          return { provisionOutput: stdout };
        },
        use,
      );
    },
    { scope: 'worker', timeout: 300_000 },
  ],
});

test.use({ baseURL: SITE_COPY_URL });

test('with MobileNet missing, provisioning succeeds, the app starts on ResNet-50 by itself and marks MobileNet unavailable', async ({ site, app, photos }) => {
  // ResNet-50 (100 MB) loads and warms up in the test: minutes on a busy machine.
  test.setTimeout(400_000);
  // The command succeeded (execFile rejects otherwise) and said clearly what is missing and how to provide it.
  expect(site.provisionOutput).toMatch(/mobilenet_v1_0\.75 \(MobileNet v1 0\.75, 10\.5 MB\) is NOT available: cannot reach http:\/\/127\.0\.0\.1:\d+\//);
  expect(site.provisionOutput).toContain('set MOBILENET_SOURCE to a folder or URL');
  expect(site.provisionOutput).toContain('available: resnet50, darknet_tiny');

  await app.goto();
  const mobilenet = app.modelSelect.locator(`option[value="${MOBILENET}"]`);
  await expect(mobilenet).toHaveJSProperty('disabled', true);
  await expect(mobilenet).toHaveText(/MobileNet v1 0\.75 \(unavailable\)/);
  await expect(mobilenet).toHaveAttribute('title', /^MobileNet v1 0\.75 is not installed: cannot reach http:\/\/127\.0\.0\.1:\d+\//);
  await expect(app.modelSelect.locator(`option[value="${RESNET50}"]`)).toHaveJSProperty('disabled', false);

  // MobileNet is the default model: the app starts with the one that is there instead, and says nothing failed.
  await expect(app.status).toHaveAttribute('data-model', RESNET50);
  await expect(app.modelSelect).toHaveValue(RESNET50);
  await app.waitReady(RESNET50);

  await photos.upload(DOG);
  await photos.waitDone(1, RESNET50);
  const classes = (await photos.readPredictions('dog.jpg')).map((prediction) => prediction.classIndex);
  expect(classes.length).toBeGreaterThanOrEqual(5);
  expect(classes.slice(0, 5).some((index) => CORGI_CLASSES.includes(index))).toBe(true);
});
