/** The app shell seen from the outside: model and backend status, settings, alerts, and files dropped or pasted on the page. */
import { expect, type Locator, type Page } from '@playwright/test';
import path from 'node:path';
import { fileAs, type FilePayload } from '../support/image-fixtures';
import type { Backend, ModelId } from '../support/media';

const MIME_TYPES: Record<string, string> = { '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.webm': 'video/webm', '.mp4': 'video/mp4' };

export class AppPage {
  readonly status: Locator;
  readonly backend: Locator;
  /** The header's backend badge with its details (e.g. "backend wasm (SIMD, 2 threads)"). */
  readonly backendBadge: Locator;
  readonly backendReason: Locator;
  readonly threads: Locator;
  readonly modelSelect: Locator;
  readonly modelError: Locator;
  readonly threshold: Locator;
  readonly alerts: Locator;

  constructor(readonly page: Page) {
    this.status = page.getByTestId('model.status');
    this.backend = page.getByTestId('backend');
    this.backendBadge = this.backend.locator('..');
    this.backendReason = page.getByTestId('backend.reason');
    this.threads = page.getByTestId('settings.threads');
    this.modelSelect = page.getByTestId('model.select');
    this.modelError = page.getByTestId('model.error');
    this.threshold = page.getByTestId('settings.threshold');
    this.alerts = page.getByRole('alert');
  }

  /** Opens the app with URL parameters (`backend`, `threads`, `model`; `automation` turns on the fault-injection hook). */
  async goto(params: { backend?: Backend; threads?: number; model?: ModelId; automation?: boolean } = {}): Promise<void> {
    const query = new URLSearchParams();
    if (params.backend) query.set('backend', params.backend);
    if (params.threads !== undefined) query.set('threads', String(params.threads));
    if (params.automation) query.set('automation', '');
    if (params.model) query.set('model', params.model);
    const text = query.toString().replace(/=(&|$)/g, '$1');
    await this.page.goto(text ? `./?${text}` : './');
  }

  /** Opens the app with `model` and waits until it is loaded. */
  async open(model: ModelId, params: { backend?: Backend; threads?: number; automation?: boolean } = {}): Promise<void> {
    await this.goto({ ...params, model });
    await this.waitReady(model);
  }

  /**
   * Waits until the model (optionally a given one, built in or imported) is loaded and ready. Loading ResNet-50 (100 MB of
   * weights, then a warm-up pass) can take minutes on a busy machine: the wait is the test's to bound.
   */
  async waitReady(model?: ModelId | string): Promise<void> {
    if (model) await expect(this.status).toHaveAttribute('data-model', model);
    await expect(this.status).toHaveAttribute('data-state', /^(ready|error)$/, { timeout: 300_000 });
    if ((await this.status.getAttribute('data-state')) === 'error') {
      throw new Error(`The model failed to load: ${await this.status.getAttribute('title')}`);
    }
  }

  /** The model select's option for one model. */
  modelOption(model: ModelId): Locator {
    return this.modelSelect.locator(`option[value="${model}"]`);
  }

  /** What the model zoo panel shows for one model: row name → cell text. */
  async zooFacts(model: ModelId): Promise<Record<string, string>> {
    return this.page.getByTestId('model.zoo').evaluate((table, id) => {
      const facts: Record<string, string> = {};
      for (const row of table.querySelectorAll('tbody tr')) {
        const cell = [...row.querySelectorAll('td')].find((td) => td.dataset.model === id);
        if (cell) facts[row.querySelector('th')?.textContent ?? ''] = cell.textContent ?? '';
      }
      return facts;
    }, model);
  }

  /** Switches the model (every photo is classified again). */
  async selectModel(model: ModelId | string): Promise<void> {
    await this.modelSelect.selectOption(model);
    await this.waitReady(model);
  }

  /** Forward passes the worker has run so far. */
  async inferences(): Promise<number> {
    return Number(await this.status.getAttribute('data-inferences'));
  }

