/**
 * Privacy and security: nothing leaves the device (no request to another origin, nothing uploaded),
 * the app works offline after the first visit, the Content-Security-Policy is strict and nothing
 * violates it, and a file's name is only ever text.
 */
import type { BrowserContext, CDPSession, Page, Request } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { expect, test } from './fixtures';
import type { AppPage } from './pages/app';
import { download } from './support/downloads';
import { shortKitchenClip } from './support/image-fixtures';
import { CAT, CORGI_CLASSES, DOG, MOBILENET } from './support/media';

interface SeenRequest {
  url: string;
  method: string;
  type: string;
  hasBody: boolean;
  byServiceWorker: boolean;
}

/** Every request of the context: pages, their dedicated workers, and the service worker. */
function recordRequests(context: BrowserContext): SeenRequest[] {
  const seen: SeenRequest[] = [];
  context.on('request', (request: Request) => {
    seen.push({
      url: request.url(),
      method: request.method(),
      type: request.resourceType(),
      hasBody: request.postDataBuffer() !== null,
      byServiceWorker: request.serviceWorker() !== null,
    });
  });
  return seen;
}

interface Violation {
  where: string;
  text: string;
}

/**
 * CSP violations from every source that reports them: the document's `securitypolicyviolation`
 * events (installed before any app script runs), console errors, and the DevTools log and issues —
 * the only place a violation inside a worker shows up.
 */
async function watchCsp(page: Page): Promise<{ violations: Violation[]; cdp: CDPSession }> {
  const violations: Violation[] = [];
  await page.addInitScript(() => {
    const seen: string[] = [];
    Object.defineProperty(window, '__cspViolations', { value: seen });
    document.addEventListener('securitypolicyviolation', (event) => {
      seen.push(`${event.effectiveDirective} blocked ${event.blockedURI || '(inline)'} at ${event.sourceFile}:${event.lineNumber} ${event.sample}`);
    });
  });
  const isCsp = (text: string) => /Content Security Policy|Content-Security-Policy/i.test(text);
  page.context().on('console', (message) => {
    if (isCsp(message.text())) violations.push({ where: `console ${message.type()}`, text: message.text() });
  });
  page.on('worker', (worker) => worker.on('console', (message) => {
    if (isCsp(message.text())) violations.push({ where: `worker console ${worker.url()}`, text: message.text() });
  }));
  const cdp = await page.context().newCDPSession(page);
  cdp.on('Log.entryAdded', ({ entry }) => {
    if (isCsp(entry.text)) violations.push({ where: `log (${entry.source}${entry.workerId ? ', worker' : ''})`, text: entry.text });
  });
  cdp.on('Audits.issueAdded', ({ issue }) => {
    if (issue.code === 'ContentSecurityPolicyIssue') violations.push({ where: 'issue', text: JSON.stringify(issue.details) });
  });
  await cdp.send('Log.enable');
  await cdp.send('Audits.enable');
  return { violations, cdp };
}

async function pageViolations(page: Page): Promise<Violation[]> {
  const texts = await page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? []);
  return texts.map((text) => ({ where: 'securitypolicyviolation', text }));
}

/** `script-src` (or `default-src` where there is none) of a policy, as a list of sources. */
function scriptSources(policy: string): string[] {
  const directives = new Map(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name.toLowerCase(), values] as const),
  );
  const sources = directives.get('script-src') ?? directives.get('default-src');
  if (!sources) throw new Error(`the policy restricts no scripts: ${policy}`);
  return sources;
}

function expectStrictScripts(policy: string, where: string): void {
  const sources = scriptSources(policy).map((s) => s.toLowerCase());
  for (const loose of ["'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", '*', 'data:', 'http:', 'https:']) {
    expect(sources, `${where}: script-src must not allow ${loose}`).not.toContain(loose);
  }
  expect(policy, `${where}: object-src`).toMatch(/object-src 'none'/);
  expect(policy, `${where}: base-uri`).toMatch(/base-uri ('self'|'none')/);
}

