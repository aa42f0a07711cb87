/** Files the app makes the browser download. */
import type { Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';

export interface DownloadedFile {
  /** The name the app suggested. */
  name: string;
  /** Where Playwright keeps it (until the browser context closes), e.g. for ffprobe. */
  path: string;
  bytes: Buffer;
}

/** Runs `action`, waits for the download it starts and reads the file; fails if the download failed. */
export async function download(page: Page, action: () => Promise<unknown>, timeout = 60_000): Promise<DownloadedFile> {
  const [started] = await Promise.all([page.waitForEvent('download', { timeout }), action()]);
  const failure = await started.failure();
  if (failure) throw new Error(`Download ${started.suggestedFilename()} failed: ${failure}`);
  const path = await started.path();
  return { name: started.suggestedFilename(), path, bytes: await readFile(path) };
}

/** A downloaded file parsed as JSON. */
export async function downloadJson<T>(page: Page, action: () => Promise<unknown>, timeout?: number): Promise<{ name: string; data: T }> {
  const file = await download(page, action, timeout);
  return { name: file.name, data: JSON.parse(file.bytes.toString('utf8')) as T };
}
