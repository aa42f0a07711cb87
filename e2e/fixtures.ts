/**
 * The specs' `test`: one page object per area of the app, built once per test from the test's page,
 * and a check that no uncaught error happened in the page. Tests drive the app only through its
 * test-id contract (data-testid + data-* attributes) and accessible roles, never through its internals.
 */
import { test as base, expect, type Page } from '@playwright/test';
import { AppPage } from './pages/app';
import { ExplanationsPage } from './pages/explanations';
import { GroupsPage } from './pages/groups';
import { HeatmapsPage } from './pages/heatmaps';
import { LivePage } from './pages/live';
import { ModelImportPage } from './pages/model-import';
import { PhotosPage } from './pages/photos';
import { watchPageErrors } from './support/page-errors';

export interface Pages {
  page: Page;
  app: AppPage;
  photos: PhotosPage;
  heatmaps: HeatmapsPage;
  live: LivePage;
  explanations: ExplanationsPage;
  modelImport: ModelImportPage;
  groups: GroupsPage;
}

/** The page objects of one page (the fixtures below, and pages of other browsers: support/browser.ts). */
export function pagesOf(page: Page): Pages {
  const photos = new PhotosPage(page);
  const heatmaps = new HeatmapsPage(page, photos);
  return {
    page,
    app: new AppPage(page),
    photos,
    heatmaps,
    live: new LivePage(page),
    explanations: new ExplanationsPage(page),
    modelImport: new ModelImportPage(page),
    groups: new GroupsPage(page, heatmaps),
  };
}

export const test = base.extend<Omit<Pages, 'page'> & { pages: Pages; appPage: Page }>({
  /** The page the app runs in (the test's own; a spec may share one page between tests instead). */
  appPage: async ({ page }, use) => use(page),
  pages: async ({ appPage }, use) => {
    const errors = watchPageErrors(appPage);
    await use(pagesOf(appPage));
    errors.expectNone();
  },
  app: async ({ pages }, use) => use(pages.app),
  photos: async ({ pages }, use) => use(pages.photos),
  heatmaps: async ({ pages }, use) => use(pages.heatmaps),
  live: async ({ pages }, use) => use(pages.live),
  explanations: async ({ pages }, use) => use(pages.explanations),
  modelImport: async ({ pages }, use) => use(pages.modelImport),
  groups: async ({ pages }, use) => use(pages.groups),
});

export { expect };