test.describe('privacy: nothing leaves the device', () => {
  test('a full session (photos, model switch, webcam, video render, exports) makes no request to another origin and violates no CSP', async ({ app, page, context, photos, heatmaps, live }) => {
    test.setTimeout(420_000);
    const requests = recordRequests(context);
    const websockets: string[] = [];
    page.on('websocket', (ws) => websockets.push(ws.url()));
    const { violations } = await watchCsp(page);
    const clip = await shortKitchenClip();

    // Load, classify photos.
    await app.goto({ model: MOBILENET });
    await app.waitReady(MOBILENET);
    const origin = new URL(page.url()).origin;
    await photos.upload([DOG, CAT]);
    await photos.waitDone(2, MOBILENET);

    // Switch model (downloads ResNet-50, classifies again), and back (from this device).
    await app.selectModel('resnet50');
    await photos.waitDone(2, 'resnet50');
    await app.selectModel(MOBILENET);
    await photos.waitDone(2, MOBILENET);

    // Webcam for a few seconds.
    await live.startWebcam();
    await live.waitForFrames(5);
    const liveCsv = await download(page, () => live.exportCsv.click());
    expect(liveCsv.bytes.length).toBeGreaterThan(0);
    await live.close.click();

    // A video file, rendered with its heatmap.
    await live.openVideo(clip);
    await expect(live.panel).toHaveAttribute('data-status', 'live');
    const render = live.renderStart;
    await expect(render).toBeEnabled();
    const webm = await download(page, () => render.click());
    expect(webm.name).toMatch(/\.webm$/);
    expect(webm.bytes.subarray(0, 4).toString('hex')).toBe('1a45dfa3'); // EBML (WebM) header

    // Exports.
    await photos.select('dog.jpg');
    const png = await download(page, () => heatmaps.exportPng.click());
    expect(png.bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    const map = await download(page, () => page.getByTestId('export.map').click());
    expect(() => JSON.parse(map.bytes.toString('utf8'))).not.toThrow();
    const json = await download(page, () => page.getByRole('button', { name: 'JSON', exact: true }).click());
    expect(() => JSON.parse(json.bytes.toString('utf8'))).not.toThrow();
    const csv = await download(page, () => page.getByRole('button', { name: 'CSV', exact: true }).click());
    expect(csv.bytes.toString('utf8')).toContain('dog.jpg');
    const zip = await download(page, () => heatmaps.exportZip.click());
    expect(zip.bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    await page.waitForTimeout(1000);

    // The recorder sees the worker's requests (else the check below would prove nothing).
    expect(requests.some((r) => r.url.endsWith(`/models/${MOBILENET}/model.json`)), 'model.json (fetched by the worker) was recorded').toBe(true);
    expect(requests.some((r) => r.url.includes('/models/resnet50/')), 'ResNet-50 shards were recorded').toBe(true);

    const elsewhere = requests.filter((r) => {
      const url = new URL(r.url);
      return url.protocol !== 'blob:' && url.protocol !== 'data:' && url.origin !== origin;
    });
    expect.soft(elsewhere.map((r) => `${r.method} ${r.url} (${r.type}${r.byServiceWorker ? ', service worker' : ''})`), 'requests to another origin').toEqual([]);
    const sending = requests.filter((r) => !['GET', 'HEAD'].includes(r.method) || r.hasBody);
    expect.soft(sending.map((r) => `${r.method} ${r.url}`), 'requests that send data').toEqual([]);
    expect.soft(websockets, 'WebSockets').toEqual([]);
    const allViolations = [...violations, ...(await pageViolations(page))];
    expect.soft(allViolations, 'Content-Security-Policy violations').toEqual([]);
    console.log(`session: ${requests.length} requests, all to ${origin} (${requests.filter((r) => r.byServiceWorker).length} by the service worker); CSP violations: ${allViolations.length}`);
  });
});

test.describe('offline', () => {
  /** First visit: the service worker has cached the app shell and the model is in IndexedDB. */
  async function firstVisitThenOffline(app: AppPage, page: Page, context: BrowserContext): Promise<void> {
    await app.goto({ model: MOBILENET });
    await app.waitReady(MOBILENET);
    const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
    expect(scope).toBe(new URL('./', page.url()).href);
    await context.setOffline(true);
    const response = await page.reload();
    expect(response?.fromServiceWorker(), 'the page came from the service worker').toBe(true);
    // The app itself (its scripts and styles, from the service worker's cache) must start.
    await expect(app.status, 'the app did not start offline (are its assets served from the cache?)').toBeVisible({ timeout: 20_000 });
  }

  test('after a first visit, the app opens offline, the model loads from this device and a photo classifies', async ({ app, page, context, photos }) => {
    test.setTimeout(180_000);
    await firstVisitThenOffline(app, page, context);
    await app.waitReady(MOBILENET);
    await expect(app.status).toHaveAttribute('data-from-cache', 'true');
    await expect(app.modelError).toHaveCount(0);
    await photos.upload(DOG);
    await expect(photos.result('dog.jpg')).toHaveAttribute('data-state', 'done');
    expect(CORGI_CLASSES).toContain((await photos.readPredictions('dog.jpg'))[0].classIndex);
  });

  test('offline, a model not on this device yet: a clear error (not stuck loading), and the cached model still works', async ({ app, page, context, photos }) => {
    test.setTimeout(180_000);
    await firstVisitThenOffline(app, page, context);
    await app.waitReady(MOBILENET);
    await app.modelSelect.selectOption('resnet50');
    await expect(app.status).toHaveAttribute('data-state', 'error');
    await expect(app.modelError).toContainText('ResNet-50');
    // Say why in words: the device is offline and this model was never downloaded.
    await expect(app.modelError).toContainText(/offline|no (network|internet) connection/i, { timeout: 5_000 });
    await app.selectModel(MOBILENET);
    await photos.upload(DOG);
    await expect(photos.result('dog.jpg')).toHaveAttribute('data-state', 'done');
  });
});

test.describe('security', () => {
  test('the page is served with a strict Content-Security-Policy (header and meta) and no inline script', async ({ page }) => {
    const workerUrls: string[] = [];
    page.on('worker', (worker) => workerUrls.push(worker.url()));
    const response = await page.goto(`./?model=${MOBILENET}`);
    expect(response?.status()).toBe(200);
    const header = response?.headers()['content-security-policy'];
    expect(header, 'Content-Security-Policy header').toBeTruthy();
    expectStrictScripts(header ?? '', 'header');
    expect(header).toMatch(/frame-ancestors 'none'/);

    const html = (await response?.text()) ?? '';
    const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(html);
    expect(meta, 'CSP <meta> in index.html').not.toBeNull();
    expectStrictScripts(meta?.[1] ?? '', 'meta');
    const scripts = html.match(/<script\b[^>]*>[\s\S]*?<\/script>/gi) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) {
      expect(script, 'every <script> has a src and no inline code').toMatch(/^<script\b[^>]*\bsrc=[^>]*>\s*<\/script>$/i);
    }
    expect(html, 'no inline event handlers').not.toMatch(/<[^>]+\son[a-z]+\s*=/i);

    // Workers take their policy from their own script's response: the inference worker has it too.
    await expect(page.getByTestId('model.status')).toHaveAttribute('data-state', 'ready');
    const inference = workerUrls.find((url) => /inference\.worker/.test(url));
    expect(inference, 'the inference worker started').toBeTruthy();
    const workerResponse = await page.request.get(inference ?? '');
    const workerPolicy = workerResponse.headers()['content-security-policy'];
    expect(workerPolicy, 'Content-Security-Policy header of the worker script').toBeTruthy();
    expectStrictScripts(workerPolicy ?? '', 'worker script header');
  });

  test('a file named like HTML is shown as text, never as markup', async ({ app, page, photos }) => {
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const name = '<img src=x onerror="window.__xss=1">.jpg';
    const badName = '<svg onload="window.__xss=2">.jpg';
    await app.goto({ model: MOBILENET });
    await app.waitReady(MOBILENET);
    await photos.fileInput.setInputFiles([
      { name, mimeType: 'image/jpeg', buffer: await readFile(DOG) },
      // An empty file with a hostile name: its name also goes into an error message and a toast.
      { name: badName, mimeType: 'image/jpeg', buffer: Buffer.alloc(0) },
    ]);
    const card = photos.result(name);
    await expect(card).toHaveAttribute('data-state', 'done');
    expect(await card.getAttribute('data-source-name')).toBe(name);
    await expect(card.getByText(name, { exact: true })).toBeVisible();
    await expect(photos.result(badName)).toHaveAttribute('data-state', 'error');
    await expect(app.alerts.filter({ hasText: `${badName} is empty (0 bytes).` })).toHaveCount(1);
    await photos.select(name);
    await page.waitForTimeout(500);

    // Only the app's own thumbnails are images; nothing from a name became an element or ran.
    const images = await page.locator('img').evaluateAll((els) => els.map((el) => (el as HTMLImageElement).getAttribute('src') ?? ''));
    for (const src of images) expect(src, 'every <img> is a thumbnail (blob: URL)').toMatch(/^blob:/);
    await expect(card.locator('.result-title img, .result-title svg')).toHaveCount(0);
    await expect(page.locator('[onerror], [onload]')).toHaveCount(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
    expect(dialogs).toEqual([]);
  });
});
