import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MockServer, startMockServer } from '../../src/index.js';

/** Debian's chromium; CI installs it (.ci/install-chromium.sh). Without it there is nothing to drive. */
const CHROMIUM = '/usr/bin/chromium';
const KEY = 'mc-demo-key';
const LIST = '/api/v1/services/stackpath/test-area/images';

describe.skipIf(!existsSync(CHROMIUM))('web console in headless chromium', () => {
  let mock: MockServer;
  let browser: BrowserContext;
  let page: Page;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'iam-browser-'));
    mock = await startMockServer();
    browser = await chromium.launchPersistentContext(path.join(dir, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = browser.pages()[0] ?? (await browser.newPage());
  });
  afterAll(async () => {
    await browser?.close();
    await mock?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists the providers, shows a request live in the journal, adds a fault, and renders', async () => {
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));
    await page.goto(`${mock.url}/__admin/`);
    await page.locator('#providers [data-provider="cloudmc"]').waitFor();
    expect(await page.locator('#providers [data-provider="cloudmc"]').textContent()).toContain(KEY);
    expect(await page.locator('#providers .provider').count()).toBe(await providerCount());

    // a request from outside the browser appears in the live journal
    await fetch(`${mock.url}${LIST}?imageType=custom`, { headers: { 'MC-Api-Key': KEY } });
    const row = page.locator('#journal tbody tr', { hasText: `${LIST}?imageType=custom` });
    await row.waitFor({ timeout: 10_000 });
    expect(await row.locator('td').nth(5).textContent()).toBe('200');
    expect(await row.locator('td').nth(2).textContent()).toBe('cloudmc');

    // a fault added through the page shapes the next request, and both show
    await page.locator('#fault-rule').fill('{"provider": "cloudmc", "status": 503, "times": 1}');
    await page.locator('#fault-form button[type=submit]').click();
    await page.locator('#faults tbody tr[data-id="fault-1"]').waitFor();
    await fetch(`${mock.url}${LIST}`, { headers: { 'MC-Api-Key': KEY } });
    const faulted = page.locator('#journal tbody tr', { hasText: 'fault-1' });
    await faulted.waitFor({ timeout: 10_000 });
    expect(await faulted.locator('td').nth(5).textContent()).toBe('503');
    expect(mock.faults.list()[0]).toMatchObject({ hits: 1, active: false });

    const shot = path.join(dir, 'console.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(1000);
    expect(pageErrors).toEqual([]);
  });

  async function providerCount(): Promise<number> {
    const res = await fetch(`${mock.url}/__admin/providers`);
    return ((await res.json()) as unknown[]).length;
  }
});
