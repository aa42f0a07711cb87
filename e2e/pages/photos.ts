/** The photo gallery: files in through the picker, one result card per photo with its top-5. */
import { expect, type Locator, type Page } from '@playwright/test';
import { downloadJson } from '../support/downloads';
import type { FilePayload } from '../support/image-fixtures';
import type { ModelId } from '../support/media';

export interface Prediction {
  classIndex: number;
  wnid: string;
  label: string;
  prob: number;
  belowThreshold: boolean;
}

/** A value for a CSS attribute selector in double quotes. */
export function attr(value: string): string {
  return value.replace(/["\\]/g, '\\$&');
}

export class PhotosPage {
  readonly fileInput: Locator;
  readonly results: Locator;

  constructor(readonly page: Page) {
    this.fileInput = page.getByTestId('source.file');
    this.results = page.getByTestId('result');
  }

  /** Picks files (paths, or bytes made by the test) through "Choose photos…". */
  async upload(files: string | string[] | FilePayload | FilePayload[]): Promise<void> {
    await this.fileInput.setInputFiles(files);
  }

  result(name: string): Locator {
    return this.page.locator(`[data-testid="result"][data-source-name="${attr(name)}"]`);
  }

  /** The thumbnail of `name` once loaded: its URL and natural width (0: it could not be drawn). */
  async thumbnail(name: string): Promise<{ src: string; width: number }> {
    const img = this.result(name).locator('img');
    await expect.poll(() => img.evaluate((i: HTMLImageElement) => i.complete), { timeout: 30_000 }).toBe(true);
    return img.evaluate((i: HTMLImageElement) => ({ src: i.src, width: i.naturalWidth }));
  }

  /** Removes the photo `name` with its × button. */
  async remove(name: string): Promise<void> {
    await this.result(name).getByRole('button', { name: `Remove ${name}` }).click();
    await expect(this.result(name)).toHaveCount(0);
  }

  predictions(name: string): Locator {
    return this.result(name).getByTestId('prediction');
  }

  /** The notes shown on a result card (e.g. "Very small image …"). */
  async notes(name: string): Promise<string[]> {
    return this.result(name).locator('.note').allTextContents();
  }

  /** Waits until `n` results exist and all are classified (by `model` when given). */
  async waitDone(n: number, model?: ModelId | string): Promise<void> {
    await expect(this.results).toHaveCount(n);
    const done = this.page.locator(`[data-testid="result"][data-state="done"]${model ? `[data-model="${model}"]` : ''}`);
    await expect(done).toHaveCount(n);
  }

  /** The top-5 of one photo, in rank order, read from the data attributes. */
  async readPredictions(name: string): Promise<Prediction[]> {
    return this.predictions(name).evaluateAll((items) =>
      items.map((item) => {
        const li = item as HTMLElement;
        return {
          classIndex: Number(li.dataset.classIndex),
          wnid: li.dataset.wnid ?? '',
          label: li.dataset.label ?? '',
          prob: Number(li.dataset.prob),
          belowThreshold: li.classList.contains('below-threshold'),
        };
      }),
    );
  }

  /** The top-1 class index of one photo. */
  async top1(name: string): Promise<number> {
    return (await this.readPredictions(name))[0].classIndex;
  }

  /** Waits until one photo is classified, then its top-1 class index. */
  async classifiedTop1(name: string): Promise<number> {
    await expect(this.result(name)).toHaveAttribute('data-state', 'done');
    return this.top1(name);
  }

  /** Scrolls the (virtualised) results list to its start or end, so the rows there are drawn. */
  async scrollResults(to: 'start' | 'end'): Promise<void> {
    await this.page.getByTestId('results.scroll').evaluate((list, end) => (list.scrollTop = end ? list.scrollHeight : 0), to === 'end');
  }

  /** A sample photo's button on the empty viewer (one tap classifies it). */
  sample(name: 'dog' | 'cat'): Locator {
    return this.page.getByTestId(`source.sample.${name}`);
  }

  /**
   * Every classified photo at once, from the JSON export (the gallery draws only the rows on screen):
   * name, the model's display name and the ranked class indices.
   */
  async readAllResults(): Promise<{ name: string; model: string; classes: number[] }[]> {
    const { data } = await downloadJson<{ source: string; model: string; predictions: { classIndex: number }[] }[]>(this.page, () =>
      this.page.getByTestId('results.export.json').click(),
    );
    return data.map((entry) => ({ name: entry.source, model: entry.model, classes: entry.predictions.map((p) => p.classIndex) }));
  }

  /** Selects a photo (shows it in the viewer) through its thumbnail button. */
  async select(name: string): Promise<void> {
    const thumb = this.result(name).getByRole('button', { name: `Show ${name}` });
    await thumb.click();
    await expect(thumb).toHaveAttribute('aria-pressed', 'true');
  }
}
