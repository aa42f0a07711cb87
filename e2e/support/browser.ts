/**
 * Chromium launched with other flags than the config's (camera permission denied, no camera, no
 * WebGL), with the same page objects and the same uncaught-error check as the `test` fixtures.
 */
import { chromium, type BrowserContextOptions, type TestInfo } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/chromium-args.mjs';
import { pagesOf, type Pages } from '../fixtures';
import { watchPageErrors } from './page-errors';

export interface LaunchFlags {
  /** `--use-fake-ui-for-media-stream`: accept the permission prompt automatically (default true). */
  autoAccept?: boolean;
  /** `--use-fake-device-for-media-stream` (+ the kitchen video as the fake camera) (default true). */
  fakeCamera?: boolean;
  /** Flags of the config's list to leave out. */
  without?: string[];
  /** Extra flags, e.g. `--deny-permission-prompts`. */
  extra?: string[];
}

function argsFor(flags: LaunchFlags): string[] {
  const { autoAccept = true, fakeCamera = true, without = [], extra = [] } = flags;
  const kept = CHROMIUM_ARGS.filter((arg) => {
    if (without.includes(arg)) return false;
    if (arg === '--use-fake-ui-for-media-stream') return autoAccept;
    if (arg === '--use-fake-device-for-media-stream' || arg.startsWith('--use-file-for-fake-video-capture')) return fakeCamera;
    return true;
  });
  return [...kept, ...extra];
}

/**
 * Runs `body` with the page objects of a fresh page in a Chromium launched with `flags`, on the
 * project's base URL and viewport; uncaught page errors fail the test. The browser is closed after.
 */
export async function withBrowser(
  testInfo: TestInfo,
  flags: LaunchFlags,
  body: (pages: Pages) => Promise<void>,
  contextOptions: BrowserContextOptions = {},
): Promise<void> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: argsFor(flags) });
  try {
    const { baseURL, viewport } = testInfo.project.use;
    const context = await browser.newContext({ baseURL, viewport, acceptDownloads: true, ...contextOptions });
    const page = await context.newPage();
    const errors = watchPageErrors(page);
    await body(pagesOf(page));
    errors.expectNone();
    await context.close();
  } finally {
    await browser.close();
  }
}