  /** Where photos are prepared: 'photo worker', or 'page: <why>' (`?automation` only). */
  photosPreparedIn(): Promise<string | null> {
    return this.page.evaluate(() => (window as unknown as { whatsInThePicture: { photosPreparedIn(): string | null } }).whatsInThePicture.photosPreparedIn());
  }

  /** Makes the worker fail as in the field (`?automation` only). */
  async injectFault(fault: 'lose-webgl-context' | 'crash'): Promise<void> {
    await this.page.evaluate((f) => (window as unknown as { whatsInThePicture: { injectFault(f: string): void } }).whatsInThePicture.injectFault(f), fault);
  }

  /** How far the page scrolls sideways (0 = not at all). */
  async sidewaysScroll(): Promise<number> {
    return this.page.evaluate(() => {
      const root = document.scrollingElement ?? document.documentElement;
      return root.scrollWidth - root.clientWidth;
    });
  }

  /** Visible controls a finger taps that are smaller than `min` × `min` CSS px, described for a failure message. */
  async smallTouchTargets(min = 44): Promise<string[]> {
    return this.page.evaluate((min) => {
      const selector = 'button, select, a[href], label.button, label.check, .segmented label, input[type=range], input[type=search], input[type=number]';
      return Array.from(document.querySelectorAll<HTMLElement>(selector)).flatMap((element) => {
        const box = element.getBoundingClientRect();
        if (box.width === 0 || box.height === 0 || getComputedStyle(element).visibility === 'hidden') return [];
        if (box.width >= min && box.height >= min) return [];
        const name = element.dataset.testid ?? element.getAttribute('aria-label') ?? element.textContent?.trim().slice(0, 30);
        return [`${element.tagName.toLowerCase()} "${name}" ${Math.round(box.width)}×${Math.round(box.height)}`];
      });
    }, min);
  }

  /** An info notice (role=status) or an error notice (role=alert) with this text. */
  notice(kind: 'info' | 'error', text: string | RegExp): Locator {
    return this.page.getByRole(kind === 'info' ? 'status' : 'alert').filter({ hasText: text });
  }

  /**
   * Drops files on the page as a browser does: dragenter, dragover, drop with `dataTransfer.files`.
   * Either one file by path (its MIME type from the extension of `name`) or several made by the test.
   */
  async drop(files: string | FilePayload[], name?: string): Promise<void> {
    await this.transfer('drop', typeof files === 'string' ? [await fromPath(files, name)] : files);
  }

  /** Drops files on the element `selector` matches (a drop zone inside the page). */
  async dropOn(selector: string, files: FilePayload[]): Promise<void> {
    await expect(this.page.locator(selector)).toBeVisible();
    await this.transfer('drop', files, selector);
  }

  /** Pastes a file as the clipboard does (Ctrl/⌘+V of a copied file). */
  async paste(filePath: string, name?: string): Promise<void> {
    await this.transfer('paste', [await fromPath(filePath, name)]);
  }

  private async transfer(how: 'drop' | 'paste', files: FilePayload[], selector = 'main'): Promise<void> {
    const items = files.map((file) => ({ name: file.name, type: file.mimeType, base64: file.buffer.toString('base64') }));
    await this.page.evaluate(
      ({ how, items, selector }) => {
        const dataTransfer = new DataTransfer();
        for (const { name, type, base64 } of items) {
          dataTransfer.items.add(new File([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], name, { type }));
        }
        if (how === 'paste') {
          document.body.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dataTransfer, bubbles: true, cancelable: true }));
          return;
        }
        const target = document.querySelector(selector) ?? document.body;
        for (const event of ['dragenter', 'dragover', 'drop']) {
          target.dispatchEvent(new DragEvent(event, { dataTransfer, bubbles: true, cancelable: true }));
        }
      },
      { how, items, selector },
    );
  }
}

/** The file at `filePath` as a browser would hand it over, named `name`, with the MIME type of that name's extension. */
async function fromPath(filePath: string, name = path.basename(filePath)): Promise<FilePayload> {
  const mimeType = MIME_TYPES[path.extname(name).toLowerCase()];
  if (!mimeType) throw new Error(`no MIME type known for ${name}`);
  return fileAs(filePath, name, mimeType);
}
