import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import { type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MockServer, startMockServer } from '../../src/index.js';

/** Debian's chromium; CI installs it (.ci/install-chromium.sh). Without it there is nothing to drive. */
const CHROMIUM = '/usr/bin/chromium';
const KEY = 'mc-demo-key';
const LIST = '/api/v1/services/stackpath/test-area/images';
const GLANCE_TOKEN = 'user-token';

/** What a screenshot holds: its size, and how many different bytes its pixels make (1 or 2 for a blank one). */
function png(shot: Buffer): { width: number; height: number; variety: number } {
  expect(shot.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const idat: Buffer[] = [];
  for (let at = 8; at < shot.length;) {
    const length = shot.readUInt32BE(at);
    if (shot.toString('latin1', at + 4, at + 8) === 'IDAT') idat.push(shot.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const pixels = inflateSync(Buffer.concat(idat));
  return { width: shot.readUInt32BE(16), height: shot.readUInt32BE(20), variety: new Set(pixels).size };
}

describe.skipIf(!existsSync(CHROMIUM))('web console in headless chromium', () => {
  let mock: MockServer;
  let browser: BrowserContext;
  let page: Page;
  let dir: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'iam-browser-'));
    mock = await startMockServer();
    browser = await chromium.launchPersistentContext(path.join(dir, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 900 },
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
    page.on('pageerror', (err) => pageErrors.push(err.message));
    // the store view asks before deleting
    page.on('dialog', (dialog) => void dialog.accept());
    await page.goto(`${mock.url}/__admin/`);
  });
  afterAll(async () => {
    await browser?.close();
    await mock?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const journalRow = (text: string) => page.locator('#journal tbody tr', { hasText: text }).first();
  const fromOutside = (p: string, init: RequestInit = {}) => fetch(`${mock.url}${p}`, init);

  it('lists the providers, shows a request live in the journal, adds a fault, and renders', async () => {
    await page.locator('#providers [data-provider="cloudmc"]').waitFor();
    expect(await page.locator('#providers [data-provider="cloudmc"]').textContent()).toContain(KEY);
    expect(await page.locator('#providers .provider').count()).toBe(await providerCount());

    // a request from outside the browser appears in the live journal
    await fromOutside(`${LIST}?imageType=custom`, { headers: { 'MC-Api-Key': KEY } });
    const row = journalRow(`${LIST}?imageType=custom`);
    await row.waitFor({ timeout: 10_000 });
    expect(await row.locator('td').nth(5).textContent()).toBe('200');
    expect(await row.locator('td').nth(2).textContent()).toBe('cloudmc');

    // a fault added through the page shapes the next request, and both show
    await page.locator('#fault-rule').fill('{"provider": "cloudmc", "status": 503, "times": 1}');
    await page.locator('#fault-form button[type=submit]').click();
    await page.locator('#faults tbody tr[data-id="fault-1"]').waitFor();
    await fromOutside(LIST, { headers: { 'MC-Api-Key': KEY } });
    const faulted = journalRow('fault-1');
    await faulted.waitFor({ timeout: 10_000 });
    expect(await faulted.locator('td').nth(5).textContent()).toBe('503');
    expect(mock.faults.list()[0]).toMatchObject({ hits: 1, active: false });

    const shot = png(await page.screenshot({ fullPage: true }));
    expect(shot.width).toBe(1280);
    expect(shot.variety).toBeGreaterThan(20);
  });

  it('opens a request sent from outside: both sides, headers and JSON bodies indented, credentials masked', async () => {
    const created = await fromOutside('/v2/images', {
      method: 'POST',
      headers: { 'X-Auth-Token': GLANCE_TOKEN, 'Content-Type': 'application/json' },
      body: '{"name":"console-shot","disk_format":"raw","container_format":"bare"}',
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };

    await journalRow('/v2/images').click();
    const entry = page.locator('#entry');
    await entry.waitFor();
    expect(await page.locator('#entry-line').textContent()).toBe('POST /v2/images → 201');
    const request = page.locator('#entry-request');
    const answer = page.locator('#entry-response');
    expect(await headerValue(request, 'x-auth-token')).toBe('[masked]');
    expect(await headerValue(request, 'content-type')).toBe('application/json');
    expect(await headerValue(answer, 'content-type')).toMatch(/^application\/json/);
    expect(await request.locator('pre.body').textContent()).toBe(
      '{\n  "name": "console-shot",\n  "disk_format": "raw",\n  "container_format": "bare"\n}',
    );
    const answerBody = (await answer.locator('pre.body').textContent())!;
    expect(answerBody).toContain(`\n  "id": "${id}",\n`);
    expect(answerBody).toContain('"status": "queued"');
    expect(await entry.textContent()).not.toContain(GLANCE_TOKEN);

    const box = (await entry.boundingBox())!;
    const shot = png(await entry.screenshot());
    expect(Math.abs(shot.width - box.width)).toBeLessThanOrEqual(2); // the box is fractional, the pixels are not
    expect(shot.height).toBeGreaterThan(200);
    expect(shot.variety).toBeGreaterThan(20);

    // a Keystone log-in: the password in the request and the token in the answer's header come masked
    await fromOutside('/v3/auth/tokens', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        auth: {
          identity: {
            methods: ['password'],
            password: { user: { name: 'demo', domain: { id: 'default' }, password: 'demo-secret' } },
          },
        },
      }),
    });
    await journalRow('/v3/auth/tokens').click();
    await page.locator('#entry-line', { hasText: '/v3/auth/tokens' }).waitFor();
    expect(await request.locator('pre.body').textContent()).toContain('"password": "[masked]"');
    expect(await headerValue(answer, 'x-subject-token')).toBe('[masked]');
    expect(await entry.textContent()).not.toContain('demo-secret');

    await page.locator('#entry-close').click();
    expect(await entry.isHidden()).toBe(true);
  });

  it('shows the store per provider and collection, finds a record by name or id, and deletes it', async () => {
    const made = await fromOutside('/v2/images', {
      method: 'POST',
      headers: { 'X-Auth-Token': GLANCE_TOKEN, 'Content-Type': 'application/json' },
      body: '{"name":"to-be-deleted"}',
    });
    const { id } = (await made.json()) as { id: string };
    await page.locator('#store-provider').selectOption('glance');
    await page.locator('#store-collection').selectOption('images');
    await page.locator('#store-search').fill('to-be-del');
    const row = page.locator(`#store tbody tr[data-id="${id}"]`);
    await row.waitFor();
    expect(await page.locator('#store tbody tr').count()).toBe(1);
    expect(await row.locator('td').nth(1).textContent()).toBe('to-be-deleted');
    await page.locator('#store-search').fill(id.slice(0, 13));
    expect(await page.locator('#store tbody tr').count()).toBe(1);

    await row.click();
    expect(JSON.parse((await page.locator('#record').textContent())!)).toMatchObject({
      id,
      name: 'to-be-deleted',
    });
    const shot = png(await page.locator('#store-section').screenshot());
    expect(shot.variety).toBeGreaterThan(20);

    await row.locator('button', { hasText: 'delete' }).click();
    await row.waitFor({ state: 'detached' });
    expect(
      (await fromOutside(`/v2/images/${id}`, { headers: { 'X-Auth-Token': GLANCE_TOKEN } })).status,
    ).toBe(404);

    // a record a client makes while the view is open shows without a reload
    await page.locator('#store-search').fill('late-arrival');
    await fromOutside('/v2/images', {
      method: 'POST',
      headers: { 'X-Auth-Token': GLANCE_TOKEN, 'Content-Type': 'application/json' },
      body: '{"name":"late-arrival"}',
    });
    await page.locator('#store tbody tr', { hasText: 'late-arrival' }).waitFor({ timeout: 10_000 });

    // CloudMC's ids hold a slash: the button deletes by the whole id
    await page.locator('#store-provider').selectOption('cloudmc');
    await page.locator('#store-search').fill('');
    const first = page.locator('#store tbody tr').first();
    await first.waitFor();
    const composite = (await first.getAttribute('data-id'))!;
    expect(composite).toContain('/');
    await first.locator('button').click();
    await page.locator(`#store tbody tr[data-id="${composite}"]`).waitFor({ state: 'detached' });
    expect((await fromOutside(`/__admin/store/cloudmc/images/${composite}`)).status).toBe(404);
  });

  it('lists a new sandbox as it is made, shows its own journal and store, and drops it when deleted', async () => {
    const made = await fromOutside('/__admin/sandboxes', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"id":"live1"}',
    });
    const { baseUrl } = (await made.json()) as { baseUrl: string };
    // nobody touches the dropdown
    await page.locator('#instance option[value="live1"]').waitFor({ state: 'attached', timeout: 10_000 });
    await page.locator('#instance').selectOption('live1');
    await fetch(`${baseUrl}${LIST}?in=sandbox`, { headers: { 'MC-Api-Key': KEY } });
    await journalRow(`${LIST}?in=sandbox`).waitFor({ timeout: 10_000 });
    expect(await journalRow('/v2/images').count()).toBe(0); // the main instance's requests are not its
    await page.locator('#store-provider').selectOption('glance');
    await page.locator('#store-search').fill('console-shot'); // made in the main instance only
    await expect.poll(() => page.locator('#store-count').textContent()).toMatch(/^0 of \d+ match$/);

    await fromOutside('/__admin/sandboxes/live1', { method: 'DELETE' });
    await page.locator('#instance option[value="live1"]').waitFor({ state: 'detached', timeout: 10_000 });
    expect(await page.locator('#instance').inputValue()).toBe('');
    await journalRow('/v2/images').waitFor({ timeout: 10_000 });
  });

  it('stays within a 400 px wide window, an entry and the store open', async () => {
    await page.setViewportSize({ width: 400, height: 900 });
    await fromOutside('/v2/images?sort=name:asc&limit=3&member_status=all&visibility=all', {
      headers: { 'X-Auth-Token': GLANCE_TOKEN },
    });
    await page.locator('#store-search').fill('');
    await journalRow('member_status=all').click();
    await page.locator('#entry').waitFor();
    await page.locator('#store tbody tr').first().click();
    // run in the page (the test's own types know no DOM)
    const widths = await page.evaluate<{ page: number; journal: number; store: number }>(`({
      page: document.scrollingElement.scrollWidth,
      journal: document.querySelector('#journal').scrollWidth,
      store: document.querySelector('#store').scrollWidth,
    })`);
    expect(widths.page).toBeLessThanOrEqual(400);
    // the tables themselves fit, not only the page around their scroll boxes
    expect(widths.journal).toBeLessThanOrEqual(400);
    expect(widths.store).toBeLessThanOrEqual(400);
    expect(await page.locator('#journal th', { hasText: 'time' }).isVisible()).toBe(false);
    expect(await page.locator('#journal th', { hasText: 'path' }).isVisible()).toBe(true);
    const shot = png(await page.screenshot({ fullPage: true }));
    expect(shot.width).toBe(400);
    expect(shot.variety).toBeGreaterThan(20);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it("journals no request for the browser's icon: the page has its own", async () => {
    const icon = await fromOutside('/__admin/console/favicon.svg');
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toBe('image/svg+xml');
    const { entries } = (await (await fromOutside('/__admin/journal?path=/favicon.ico')).json()) as {
      entries: unknown[];
    };
    expect(entries).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('asks once for the admin token (--admin-token) and then works as without it', async () => {
    const guarded = await startMockServer({ adminToken: 'console-secret' });
    const other = await browser.newPage();
    try {
      const asked: string[] = [];
      other.on('dialog', (dialog) => {
        asked.push(dialog.type());
        void dialog.accept('console-secret');
      });
      await other.goto(`${guarded.url}/__admin/`);
      await other.locator('#providers [data-provider="glance"]').waitFor();
      await fetch(`${guarded.url}${LIST}?guarded=1`, { headers: { 'MC-Api-Key': KEY } });
      await other.locator('#journal tbody tr', { hasText: 'guarded=1' }).click();
      await other.locator('#entry-line', { hasText: `GET ${LIST}?guarded=1 → 200` }).waitFor();
      expect(asked).toEqual(['prompt']);
    } finally {
      await other.close();
      await guarded.close();
    }
  });

  async function headerValue(side: Locator, name: string): Promise<string | null> {
    return side
      .locator('.headers tr', { has: page.locator(`th:text-is("${name}")`) })
      .locator('td')
      .textContent();
  }

  async function providerCount(): Promise<number> {
    const res = await fetch(`${mock.url}/__admin/providers`);
    return ((await res.json()) as unknown[]).length;
  }
});
