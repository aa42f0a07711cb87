/**
 * Live video when things go wrong: camera permission denied, no camera at all, the camera going away
 * mid-stream, a video file the browser cannot decode. Each ends in `live.error` (role=alert) with a
 * reason and a message that tells the user what to do, and the rest of the app keeps working.
 */
import type { TestInfo } from '@playwright/test';
import { expect, test, type Pages } from './fixtures';
import type { PhotosPage } from './pages/photos';
import { withBrowser, type LaunchFlags } from './support/browser';
import { CORGI_CLASSES, DOG, MOBILENET } from './support/media';
import { waitUntilStable } from './support/wait';

/** The app with MobileNet loaded, in a Chromium launched with other camera flags than the config's. */
function withCameraFlags(testInfo: TestInfo, flags: LaunchFlags, body: (pages: Pages) => Promise<void>): Promise<void> {
  return withBrowser(testInfo, flags, async (pages) => {
    await pages.app.open(MOBILENET);
    await body(pages);
  });
}

/** A photo still goes through: the app outside the live panel is unaffected. */
async function photoStillWorks(photos: PhotosPage): Promise<void> {
  await photos.upload(DOG);
  await photos.waitDone(1, MOBILENET);
  expect(CORGI_CLASSES).toContain(await photos.top1('dog.jpg'));
}

test.describe('webcam failures', () => {
  test('permission denied: a "denied" alert says how to allow the camera; photos still work', async ({}, testInfo) => {
    // A camera exists, but the permission prompt is not auto-accepted and prompts are denied.
    await withCameraFlags(testInfo, { autoAccept: false, extra: ['--deny-permission-prompts'] }, async ({ app, photos, live }) => {
      await live.webcamButton.click();
      await expect(live.panel).toHaveAttribute('data-status', 'denied');
      await expect(live.error).toHaveAttribute('data-reason', 'denied');
      await expect(live.error).toHaveAttribute('role', 'alert');
      await expect(live.error).toContainText(/permission was denied/i);
      await expect(live.error).toContainText(/allow camera access/i);
      await expect(live.error).toContainText(/Start webcam/);
      // Not stuck: the button offers to start again, no inference ran.
      await expect(live.webcamButton).toHaveText(/Start webcam/);
      await expect(live.webcamButton).toHaveAttribute('aria-pressed', 'false');
      await expect(live.hud).toHaveAttribute('data-frames', '0');
      expect(await app.inferences()).toBe(0);
      await photoStillWorks(photos);
      // The alert stays until the user does something about it.
      await expect(live.error).toHaveAttribute('data-reason', 'denied');
    });
  });

  test('no camera: a "no-camera" alert says to connect one or open a video file', async ({}, testInfo) => {
    await withCameraFlags(testInfo, { fakeCamera: false }, async ({ app, photos, live }) => {
      await live.webcamButton.click();
      await expect(live.panel).toHaveAttribute('data-status', 'no-camera');
      await expect(live.error).toHaveAttribute('data-reason', 'no-camera');
      await expect(live.error).toHaveAttribute('role', 'alert');
      await expect(live.error).toContainText(/No camera was found/);
      await expect(live.error).toContainText(/Connect a camera/);
      await expect(live.error).toContainText(/video file/);
      await expect(app.page.getByTestId('source.camera')).toHaveCount(0);
      await expect(live.webcamButton).toHaveText(/Start webcam/);
      await photoStillWorks(photos);
    });
  });

  test('the camera ending mid-stream: a "disconnected" alert, and inference stops', async ({ app, live }) => {
    await app.open(MOBILENET);
    await live.startWebcam();
    await live.waitForFrames(3);
    // A camera unplugged: the browser ends the track (track.stop() would not fire `ended`, so fire it).
    await live.video.evaluate((el) => {
      const stream = (el as HTMLVideoElement).srcObject as MediaStream;
      stream.getVideoTracks()[0].dispatchEvent(new Event('ended'));
    });
    await expect(live.panel).toHaveAttribute('data-status', 'disconnected');
    await expect(live.error).toHaveAttribute('data-reason', 'disconnected');
    await expect(live.error).toHaveAttribute('role', 'alert');
    await expect(live.error).toContainText(/camera was disconnected/i);
    await expect(live.error).toContainText(/Reconnect it/);
    // A frame in flight may still land; after that, nothing more is inferred.
    const [frames, inferences] = await waitUntilStable(app.page, async () => [await live.frames(), await app.inferences()]);
    await app.page.waitForTimeout(3_000);
    expect(await live.frames()).toBe(frames);
    expect(await app.inferences()).toBe(inferences);
    // The way out the message offers works.
    await expect(live.webcamButton).toHaveText(/Start webcam/);
    await live.webcamButton.click();
    await expect(live.panel).toHaveAttribute('data-status', 'live');
    await expect(live.error).toHaveCount(0);
    await live.waitForFrames(2);
  });
});

test.describe('undecodable video files', () => {
  for (const { what, name, buffer } of [
    { what: 'a text file named .webm', name: 'broken.webm', buffer: Buffer.from('This is not a video, just some text pretending to be one.\n'.repeat(40)) },
    {
      what: 'random bytes',
      name: 'noise.webm',
      // Deterministic "random" bytes (a linear congruential generator), 64 KiB.
      buffer: Buffer.from(Array.from({ length: 65_536 }, (_, i) => ((i * 1_103_515_245 + 12_345) >>> 16) & 0xff)),
    },
  ]) {
    test(`${what}: status "error" with a clear message; the app still works`, async ({ app, photos, live }) => {
      await app.open(MOBILENET);
      await live.openVideo({ name, mimeType: 'video/webm', buffer });
      await expect(live.panel).toHaveAttribute('data-status', 'error');
      await expect(live.error).toHaveAttribute('data-reason', 'error');
      await expect(live.error).toHaveAttribute('role', 'alert');
      await expect(live.error).toContainText(name);
      await expect(live.error).toContainText(/could not be played/);
      await expect(live.error).toContainText(/damaged|codec/);
      await expect(live.hud).toHaveAttribute('data-frames', '0');
      // Nothing to snapshot, record or render.
      await expect(live.snapshot).toBeDisabled();
      await expect(live.record).toBeDisabled();
      await expect(live.renderStart).toBeDisabled();
      await live.close.click();
      await expect(live.panel).toHaveCount(0);
      await photoStillWorks(photos);
    });
  }

  test('a broken file opened after a webcam session shows none of the webcam\'s results', async ({ app, live }) => {
    await app.open(MOBILENET);
    await live.startWebcam();
    await live.waitForFrames(3);
    await expect(live.overlay).toHaveAttribute('data-class-index', /\d+/);
    await live.openVideo({ name: 'broken.webm', mimeType: 'video/webm', buffer: Buffer.from('not a video\n'.repeat(100)) });
    await expect(live.panel).toHaveAttribute('data-status', 'error');
    await expect(live.error).toContainText('broken.webm');
    // Nothing was inferred from broken.webm: no frames, no predictions, no heatmap.
    await expect(live.hud).toHaveAttribute('data-frames', '0', { timeout: 5_000 });
    await expect(live.visiblePredictions).toHaveCount(0, { timeout: 5_000 });
    await expect(live.overlay).not.toHaveAttribute('data-class-index', /.*/, { timeout: 5_000 });
  });
});
