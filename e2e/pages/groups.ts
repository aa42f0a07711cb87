/** The class groups (WordNet) of the selected photo: the list, a group's heatmap, search and filter by group. */
import { expect, type Locator, type Page } from '@playwright/test';
import { downloadJson } from '../support/downloads';
import type { HeatmapsPage } from './heatmaps';
import { attr } from './photos';

export interface Group {
  wnid: string;
  label: string;
  prob: number;
}

/** One photo's entry in `results.export.json`, with its groups. */
export interface ExportedPhoto {
  source: string;
  predictions: { classIndex: number; wnid: string; probability: number }[];
  groups?: { wnid: string; label: string; probability: number }[];
}

export class GroupsPage {
  readonly items: Locator;
  readonly options: Locator;
  readonly filter: Locator;
  readonly results: Locator;

  constructor(
    readonly page: Page,
    private readonly heatmaps: HeatmapsPage,
  ) {
    this.items = page.getByTestId('group');
    this.options = page.getByTestId('group.option');
    this.filter = page.getByTestId('results.filter');
    this.results = page.getByTestId('results');
  }

  item(wnid: string): Locator {
    return this.page.locator(`[data-testid="group"][data-wnid="${attr(wnid)}"]`);
  }

  /** The selected photo's groups, as shown (waits for at least one). */
  async read(): Promise<Group[]> {
    await expect(this.items.first()).toBeVisible();
    return this.items.evaluateAll((items) =>
      items.map((item) => {
        const d = (item as HTMLElement).dataset;
        return { wnid: d.wnid ?? '', label: d.label ?? '', prob: Number(d.prob) };
      }),
    );
  }

  /** Presses a shown group and waits until the overlay shows its heatmap. */
  async explain(wnid: string): Promise<void> {
    const button = this.item(wnid).getByRole('button');
    await this.heatmaps.expectOverlayAfter(() => button.click(), 'data-group', wnid);
    await expect(button).toHaveAttribute('aria-pressed', 'true');
  }

  /** Types in the class search and picks the group offered with `wnid` (a click, or Enter when it is offered first); waits for its heatmap. */
  async explainBySearch(query: string, wnid: string, how: 'click' | 'enter' = 'click'): Promise<void> {
    await this.heatmaps.classSearch.fill(query);
    const option = this.page.locator(`[data-testid="group.option"][data-wnid="${attr(wnid)}"]`);
    if (how === 'enter') await expect(this.page.locator('[data-testid="class.option"], [data-testid="group.option"]').first()).toHaveAttribute('data-wnid', wnid);
    await this.heatmaps.expectOverlayAfter(() => (how === 'enter' ? this.heatmaps.classSearch.press('Enter') : option.click()), 'data-group', wnid);
  }

  /** Filters the gallery and returns the names of the photos left (waits for the count to settle at `expected`). */
  async filterGallery(query: string, expected: number): Promise<string[]> {
    await this.filter.fill(query);
    await expect(this.results).toHaveAttribute('data-shown', String(expected));
    return this.page.getByTestId('result').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-source-name') ?? ''));
  }

  /** Every classified photo from `results.export.json`. */
  async exportAll(): Promise<ExportedPhoto[]> {
    return (await downloadJson<ExportedPhoto[]>(this.page, () => this.page.getByTestId('results.export.json').click())).data;
  }
}
