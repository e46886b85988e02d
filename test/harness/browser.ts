import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { REPO_ROOT } from './cli-process.js';

/** Debian's chromium (CI installs the package); playwright-core never downloads a browser. */
export const CHROMIUM = '/usr/bin/chromium';

/** Where the browser tests keep a screenshot of each page (gitignored), for a person to look at. */
export const SCREENSHOT_DIR = join(REPO_ROOT, 'test-artifacts', 'browser');

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    // Root in CI containers has no user namespace for Chromium's sandbox.
    args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
  });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
