/** An uncaught exception in the page is a bug whatever the test checks. */
import { expect, type Page } from '@playwright/test';

/** Starts collecting the page's uncaught errors; `expectNone()` stops and fails if there were any. */
export function watchPageErrors(page: Page): { expectNone(): void } {
  const errors: string[] = [];
  const onError = (error: Error) => errors.push(error.message);
  page.on('pageerror', onError);
  return {
    expectNone() {
      page.off('pageerror', onError);
      expect(errors, 'uncaught errors in the page').toEqual([]);
    },
  };
}
