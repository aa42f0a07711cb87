/** The selected photo's deeper explanations: "why A and not B" (contrast.*) and the faithfulness check (faithfulness*). */
import { expect, type Locator, type Page } from '@playwright/test';
import { parseCsv } from '../../src/test-support/csv';
import { download, type DownloadedFile } from '../support/downloads';

export interface ContrastInfo {
  a: number;
  b: number;
  method: string;
  peakA: { x: number; y: number };
  peakB: { x: number; y: number };
}

/** Areas under the curves as the panel exposes them (the method shown, then each order's). */
export interface FaithfulnessAucs {
  classIndex: number;
  method: string;
  steps: number;
  deletion: number;
  insertion: number;
  randomDeletion: number;
  byOrder: Record<'cam' | 'gradcam' | 'random', { deletion: number; insertion: number }>;
}

export class ExplanationsPage {
  readonly contrastA: Locator;
  readonly contrastB: Locator;
  readonly contrastOverlay: Locator;
  readonly swap: Locator;
  readonly exportContrast: Locator;
  readonly faithfulness: Locator;
  readonly runCheck: Locator;
  readonly cancelCheck: Locator;
  readonly progress: Locator;
  readonly exportCsv: Locator;
  readonly exportChart: Locator;

  constructor(readonly page: Page) {
    this.contrastA = page.getByTestId('contrast.a');
    this.contrastB = page.getByTestId('contrast.b');
    this.contrastOverlay = page.getByTestId('contrast.overlay');
    this.swap = page.getByTestId('contrast.swap');
    this.exportContrast = page.getByTestId('contrast.export');
    this.faithfulness = page.getByTestId('faithfulness');
    this.runCheck = page.getByTestId('faithfulness.run');
    this.cancelCheck = page.getByTestId('faithfulness.cancel');
    this.progress = page.getByTestId('faithfulness.progress');
    this.exportCsv = page.getByTestId('faithfulness.csv');
    this.exportChart = page.getByTestId('faithfulness.png');
  }

  /** Waits until the contrast map of the classes chosen is drawn (or fails with the panel's message) and reads it. */
  async readContrast(): Promise<ContrastInfo> {
    const a = await this.contrastA.inputValue();
    const b = await this.contrastB.inputValue();
    const settled = this.page.locator(`[data-testid="contrast.overlay"][data-a="${a}"][data-b="${b}"]:is([data-state="done"], [data-state="error"])`);
    await expect(settled).toHaveCount(1);
    if ((await settled.getAttribute('data-state')) === 'error') throw new Error(`The contrast failed: ${await this.page.locator('.contrast .error-text').textContent()}`);
    return this.contrastOverlay.evaluate((el) => {
      const d = (el as HTMLElement).dataset;
      return {
        a: Number(d.a),
        b: Number(d.b),
        method: d.method ?? '',
        peakA: { x: Number(d.peakAX), y: Number(d.peakAY) },
        peakB: { x: Number(d.peakBX), y: Number(d.peakBY) },
      };
    });
  }

  /** Chooses A and B (class indexes) and returns their contrast. */
  async compare(a: number, b: number): Promise<ContrastInfo> {
    await this.contrastA.selectOption(String(a));
    await this.contrastB.selectOption(String(b));
    return this.readContrast();
  }

  async swapClasses(): Promise<ContrastInfo> {
    await this.swap.click();
    return this.readContrast();
  }

  /**
   * Records every state and progress value the check shows from now on (a MutationObserver in the page),
   * so a test can tell it really ran in steps however fast or slow the machine is. Read with `checkLog`.
   */
  async watchCheck(): Promise<void> {
    await this.page.evaluate(() => {
      const log: { state: string; done: number; total: number }[] = [];
      (window as unknown as { faithfulnessLog: typeof log }).faithfulnessLog = log;
      const record = () => {
        const panel = document.querySelector<HTMLElement>('[data-testid="faithfulness"]');
        const bar = document.querySelector<HTMLProgressElement>('[data-testid="faithfulness.progress"]');
        const entry = { state: panel?.dataset.state ?? 'none', done: bar?.value ?? -1, total: bar?.max ?? -1 };
        const last = log[log.length - 1];
        if (!last || last.state !== entry.state || last.done !== entry.done) log.push(entry);
      };
      new MutationObserver(record).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state', 'value'] });
      record();
    });
  }

  async checkLog(): Promise<{ state: string; done: number; total: number }[]> {
    return this.page.evaluate(() => (window as unknown as { faithfulnessLog: { state: string; done: number; total: number }[] }).faithfulnessLog);
  }

  /** Starts the check and waits until it reports it is running. */
  async startCheck(): Promise<void> {
    await this.runCheck.click();
    await expect(this.faithfulness).toHaveAttribute('data-state', /^(running|done|error)$/);
  }

  /** Waits for the check to end; fails with the app's message if it ended in an error. */
  async waitCheckDone(timeout = 600_000): Promise<FaithfulnessAucs> {
    await expect(this.faithfulness).toHaveAttribute('data-state', /^(done|error|cancelled)$/, { timeout });
    const state = await this.faithfulness.getAttribute('data-state');
    if (state !== 'done') throw new Error(`The faithfulness check ended ${state}: ${await this.faithfulness.textContent()}`);
    return this.faithfulness.evaluate((el) => {
      const d = (el as HTMLElement).dataset;
      const n = (v: string | undefined) => Number(v);
      const order = (o: string) => ({ deletion: n(d[`${o}DeletionAuc`]), insertion: n(d[`${o}InsertionAuc`]) });
      return {
        classIndex: n(d.classIndex),
        method: d.method ?? '',
        steps: n(d.steps),
        deletion: n(d.deletionAuc),
        insertion: n(d.insertionAuc),
        randomDeletion: n(d.randomDeletionAuc),
        byOrder: { cam: order('cam'), gradcam: order('gradcam'), random: order('random') },
      };
    });
  }

  /** The curves CSV: its name and rows (header first). */
  async downloadCurvesCsv(): Promise<{ name: string; rows: string[][] }> {
    const file = await download(this.page, () => this.exportCsv.click());
    return { name: file.name, rows: parseCsv(file.bytes.toString('utf8')) };
  }

  async downloadChartPng(): Promise<DownloadedFile> {
    return download(this.page, () => this.exportChart.click());
  }

  async downloadContrastPng(): Promise<DownloadedFile> {
    return download(this.page, () => this.exportContrast.click());
  }
}
