import { resolve } from 'node:path';

/** The Chromium that tests, bench and soak drive: the Debian package, unless CHROMIUM_PATH says otherwise. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The book's kitchen video as Chromium's fake camera (looped at 30 fps). */
export const FAKE_CAMERA = resolve(import.meta.dirname, '../../shared/media/kitchen-270x480-10fps.mjpeg');

/**
 * Chromium flags for tests, the benchmark and the soak: no network chatter (this sandbox has none),
 * software WebGL allowed, and a fake camera that needs no permission prompt.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--enable-unsafe-swiftshader',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  `--use-file-for-fake-video-capture=${FAKE_CAMERA}`,
];
