/** The heatmap viewer: the overlay on the selected photo, the CAM method, class search and the map/figure exports. */
import { expect, type Locator, type Page } from '@playwright/test';
import { download } from '../support/downloads';
import { attr, type PhotosPage } from './photos';

export interface OverlayInfo {
  classIndex: number;
  /** The class group the map explains ('' for one class). */
  group: string;
  method: string;
  peakX: number;
  peakY: number;
}

/** The raw map as exported by `export.map`. */
export interface MapExport {
  source: string;
  model: string;
  method: 'cam' | 'gradcam';
  classIndex: number;
  /** Set when the map explains a class group. */
  group?: { wnid: string; label: string; probability: number };
  label: string;
  width: number;
  height: number;
  crop: { x: number; y: number; width: number; height: number };
  photo: { width: number; height: number };
  groups?: { wnid: string; label: string; probability: number }[];
  values: number[][];
}

export class HeatmapsPage {
  readonly overlay: Locator;
  /** The viewer's heading: what the heatmap shows ("81% Cardigan"). */
  readonly title: Locator;
  readonly method: Locator;
  readonly classSearch: Locator;
  readonly classOptions: Locator;
  readonly exportPng: Locator;
  readonly exportZip: Locator;
  private readonly alerts: Locator;

  constructor(
    readonly page: Page,
    private readonly photos: PhotosPage,
  ) {
    this.overlay = page.getByTestId('overlay');
    this.title = page.locator('#viewer-title');
    this.method = page.getByTestId('heatmap.method');
    this.classSearch = page.getByTestId('class.search');
    this.classOptions = page.getByTestId('class.option');
    this.exportPng = page.getByTestId('export.png');
    this.exportZip = page.getByTestId('export.zip');
    this.alerts = page.getByRole('alert');
  }

  async readOverlay(): Promise<OverlayInfo> {
    await expect(this.overlay).toHaveAttribute('data-peak-x', /\d/);
    return this.overlay.evaluate((el) => {
      const d = (el as HTMLElement).dataset;
      return { classIndex: Number(d.classIndex), group: d.group ?? '', method: d.method ?? '', peakX: Number(d.peakX), peakY: Number(d.peakY) };
    });
  }

  /** Reads the overlay and checks that its peak lies in `box` (0–1 photo coordinates); returns what it read. */
  async expectPeakIn(box: { x0: number; x1: number; y0: number; y1: number }): Promise<OverlayInfo> {
    const overlay = await this.readOverlay();
    const where = `peak (${overlay.peakX.toFixed(3)}, ${overlay.peakY.toFixed(3)}) of ${overlay.group || `class ${overlay.classIndex}`}`;
    expect(overlay.peakX, where).toBeGreaterThanOrEqual(box.x0);
    expect(overlay.peakX, where).toBeLessThanOrEqual(box.x1);
    expect(overlay.peakY, where).toBeGreaterThanOrEqual(box.y0);
    expect(overlay.peakY, where).toBeLessThanOrEqual(box.y1);
    return overlay;
  }

  /** Clicks a prediction's button: selects its photo and shows that class's heatmap. */
  async explainPrediction(name: string, rank: number): Promise<number> {
    const item = this.photos.predictions(name).nth(rank);
    const classIndex = Number(await item.getAttribute('data-class-index'));
    await this.expectOverlayAfter(() => item.getByRole('button').click(), 'data-class-index', String(classIndex));
    return classIndex;
  }

  async setMethod(method: 'cam' | 'gradcam'): Promise<void> {
    await this.expectOverlayAfter(() => this.method.selectOption(method), 'data-method', method);
  }

  /**
   * Runs an action that should change the overlay, and waits for `name="value"` on it. If the app
   * reports an error instead (a new `role="alert"`), fails at once with the app's message.
   */
  async expectOverlayAfter(action: () => Promise<unknown>, name: string, value: string): Promise<void> {
    const alertsBefore = await this.alerts.count();
    await action();
    const wanted = this.page.locator(`[data-testid="overlay"][${name}="${attr(value)}"]`);
    await expect(wanted.or(this.alerts.nth(alertsBefore)).first()).toBeVisible();
    const newAlerts = (await this.alerts.allTextContents()).slice(alertsBefore).map((text) => text.replace(/×$/, ''));
    expect(newAlerts, `the app reported an error instead of showing ${name}=${value}`).toEqual([]);
    await expect(this.overlay).toHaveAttribute(name, value);
  }

  /** Downloads the selected photo's raw map (`export.map`). */
  async exportMap(): Promise<MapExport> {
    const file = await download(this.page, () => this.page.getByTestId('export.map').click());
    return JSON.parse(file.bytes.toString('utf8')) as MapExport;
  }
}
