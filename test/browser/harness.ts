// The browser test harness: the built web app served by Anju in-process (random port, fresh test
// database, business date set, staff users created) and driven by the system Chromium through
// playwright-core. Any console error or page error fails the test that caused it; every screen can be
// saved as a screenshot under test-artifacts/browser/; and `checkChineseRenders` tells glyphs from tofu.
//
// Use it from a test file under test/browser/:
//
//   const h = useBrowserHarness({ name: 'portal' });
//   describeBrowser('the portal', () => {
//     it('shows the home page', async () => {
//       const page = await h().newPage({ width: 390, height: 844 });
//       await page.goto(h().url('/'));
//       await h().screenshot(page, 'home');
//     });
//   });
//
// Without Chromium (ANJU_CHROMIUM or /usr/bin/chromium) the suites are skipped with a message, unless
// process.env.CI is set: then they fail, so CI never silently loses its browser tests.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, it } from 'vitest';
import { initializeBusinessDate } from '../../src/services/calendar/business-date.ts';
import type { StaffRole } from '../../src/domain/roles.ts';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../api/test-app.ts';

export const CHROMIUM = process.env.ANJU_CHROMIUM ?? '/usr/bin/chromium';
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const ARTIFACTS = join(ROOT, 'test-artifacts', 'browser');
const WEB_DIST = join(ROOT, 'web', 'dist');

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Whether the browser tests can run here. */
export const browserAvailable = existsSync(CHROMIUM);

/**
 * `describe` for browser suites: runs when Chromium is there; otherwise skips with a clear message, or
 * fails when process.env.CI is set.
 */
export function describeBrowser(name: string, body: () => void): void {
  if (browserAvailable) {
    describe(name, body);
    return;
  }
  const message = `no Chromium at ${CHROMIUM} (set ANJU_CHROMIUM to its path)`;
  if (process.env.CI) {
    describe(name, () => {
      it('needs Chromium', () => {
        throw new Error(`browser tests cannot run in CI: ${message}`);
      });
    });
    return;
  }
  console.warn(`[browser tests] skipped "${name}": ${message}`);
  describe.skip(`${name} — skipped: ${message}`, body);
}

// ---------------------------------------------------------------------------------------------------
// The web build

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSafe(dir)) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

