/** Waiting on a state that settles (never on a fixed sleep alone). */
import type { Page } from '@playwright/test';

/**
 * Waits until `read()` returns the same value twice `quietMs` apart (e.g. a frame in flight has come
 * back and nothing more is inferred); fails after `timeout` if it keeps changing. Returns the value.
 */
export async function waitUntilStable<T>(page: Page, read: () => Promise<T>, quietMs = 1_500, timeout = 20_000): Promise<T> {
  const end = Date.now() + timeout;
  let previous = await read();
  for (;;) {
    await page.waitForTimeout(quietMs);
    const now = await read();
    if (JSON.stringify(now) === JSON.stringify(previous)) return now;
    if (Date.now() > end) throw new Error(`still changing after ${timeout} ms (last ${JSON.stringify(previous)} → ${JSON.stringify(now)})`);
    previous = now;
  }
}
