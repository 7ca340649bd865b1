import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';

/**
 * Real headless Chromium (Debian's package, driven by playwright-core: no browser download), with
 * the network outside this machine cut off. Every request to anything but 127.0.0.1/localhost is
 * aborted and recorded, so a test can assert that a page asked nothing of the internet.
 */

const CHROMIUM = process.env.XKIT_TEST_CHROMIUM ?? '/usr/bin/chromium';
const SCREENSHOTS = resolve(__dirname, '../../docs/screenshots');

export interface TestBrowser {
  browser: Browser;
  /** A fresh context (its own storage): a new browser session. */
  newSession(options?: { width?: number; height?: number; stubs?: Record<string, { contentType: string; body: string | Buffer }> }): Promise<Session>;
  close(): Promise<void>;
}

export interface Session {
  context: BrowserContext;
  page: Page;
  /** Requests that tried to leave the machine (all were aborted). */
  outsideRequests: string[];
  /** Script errors and console errors, e.g. a Content-Security-Policy violation. */
  pageErrors: string[];
}

export async function launchBrowser(): Promise<TestBrowser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not at ${CHROMIUM}: install Debian's package (apt-get install chromium) or set XKIT_TEST_CHROMIUM to its path`);
  }
  // launch() gives every browser a fresh temporary profile (user data dir), removed on close.
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    browser,
    async newSession(options = {}) {
      const context = await browser.newContext({
        ignoreHTTPSErrors: true, // the fake Microsoft's certificate comes from a CA made at test time
        viewport: { width: options.width ?? 1280, height: options.height ?? 900 },
        locale: 'en-GB',
        timezoneId: 'UTC',
      });
      const outsideRequests: string[] = [];
      await context.route('**/*', (route) => {
        const url = route.request().url();
        const { hostname } = new URL(url);
        if (hostname === '127.0.0.1' || hostname === 'localhost') return route.continue();
        const stub = options.stubs?.[url];
        if (stub) return route.fulfill({ status: 200, contentType: stub.contentType, body: stub.body });
        outsideRequests.push(url);
        return route.abort('internetdisconnected');
      });
      const page = await context.newPage();
      const pageErrors: string[] = [];
      page.on('pageerror', (error) => pageErrors.push(error.message));
      page.on('console', (message) => {
        // An HTTP error answer is logged too ("Failed to load resource"); the tests assert on those themselves.
        if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) pageErrors.push(message.text());
      });
      return { context, page, outsideRequests, pageErrors };
    },
    close: () => browser.close(),
  };
}

/**
 * Full-page screenshots of the main pages. They go to docs/screenshots (committed, shown in the
 * README) only when XKIT_UPDATE_SCREENSHOTS=1, so that a test run does not change tracked files.
 */
export async function screenshot(page: Page, name: string, options: { of?: Locator; fullPage?: boolean } = {}): Promise<void> {
  const directory = process.env.XKIT_UPDATE_SCREENSHOTS === '1' ? SCREENSHOTS : join(tmpdir(), 'xkit-screenshots');
  mkdirSync(directory, { recursive: true });
  const settings = { path: join(directory, `${name}.png`), animations: 'disabled', caret: 'hide' } as const;
  if (options.of) await options.of.screenshot(settings);
  else await page.screenshot({ ...settings, fullPage: options.fullPage ?? true });
}

/** Opens the console and signs in with the key, as a user pastes it. */
export async function signIn(page: Page, gatewayUrl: string, key: string, hash = ''): Promise<void> {
  await page.goto(`${gatewayUrl}/console${hash}`);
  await page.getByLabel('API key', { exact: true }).fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/** A logo for catalog entries: an https URL that the tests answer themselves, as the internet is cut off. */
export const LOGO_URL = 'https://logos.example.com/team-calendar.svg';
export const LOGO_STUB = {
  [LOGO_URL]: {
    contentType: 'image/svg+xml',
    body: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 56 56"><rect width="56" height="56" rx="12" fill="#1a7f37"/><rect x="12" y="16" width="32" height="26" rx="4" fill="#fff"/><rect x="12" y="16" width="32" height="8" fill="#b4e5c2"/></svg>',
  },
};