function readdirSafe(dir: string) {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Builds web/dist when it is missing or older than web/src (scripts/build-web.mjs), under a lock so two
 * test files (or two helpers) never build at once, and copies the build to a private directory so a
 * rebuild elsewhere cannot pull files from under a running test. Returns that directory (with a
 * trailing slash, as webRoutes wants it).
 */
export async function preparedWebBuild(): Promise<string> {
  const lock = join(tmpdir(), 'anju-web-build.lock');
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than five minutes belongs to a build that died.
      try {
        if (Date.now() - statSync(lock).mtimeMs > 5 * 60_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        // gone meanwhile
      }
      if (Date.now() > deadline) throw new Error(`waited too long for the web build lock ${lock}`);
      await sleep(500);
    }
  }
  try {
    const index = join(WEB_DIST, 'index.html');
    const sources = Math.max(
      newest(join(ROOT, 'web', 'src')),
      statSync(join(ROOT, 'web', 'index.html')).mtimeMs,
    );
    if (!existsSync(index) || statSync(index).mtimeMs < sources) {
      const result = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-web.mjs')], {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 8 * 60_000,
        // Vitest sets NODE_ENV=test, which Vite would keep: the build would then be a development build
        // (bigger, and React/antd development warnings on the console). Always build for production.
        env: { ...process.env, NODE_ENV: 'production' },
      });
      if (result.status !== 0)
        throw new Error(`web build failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
    }
    const copy = mkdtempSync(join(tmpdir(), 'anju-web-dist-'));
    cpSync(WEB_DIST, copy, { recursive: true });
    return `${copy}/`;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------
// The harness

export interface StaffSpec {
  username: string;
  roles: StaffRole[];
  districtCode?: string | null;
}

export interface HarnessOptions {
  /** Names the screenshots: test-artifacts/browser/<name>-<screen>.png. */
  name: string;
  /** The first business date (default 2025-03-03). */
  businessDate?: string;
  /** The wall clock the server starts at (default the business date, 09:00 China time). */
  start?: string;
  /** Staff users to create besides `admin` (all with TEST_PASSWORD). Default: one of each role. */
  staff?: StaffSpec[];
}

export interface BrowserErrorRecord {
  kind: 'console' | 'pageerror' | 'requestfailed';
  text: string;
  url: string;
}

export interface BrowserHarness {
  /** The server under test (database, clock, SMS simulator, helpers to create people and log in). */
  t: TestApp;
  /** http://127.0.0.1:<port> */
  baseUrl: string;
  context: BrowserContext;
  /** Staff created at start (username → roles); all log in with TEST_PASSWORD. */
  staff: StaffSpec[];
  password: string;
  url(path: string): string;
  /** A new tab, watched for errors; viewport default 1280×900 (390×844 for a phone). */
  newPage(viewport?: { width: number; height: number }): Promise<Page>;
  /** Saves a full-page screenshot as test-artifacts/browser/<name>-<screen>.png and returns its path. */
  screenshot(page: Page, screen: string): Promise<string>;
  /** Lets console errors matching this through for the current test only (e.g. an expected 4xx). */
  allowErrors(pattern: RegExp): void;
  /** Errors seen so far in the current test (not yet allowed). */
  errors(): BrowserErrorRecord[];
  /** Throws when the current test has seen a console or page error; clears the record. */
  assertNoErrors(): void;
  /** Logs a staff user in through the API and puts the session where the console looks for it. */
  loginStaffInto(page: Page, username: string): Promise<string>;
  /**
   * Logs a depositor in through the portal's own login screen (ID number, password, the simulated
   * one-time code) and waits for their home screen greeting them by name.
   */
  loginDepositorThroughPortal(
    page: Page,
    depositor: { idNumber: string; password: string; name: string },
  ): Promise<void>;
  /** Whether Chinese text renders as real glyphs in this page (not tofu boxes). */
  checkChineseRenders(page: Page, sample?: string): Promise<ChineseRenderCheck>;
  close(): Promise<void>;
}

export interface ChineseRenderCheck {
  ok: boolean;
  /** How many of the sample's distinct characters drew distinct, non-empty pictures. */
  distinctGlyphs: number;
  sampleSize: number;
  /** Whether any sample character drew the same picture as an unassigned code point (tofu). */
  matchesTofu: boolean;
  /** Rendered width of the sample vs the same number of Latin "x" in the page's body font. */
  widthRatio: number;
}

/**
 * The few browser globals the page functions below use, typed here because the project's tsconfig (Node)
 * has no DOM library. Inside `page.evaluate`: `const w = globalThis as unknown as BrowserWindow`.
 */
export interface BrowserWindow {
  sessionStorage: { setItem(key: string, value: string): void; getItem(key: string): string | null };
  getComputedStyle(element: unknown): { fontFamily: string };
  document: {
    body: unknown;
    documentElement: { scrollWidth: number; clientWidth: number };
    fonts: { ready: Promise<unknown> };
    createElement(tag: 'canvas'): {
      width: number;
      height: number;
      getContext(
        kind: '2d',
        options?: { willReadFrequently?: boolean },
      ): {
        font: string;
        fillStyle: string;
        textBaseline: string;
        clearRect(x: number, y: number, w: number, h: number): void;
        fillText(text: string, x: number, y: number): void;
        getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> };
        measureText(text: string): { width: number };
      } | null;
    };
  };
}

const DEFAULT_STAFF: StaffSpec[] = [
  { username: 'teller1', roles: ['teller'] },
  { username: 'reviewer1', roles: ['reviewer'] },
  { username: 'finance1', roles: ['finance'] },
  { username: 'risk1', roles: ['risk'] },
  { username: 'manager1', roles: ['manager'] },
  { username: 'viewer1', roles: ['district_viewer'], districtCode: '150203' },
];

/** Starts the server and the browser (no vitest hooks); close() stops both. */
export async function startBrowserHarness(options: HarnessOptions): Promise<BrowserHarness> {
  const businessDate = options.businessDate ?? '2025-03-03';
  const webDir = await preparedWebBuild();
  const t = await createTestApp({ start: options.start ?? `${businessDate}T01:00:00Z`, webDir });
  let context: BrowserContext | undefined;
  const profile = mkdtempSync(join(tmpdir(), 'anju-chromium-'));
  try {
    await initializeBusinessDate(t.db, businessDate, { type: 'system', id: 'browser-test' });
    const staff = options.staff ?? DEFAULT_STAFF;
    for (const s of staff) await t.createStaff(s);
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const port = (t.app.server.address() as AddressInfo).port;
    const baseUrl = `http://127.0.0.1:${port}`;
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 900 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    context.setDefaultTimeout(20_000);
    const ctx = context;
    mkdirSync(ARTIFACTS, { recursive: true });

    let recorded: BrowserErrorRecord[] = [];
    let allowed: RegExp[] = [];
    const record = (entry: BrowserErrorRecord) => {
      if (allowed.some((p) => p.test(entry.text) || p.test(entry.url))) return;
      recorded.push(entry);
    };
    const watch = (page: Page) => {
      page.on('console', (msg) => {
        if (msg.type() !== 'error') return;
        const location = msg.location();
        record({ kind: 'console', text: msg.text(), url: location.url ?? page.url() });
      });
      page.on('pageerror', (error) => record({ kind: 'pageerror', text: String(error), url: page.url() }));
    };
    for (const page of ctx.pages()) watch(page);
    ctx.on('page', watch);

    const harness: BrowserHarness = {
      t,
      baseUrl,
      context: ctx,
      staff: [{ username: t.adminUsername, roles: ['admin'] }, ...staff],
      password: TEST_PASSWORD,
      url: (path) => `${baseUrl}${path.startsWith('/') ? path : `/${path}`}`,
      async newPage(viewport) {
        const page = await ctx.newPage();
        await page.setViewportSize(viewport ?? { width: 1280, height: 900 });
        return page;
      },
      async screenshot(page, screen) {
        const safe = screen.replace(/[^\w.-]+/g, '-');
        const path = join(ARTIFACTS, `${options.name}-${safe}.png`);
        await page.screenshot({ path, fullPage: true });
        return path;
      },
      allowErrors(pattern) {
        allowed.push(pattern);
      },
      errors: () => [...recorded],
      assertNoErrors() {
        const seen = recorded;
        recorded = [];
        allowed = [];
        if (seen.length)
          throw new Error(
            `the browser reported ${seen.length} error(s):\n` +
              seen.map((e) => `  [${e.kind}] ${e.text} (${e.url})`).join('\n'),
          );
      },
      async loginStaffInto(page, username) {
        const token = await t.loginStaff(username, TEST_PASSWORD, '127.0.0.1');
        const me = await t.inject({
          method: 'GET',
          url: '/api/v1/auth/me',
          headers: { authorization: `Bearer ${token}` },
        });
        if (page.url() === 'about:blank') await page.goto(`${baseUrl}/`);
        await page.evaluate(
          ([value]) =>
            (globalThis as unknown as BrowserWindow).sessionStorage.setItem(
              'anju.session.staff',
              value as string,
            ),
          [JSON.stringify({ token, user: me.json() as Record<string, unknown> })],
        );
        return token;
      },
      async loginDepositorThroughPortal(page, depositor) {
        await page.goto(`${baseUrl}/portal/login`);
        await page.getByLabel('证件号码').fill(depositor.idNumber);
        await page.getByLabel('密码').fill(depositor.password);
        await page.getByRole('button', { name: '下一步：获取验证码' }).click();
        const code = (await page.getByTestId('simulated-code').textContent()) ?? '';
        if (!/^\d{6}$/.test(code)) throw new Error(`the portal showed no one-time code (got "${code}")`);
        await page.getByLabel('短信验证码').fill(code);
        await page.getByRole('button', { name: '登录', exact: true }).click();
        await page.getByText(`${depositor.name}，您好`).waitFor();
      },
      checkChineseRenders: (page, sample) => checkChineseRenders(page, sample),
      async close() {
        await ctx.close().catch(() => undefined);
        await t.close();
        rmSync(profile, { recursive: true, force: true });
        rmSync(webDir, { recursive: true, force: true });
      },
    };
    return harness;
  } catch (error) {
    await context?.close().catch(() => undefined);
    await t.close();
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Registers beforeAll/afterEach/afterAll for a test file and returns a getter for the harness. afterEach
 * fails the test that produced any console error or page error.
 */
export function useBrowserHarness(options: HarnessOptions): () => BrowserHarness {
  let harness: BrowserHarness | undefined;
  if (!browserAvailable)
    return () => {
      throw new Error('no browser');
    };
  beforeAll(async () => {
    harness = await startBrowserHarness(options);
  }, 300_000);
  afterEach(() => {
    harness?.assertNoErrors();
  });
  afterAll(async () => {
    await harness?.close();
  });
  return () => {
    if (!harness) throw new Error('the browser harness has not started');
    return harness;
  };
}

/**
 * Draws each sample character, and one unassigned code point (which every font draws as tofu or
 * nothing), on a canvas in the page's body font and compares the pictures: real glyphs differ from one
 * another and from tofu; a missing CJK font makes them all the same box.
 */
export async function checkChineseRenders(
  page: Page,
  sample = '安居公积金缴存提取',
): Promise<ChineseRenderCheck> {
  return page.evaluate(async (text) => {
    const { document, getComputedStyle } = globalThis as unknown as BrowserWindow;
    await document.fonts.ready;
    const family = getComputedStyle(document.body).fontFamily || 'sans-serif';
    const font = `32px ${family}`;
    const canvas = document.createElement('canvas');
    canvas.width = 48;
    canvas.height = 48;
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error('no canvas');
    const picture = (ch: string) => {
      ctx.clearRect(0, 0, 48, 48);
      ctx.font = font;
      ctx.fillStyle = '#000';
      ctx.textBaseline = 'top';
      ctx.fillText(ch, 4, 4);
      const data = ctx.getImageData(0, 0, 48, 48).data;
      let hash = 0;
      let ink = 0;
      for (let i = 3; i < data.length; i += 4) {
        const alpha = data[i] ?? 0;
        if (alpha > 0) ink += 1;
        hash = (Math.imul(hash, 31) + alpha) | 0;
      }
      return ink === 0 ? 'empty' : String(hash);
    };
    const chars = [...new Set([...text])];
    const tofu = picture('\u0378');
    const pictures = chars.map(picture);
    const distinct = new Set(pictures.filter((p) => p !== 'empty'));
    const matchesTofu = pictures.includes(tofu) && tofu !== 'empty';
    ctx.font = font;
    const widthRatio = ctx.measureText(text).width / ctx.measureText('x'.repeat(chars.length)).width;
    return {
      ok: distinct.size === chars.length && !matchesTofu,
      distinctGlyphs: distinct.size,
      sampleSize: chars.length,
      matchesTofu,
      widthRatio,
    };
  }, sample);
}

/**
 * Picks `option` in the antd select labelled `label` and waits until the select shows it. On a loaded
 * machine a click can land while the dropdown is still opening (or under the sticky header), so a pick
 * that did not take is tried again, up to three times.
 */
export async function chooseOption(
  page: Page,
  label: string,
  option: string,
  search?: string,
): Promise<void> {
  const field = page.getByLabel(label, { exact: true });
  const select = field.locator(
    'xpath=ancestor::*[contains(concat(" ", normalize-space(@class), " "), " ant-select ")][1]',
  );
  for (let attempt = 1; ; attempt++) {
    try {
      await field.click({ timeout: 5_000 });
      if (search) await field.fill(search);
      await page
        .locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${option}"]`)
        .click({ timeout: 5_000 });
      await select.filter({ hasText: option }).waitFor({ timeout: 3_000 });
      return;
    } catch (error) {
      if (attempt >= 3) throw error;
      await page.keyboard.press('Escape');
    }
  }
}

/** A button's accessible name: antd puts a space between two Chinese characters ("查 询"). */
export const button = (text: string) => new RegExp(`${[...text].join('\\s*')}\\s*$`);
