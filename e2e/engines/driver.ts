/**
 * The one interface the cross-engine scenarios drive a browser through. Each engine has a thin
 * implementation: Chromium and Firefox over puppeteer-core (CDP, WebDriver BiDi), WebKitGTK over classic
 * WebDriver (WebKitWebDriver + MiniBrowser). Everything else — what to click, what to expect — lives in
 * the shared scenarios.
 */
export type EngineName = 'chromium' | 'firefox' | 'webkit';

/** A function run in the page: arguments and result travel as JSON. */
export type PageFunction<A extends unknown[], T> = (...args: A) => T | Promise<T>;

export interface EngineDriver {
  readonly engine: EngineName;
  /** The browser's own version string (e.g. "Firefox 140.5.0esr"). */
  readonly version: string;
  /** Hosts the browser itself talks to in the background (vendor services), whatever page is open. */
  readonly ownHosts: readonly string[];
  goto(url: string): Promise<void>;
  evaluate<A extends unknown[], T>(fn: PageFunction<A, T>, ...args: A): Promise<T>;
  /** Puts a local file into the `<input type=file>` with this data-testid, as a user picking it would. */
  setInputFile(testid: string, path: string): Promise<void>;
  close(): Promise<void>;
}

export interface LaunchOptions {
  /** All HTTP(S) traffic to other hosts goes through this proxy (the privacy check's recorder). */
  proxy: string;
}

/**
 * Polls `fn` in the page until it returns a truthy value (returned), or fails after `timeout` with
 * the last value seen and `what`. Waits on a state, never on a fixed time.
 */
export async function waitFor<A extends unknown[], T>(
  driver: EngineDriver,
  what: string,
  timeout: number,
  fn: PageFunction<A, T>,
  ...args: A
): Promise<NonNullable<T>> {
  const end = Date.now() + timeout;
  let last: T | undefined;
  for (;;) {
    last = await driver.evaluate(fn, ...args);
    if (last) return last as NonNullable<T>;
    if (Date.now() > end) {
      const page = await driver.evaluate(() => `${location.href} — ${document.querySelector('[data-testid="model.status"]')?.textContent ?? 'no status'} — ${Array.from(document.querySelectorAll('[role="alert"]'), (a) => a.textContent).join(' | ')}`).catch(String);
      throw new Error(`${driver.engine}: timed out after ${timeout} ms waiting for ${what} (last: ${JSON.stringify(last)}; page: ${page})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
