/** Chromium (CDP) and Firefox (WebDriver BiDi) through puppeteer-core, with Debian's browsers (nothing is downloaded). */
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { CHROMIUM_ARGS } from '../../scripts/chromium-args.mjs';
import type { EngineDriver, LaunchOptions, PageFunction } from './driver';

const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

class PuppeteerDriver implements EngineDriver {
  constructor(
    readonly engine: 'chromium' | 'firefox',
    readonly version: string,
    readonly ownHosts: readonly string[],
    private readonly browser: Browser,
    private readonly page: Page,
  ) {}

  async goto(url: string): Promise<void> {
    await this.page.goto(url, { waitUntil: 'load', timeout: 120_000 });
  }

  evaluate<A extends unknown[], T>(fn: PageFunction<A, T>, ...args: A): Promise<T> {
    return this.page.evaluate(fn as (...a: unknown[]) => T, ...args) as Promise<T>;
  }

  async setInputFile(testid: string, path: string): Promise<void> {
    const input = await this.page.$(`[data-testid="${testid}"]`);
    if (!input) throw new Error(`${this.engine}: no element with data-testid=${testid}`);
    await (input as import('puppeteer-core').ElementHandle<HTMLInputElement>).uploadFile(path);
  }

  async close(): Promise<void> {
    await this.browser.close();
  }
}

/** Hosts of the browser's own background services (updates, sign-in, autofill, network time, remote settings): browser traffic, not the page's. */
const OWN_HOSTS = {
  chromium: ['update.googleapis.com', 'accounts.google.com', 'clients2.google.com', 'content-autofill.googleapis.com', 'optimizationguide-pa.googleapis.com'],
  firefox: ['firefox.settings.services.mozilla.com'],
};

async function open(engine: 'chromium' | 'firefox', browser: Browser): Promise<EngineDriver> {
  const page = (await browser.pages())[0] ?? (await browser.newPage());
  await page.setViewport({ width: 1280, height: 900 });
  return new PuppeteerDriver(engine, await browser.version(), OWN_HOSTS[engine], browser, page);
}

export async function launchChromium({ proxy }: LaunchOptions): Promise<EngineDriver> {
  const browser = await puppeteer.launch({
    browser: 'chrome',
    executablePath: CHROMIUM,
    headless: true,
    // Loopback never goes through a proxy in Chromium; everything else does.
    args: [...CHROMIUM_ARGS, `--proxy-server=${proxy}`],
  });
  return open('chromium', browser);
}

export async function launchFirefox({ proxy }: LaunchOptions): Promise<EngineDriver> {
  const { hostname, port } = new URL(proxy);
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    extraPrefsFirefox: {
      // Firefox's fake camera (a generated test picture) without the permission prompt.
      'media.navigator.streams.fake': true,
      'media.navigator.permission.disabled': true,
      // Every request to another host through the recording proxy; the app's own (loopback) direct.
      'network.proxy.type': 1,
      'network.proxy.http': hostname,
      'network.proxy.http_port': Number(port),
      'network.proxy.ssl': hostname,
      'network.proxy.ssl_port': Number(port),
      'network.proxy.no_proxies_on': '127.0.0.1',
      'network.proxy.allow_hijacking_localhost': false,
      // Firefox's own remote-settings sync is browser traffic, not the page's.
      'services.settings.server': 'data:,#remote-settings-dummy/v1',
    },
  });
  return open('firefox', browser);
}
