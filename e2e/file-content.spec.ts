/**
 * Files are recognised by their content, not their name, MIME type or the button they came through
 * (issue 14): a video chosen as a photo plays, a photo chosen as a video is classified, and a file
 * without a picture worth classifying (sound only, a 1×1 px video) is refused in words that say
 * why — while what the user already had (photos, a playing video) stays. Every file is made by
 * ffmpeg at test time and cached between runs (support/image-fixtures.ts).
 */
import type { AppPage } from './pages/app';
import type { PhotosPage } from './pages/photos';
import { expect, test } from './fixtures';
import { fileAs, heicBytes, kitchenH264Mp4, pixelWebm, tinyDogPng, toneMp3, toneMp4, toneWebm } from './support/image-fixtures';
import { CAT, CORGI_CLASSES, DOG, KITCHEN_WEBM, MOBILENET } from './support/media';

/** A photo still goes through, and is the only inference added since `inferencesBefore` (nothing else ran). */
async function onlyPhotoInferred(app: AppPage, photos: PhotosPage, inferencesBefore: number): Promise<void> {
  await photos.upload(await fileAs(CAT, 'cat-after.jpg', 'image/jpeg'));
  await expect(photos.result('cat-after.jpg')).toHaveAttribute('data-state', 'done');
  expect(await app.inferences(), 'inferences: the photo only').toBe(inferencesBefore + 1);
}

test.describe.configure({ timeout: 240_000 });

test.beforeEach(async ({ app }) => {
  await app.open(MOBILENET);
});

