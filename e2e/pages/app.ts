/** The app shell seen from the outside: model and backend status, settings, alerts, and files dropped or pasted on the page. */
import { expect, type Locator, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Backend, ModelId } from '../support/media';

const MIME_TYPES: Record<string, string> = { '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.webm': 'video/webm', '.mp4': 'video/mp4' };

export class AppPage {
  readonly status: Locator;
  readonly backend: Locator;
  readonly backendReason: Locator;
  readonly modelSelect: Locator;
  readonly modelError: Locator;
  readonly threshold: Locator;
  readonly alerts: Locator;

  constructor(readonly page: Page) {
    this.status = page.getByTestId('model.status');
    this.backend = page.getByTestId('backend');
    this.backendReason = page.getByTestId('backend.reason');
    this.modelSelect = page.getByTestId('model.select');
    this.modelError = page.getByTestId('model.error');
    this.threshold = page.getByTestId('settings.threshold');
    this.alerts = page.getByRole('alert');
  }

  /** Opens the app with URL parameters (`backend`, `model`; `automation` turns on the fault-injection hook). */
  async goto(params: { backend?: Backend; model?: ModelId; automation?: boolean } = {}): Promise<void> {
    const query = new URLSearchParams();
    if (params.backend) query.set('backend', params.backend);
    if (params.automation) query.set('automation', '');
    if (params.model) query.set('model', params.model);
    const text = query.toString().replace(/=(&|$)/g, '$1');
    await this.page.goto(text ? `./?${text}` : './');
  }

  /** Opens the app with `model` and waits until it is loaded. */
  async open(model: ModelId, params: { backend?: Backend; automation?: boolean } = {}): Promise<void> {
    await this.goto({ ...params, model });
    await this.waitReady(model);
  }

  /**
   * Waits until the model (optionally a given one) is loaded and ready. Loading ResNet-50 (100 MB of
   * weights, then a warm-up pass) can take minutes on a busy machine: the wait is the test's to bound.
   */
  async waitReady(model?: ModelId): Promise<void> {
    if (model) await expect(this.status).toHaveAttribute('data-model', model);
    await expect(this.status).toHaveAttribute('data-state', /^(ready|error)$/, { timeout: 300_000 });
    if ((await this.status.getAttribute('data-state')) === 'error') {
      throw new Error(`The model failed to load: ${await this.status.getAttribute('title')}`);
    }
  }

  /** Switches the model (every photo is classified again). */
  async selectModel(model: ModelId): Promise<void> {
    await this.modelSelect.selectOption(model);
    await this.waitReady(model);
  }

  /** Forward passes the worker has run so far. */
  async inferences(): Promise<number> {
    return Number(await this.status.getAttribute('data-inferences'));
  }

  /** Makes the worker fail as in the field (`?automation` only). */
  async injectFault(fault: 'lose-webgl-context' | 'crash'): Promise<void> {
    await this.page.evaluate((f) => (window as unknown as { whatsInThePicture: { injectFault(f: string): void } }).whatsInThePicture.injectFault(f), fault);
  }

  /** Drops a file on the page as a browser does: dragenter, dragover, drop with `dataTransfer.files`. */
  async drop(filePath: string, name = path.basename(filePath)): Promise<void> {
    await this.transfer('drop', filePath, name);
  }

  /** Pastes a file as the clipboard does (Ctrl/⌘+V of a copied file). */
  async paste(filePath: string, name = path.basename(filePath)): Promise<void> {
    await this.transfer('paste', filePath, name);
  }

  private async transfer(how: 'drop' | 'paste', filePath: string, name: string): Promise<void> {
    const type = MIME_TYPES[path.extname(name).toLowerCase()];
    if (!type) throw new Error(`no MIME type known for ${name}`);
    const base64 = (await readFile(filePath)).toString('base64');
    await this.page.evaluate(
      ({ how, base64, name, type }) => {
        const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
        const dataTransfer = new DataTransfer();
        dataTransfer.items.add(new File([bytes], name, { type }));
        if (how === 'paste') {
          document.body.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dataTransfer, bubbles: true, cancelable: true }));
          return;
        }
        const target = document.querySelector('main') ?? document.body;
        for (const event of ['dragenter', 'dragover', 'drop']) {
          target.dispatchEvent(new DragEvent(event, { dataTransfer, bubbles: true, cancelable: true }));
        }
      },
      { how, base64, name, type },
    );
  }
}
