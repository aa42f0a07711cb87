/**
 * WebKitGTK (Safari's engine) through classic WebDriver: Debian's WebKitWebDriver drives MiniBrowser
 * under a virtual X server (xvfb-run). A small fetch-based client: only the endpoints the scenarios use.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { EngineDriver, LaunchOptions, PageFunction } from './driver';

const MINIBROWSER = process.env.MINIBROWSER_PATH ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

interface WebDriverReply {
  value: unknown;
}

class WebKitDriver implements EngineDriver {
  readonly engine = 'webkit';
  /** MiniBrowser has no background services. */
  readonly ownHosts: readonly string[] = [];

  constructor(
    readonly version: string,
    private readonly base: string,
    private readonly driver: ChildProcess,
  ) {}

  async goto(url: string): Promise<void> {
    await command(`${this.base}/url`, 'POST', { url });
  }

  async evaluate<A extends unknown[], T>(fn: PageFunction<A, T>, ...args: A): Promise<T> {
    // The page function's result (or error) comes back through the async script's callback.
    const script = `const done = arguments[arguments.length - 1];
      Promise.resolve().then(() => (${fn.toString()}).apply(null, Array.from(arguments).slice(0, -1)))
        .then((value) => done({ value: value === undefined ? null : value }), (error) => done({ error: String(error && error.stack || error) }));`;
    const reply = (await command(`${this.base}/execute/async`, 'POST', { script, args })) as { value?: T; error?: string };
    if (reply.error !== undefined) throw new Error(`webkit: page script failed: ${reply.error}`);
    return reply.value as T;
  }

  /** WebDriver classic types only into a visible file input: show it for the moment of typing, then hide it again. */
  async setInputFile(testid: string, path: string): Promise<void> {
    const found = (await command(`${this.base}/element`, 'POST', { using: 'css selector', value: `[data-testid="${testid}"]` })) as Record<string, string>;
    const id = found[ELEMENT];
    const reveal = (selector: string, show: boolean) => {
      const input = document.querySelector<HTMLInputElement>(selector);
      if (input) input.style.cssText = show ? 'position:fixed;top:0;left:0;width:200px;height:40px;clip:auto;clip-path:none;opacity:1;z-index:2147483647' : '';
    };
    await this.evaluate(reveal, `[data-testid="${testid}"]`, true);
    try {
      await command(`${this.base}/element/${id}/value`, 'POST', { text: path });
    } finally {
      await this.evaluate(reveal, `[data-testid="${testid}"]`, false);
    }
  }

  async close(): Promise<void> {
    await command(this.base, 'DELETE').catch(() => undefined);
    if (this.driver.pid) process.kill(-this.driver.pid, 'SIGTERM');
  }
}

async function command(url: string, method: 'GET' | 'POST' | 'DELETE', body?: unknown): Promise<unknown> {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const reply = (await response.json()) as WebDriverReply;
  if (!response.ok) throw new Error(`webkit: ${method} ${url} → ${response.status} ${JSON.stringify(reply.value).slice(0, 500)}`);
  return reply.value;
}

/** Starts WebKitWebDriver on `port` under xvfb-run and opens a MiniBrowser session. */
export async function launchWebKit({ proxy, port }: LaunchOptions & { port: number }): Promise<EngineDriver> {
  const driver = spawn('xvfb-run', ['-a', '-s', '-screen 0 1280x1024x24', 'WebKitWebDriver', `--port=${port}`], {
    detached: true,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const root = `http://127.0.0.1:${port}`;
  const end = Date.now() + 30_000;
  for (;;) {
    const ready = await command(`${root}/status`, 'GET').then((v) => (v as { ready?: boolean }).ready, () => false);
    if (ready) break;
    if (Date.now() > end || driver.exitCode !== null) throw new Error(`webkit: WebKitWebDriver did not start on port ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const session = (await command(`${root}/session`, 'POST', {
    capabilities: {
      alwaysMatch: {
        browserName: 'MiniBrowser',
        'webkitgtk:browserOptions': {
          binary: MINIBROWSER,
          args: [
            '--automation',
            // WebKit's mock camera (a generated test picture), the way WebKit's own layout tests capture.
            '--enable-media-stream=true',
            '--enable-mock-capture-devices=true',
            `--proxy=${proxy}`,
            '--ignore-host=127.0.0.1',
          ],
        },
      },
    },
  })) as { sessionId: string; capabilities: { browserName: string; browserVersion: string } };
  const version = `WebKitGTK ${session.capabilities.browserVersion}`;
  return new WebKitDriver(version, `${root}/session/${session.sessionId}`, driver);
}