test.describe('files are recognised by their content', () => {
  test('an H.264 MP4 renamed clip.jpg, chosen with "Choose photos…", opens as a video and a notice says so', async ({ app, photos, live }) => {
    await photos.upload([await fileAs(DOG, 'dog.jpg', 'image/jpeg'), await fileAs(await kitchenH264Mp4(), 'clip.jpg', 'image/jpeg')]);
    await expect(app.notice('info', 'clip.jpg is a video (MP4), not a photo: opened as a video.')).toBeVisible();
    await expect(live.panel).toHaveAttribute('data-status', 'live');
    await expect(app.page.getByRole('heading', { name: 'clip.jpg', exact: true })).toBeVisible();
    await live.waitForFrames(1);
    // The photo beside it is classified; the video is not a photo card, and nothing mentions HEIC.
    expect(CORGI_CLASSES).toContain(await photos.classifiedTop1('dog.jpg'));
    await expect(photos.result('clip.jpg')).toHaveCount(0);
    await expect(app.page.getByText(/HEIC/)).toHaveCount(0);
  });

  test('a JPEG renamed photo.mp4, chosen with "Open video…", goes to the photos and is classified', async ({ app, photos, live }) => {
    await live.openVideo(await fileAs(DOG, 'photo.mp4', 'video/mp4'));
    await expect(app.notice('info', 'photo.mp4 is a photo (JPEG), not a video: added to the photos.')).toBeVisible();
    expect(CORGI_CLASSES).toContain(await photos.classifiedTop1('photo.mp4'));
    await expect(live.panel).toHaveCount(0);
  });

  test('an audio-only WebM opened as a video: the message says it has only sound, nothing is inferred', async ({ app, photos, live }) => {
    const before = await app.inferences();
    await live.openVideo(await fileAs(await toneWebm(), 'song.webm', 'video/webm'));
    await expect(live.error).toHaveText('song.webm has only sound (WebM audio), no picture: there is nothing to classify.');
    await expect(live.error).toHaveAttribute('role', 'alert');
    await expect(live.hud).toHaveAttribute('data-frames', '0');
    await onlyPhotoInferred(app, photos, before);
  });

  test('sound files dropped or opened while a video plays: the video keeps playing, the message says only sound', async ({ app, photos, live }) => {
    // A minute long: on a busy machine the two refusals below can take longer than a short clip plays.
    await live.openVideo(await fileAs(await kitchenH264Mp4(60), 'kitchen.mp4', 'video/mp4'));
    await expect(live.panel).toHaveAttribute('data-status', 'live');
    await live.waitForFrames(1);
    // An MP4 with sound only: its brand says "MP4"; the player finds no picture.
    await live.openVideo(await fileAs(await toneMp4(), 'voice.mp4', 'video/mp4'));
    await expect(app.notice('error', 'voice.mp4 has only sound (MP4 audio), no picture: there is nothing to classify. kitchen.mp4 keeps playing.')).toBeVisible();
    // An MP3 dropped on the page.
    await app.drop([await fileAs(await toneMp3(), 'tune.mp3', 'audio/mpeg')]);
    await expect(app.notice('error', 'tune.mp3 has only sound (MP3 audio), no picture: there is nothing to classify. kitchen.mp4 keeps playing.')).toBeVisible();
    await expect(live.panel).toHaveAttribute('data-status', 'live');
    await expect(app.page.getByRole('heading', { name: 'kitchen.mp4', exact: true })).toBeVisible();
    await expect(live.error).toHaveCount(0);
    await live.waitForFrames((await live.frames()) + 1);
    await expect(photos.results).toHaveCount(0);
  });

  test('a 1×1 px video: the message gives its size and the minimum, and the model never runs on it', async ({ app, photos, live }) => {
    const before = await app.inferences();
    await live.openVideo(await fileAs(await pixelWebm(), 'pixel.webm', 'video/webm'));
    await expect(live.error).toContainText('pixel.webm is 1×1 px: too small to classify. Videos need at least 32×32 px');
    await expect(live.hud).toHaveAttribute('data-frames', '0');
    expect(await app.inferences()).toBe(before);
    await onlyPhotoInferred(app, photos, before);
    await expect(live.hud).toHaveAttribute('data-frames', '0');
  });

  test('a 12×9 px image is still classified, with a note giving its size', async ({ photos }) => {
    await photos.upload(await fileAs(await tinyDogPng(), 'tiny.png', 'image/png'));
    await expect(photos.result('tiny.png')).toHaveAttribute('data-state', 'done');
    await expect(photos.predictions('tiny.png')).toHaveCount(5);
    await expect(photos.result('tiny.png').locator('.note')).toContainText(['Very small image (12×9): enlarged for the model, expect poor results']);
  });

  test('a HEIC-branded file and an MP4, both chosen as photos with .heic names: the right words for each', async ({ app, photos, live }) => {
    await photos.upload([
      { name: 'IMG_0001.heic', mimeType: 'image/heic', buffer: heicBytes() },
      await fileAs(await kitchenH264Mp4(), 'IMG_0002.heic', 'image/heic'),
    ]);
    const heic = photos.result('IMG_0001.heic');
    await expect(heic).toHaveAttribute('data-state', 'error');
    await expect(heic.locator('.error-text')).toHaveText(/^IMG_0001\.heic is HEIC\/HEIF, which this browser cannot decode\. Convert it to JPEG/);
    await expect(app.notice('info', 'IMG_0002.heic is a video (MP4), not a photo: opened as a video.')).toBeVisible();
    await expect(live.panel).toHaveAttribute('data-status', 'live');
    await live.waitForFrames(1);
    await expect(photos.result('IMG_0002.heic')).toHaveCount(0);
    await expect(app.page.getByText(/IMG_0002\.heic is HEIC/)).toHaveCount(0);
  });

  test('photos and two videos dropped together: the photos are classified, the first video opens, the message names the other', async ({ app, photos, live }) => {
    await app.drop([
      await fileAs(DOG, 'dog.jpg', 'image/jpeg'),
      await fileAs(await kitchenH264Mp4(), 'first.mp4', 'video/mp4'),
      await fileAs(KITCHEN_WEBM, 'second.webm', 'video/webm'),
      await fileAs(CAT, 'cat.jpg', 'image/jpeg'),
    ]);
    await expect(
      app.notice('info', 'first.mp4 is a video (MP4), not a photo: opened as a video. Not opened (one video plays at a time): second.webm.'),
    ).toBeVisible();
    await expect(app.page.getByRole('heading', { name: 'first.mp4', exact: true })).toBeVisible();
    await live.waitForFrames(1);
    expect(CORGI_CLASSES).toContain(await photos.classifiedTop1('dog.jpg'));
    await expect(photos.result('cat.jpg')).toHaveAttribute('data-state', 'done');
    await expect(photos.results).toHaveCount(2);
  });
});
