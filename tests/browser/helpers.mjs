// Shared helpers for Okno's browser tests: start a throwaway okno server, drive the
// system Chromium through playwright-core, check pages with axe-core, take screenshots.
//
// Environment:
//   OKNO_BIN             the okno binary (default <repo>/target/debug/okno)
//   OKNO_TEST_CHROMIUM   the Chromium executable (default /usr/bin/chromium)
//   OKNO_TEST_ARTIFACTS  where screenshots go (default <repo>/test-artifacts)
//
// No browser is ever downloaded: playwright-core only drives the Chromium given.

import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const HERE = path.dirname(fileURLToPath(import.meta.url));

/** The repository root (tests/browser/../..). */
export const REPO = path.resolve(HERE, '..', '..');
export const OKNO_BIN = process.env.OKNO_BIN || path.join(REPO, 'target', 'debug', 'okno');
export const CHROMIUM = process.env.OKNO_TEST_CHROMIUM || '/usr/bin/chromium';
export const ARTIFACTS = process.env.OKNO_TEST_ARTIFACTS || path.join(REPO, 'test-artifacts');
const AXE_PATH = require.resolve('axe-core/axe.min.js');

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

const READY = /Okno is serving on (http:\/\/[^\s]+)/;
const START_TIMEOUT_MS = 30_000;

/**
 * Starts `okno <mode> --data <fresh temp dir> --listen 127.0.0.1:0` and waits for the line
 * «Okno is serving on http://HOST:PORT». `mode` is `demo` (the two demo bodies) or `serve`
 * (an empty database). Returns { url, stop, log }: `stop()` sends SIGTERM, waits for the
 * process to end and removes the data directory.
 */
export async function startServer(mode = 'demo') {
  const data = await mkdtemp(path.join(tmpdir(), `okno-browser-${mode}-`));
  const child = spawn(OKNO_BIN, [mode, '--data', data, '--listen', '127.0.0.1:0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  const log = [];
  // 'exit', or 'error' alone when the binary cannot be started at all.
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', (err) => {
      log.push(`cannot start ${OKNO_BIN}: ${err.message}\n`);
      resolve({ code: null, signal: null, error: err });
    });
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => log.push(chunk));

  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`okno ${mode} did not say it was serving within ${START_TIMEOUT_MS} ms:\n${log.join('')}`));
    }, START_TIMEOUT_MS);
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      log.push(line + '\n');
      const m = READY.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(m[1].replace(/\/$/, ''));
      }
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`okno ${mode} (${OKNO_BIN}) exited early (code ${code}, signal ${signal}):\n${log.join('')}`));
    });
  }).catch(async (err) => {
    child.kill('SIGKILL');
    await rm(data, { recursive: true, force: true });
    throw err;
  });
  // Keep draining stdout so the server never blocks on a full pipe.
  child.stdout.resume();

  let stopped = false;
  async function stop() {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timeout = new Promise((resolve) => setTimeout(() => resolve('timeout'), 10_000));
      if ((await Promise.race([exited, timeout])) === 'timeout') {
        child.kill('SIGKILL');
        await exited;
      }
    }
    await rm(data, { recursive: true, force: true });
  }
  return { url, stop, log };
}

/** The demo's logins (`okno demo` prints them): one password for all. */
export const DEMO_PASSWORD = 'okno-demo-2026';
export const DEMO_ADMIN = 'admin@okno.example';

/** Signs in through the sign-in page, as a person would, and checks the header says so. */
export async function signIn(page, email = DEMO_ADMIN, password = DEMO_PASSWORD) {
  await visit(page, '/login');
  await page.getByLabel('Служебная почта', { exact: true }).fill(email);
  await page.getByLabel('Пароль', { exact: true }).fill(password);
  await navigateBy(page, page.locator('main').getByRole('button', { name: 'Войти' }));
  assert.equal((await page.locator('.signed-in').innerText()).trim(), email, 'the header names who is signed in');
}

/** The demo: two bodies with their catalogues. */
export const startDemo = () => startServer('demo');
/** `okno serve` on an empty database, for building a catalogue from scratch. */
export const startEmpty = () => startServer('serve');

/** Launches the system Chromium headless. */
export function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/**
 * A fresh context and page. `bypassCSP` lets axe-core be injected although the server's
 * CSP forbids foreign scripts. Script errors on the page are collected in `page.errors`.
 */
export async function newPage(browser, baseURL, options = {}) {
  const context = await browser.newContext({
    baseURL,
    bypassCSP: true,
    locale: 'ru-RU',
    viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
    ...options,
  });
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(20_000);
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (err) => page.errors.push(String(err)));
  return page;
}

/**
 * Opens `path` and checks the HTTP status (200 unless said otherwise). Returns the response.
 */
export async function visit(page, path, status = 200) {
  const resp = await page.goto(path, { waitUntil: 'load' });
  assert.ok(resp, `no response for ${path}`);
  assert.equal(resp.status(), status, `GET ${path}: HTTP ${resp.status()}`);
  return resp;
}

/**
 * Clicks something that navigates (a link or a form's submit button) and returns the
 * response of the page it lands on: after a redirect the final page's, on a refused form
 * the 422 itself.
 */
export async function navigateBy(page, locator) {
  const [resp] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), locator.click()]);
  assert.ok(resp, 'the click did not load a page');
  return resp;
}

const A11Y_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

/** Runs axe-core on the page; returns every violation (any impact). */
export async function runAxe(page) {
  const loaded = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!loaded) await page.addScriptTag({ path: AXE_PATH });
  return page.evaluate(
    (tags) => window.axe.run(document, { runOnly: tags, resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target.map(String), summary: n.failureSummary, html: n.html.slice(0, 300) })),
    }))),
    A11Y_TAGS,
  );
}

/** Formats violations for a failure message or a log. */
export function describeViolations(list) {
  return list
    .map((v) => `  [${v.impact}] ${v.id}: ${v.help}\n` + v.nodes.map((n) => `      ${n.target.join(' ')}`).join('\n'))
    .join('\n');
}

/**
 * Checks the page with axe-core (WCAG 2.1 A/AA and best practices) and fails listing the
 * serious and critical violations. Every violation found, milder ones too, is written to
 * <artifacts>/axe/<name>.json for a closer look.
 */
export async function checkA11y(page, name) {
  const violations = await runAxe(page);
  if (violations.length > 0) {
    await mkdir(path.join(ARTIFACTS, 'axe'), { recursive: true });
    await writeFile(
      path.join(ARTIFACTS, 'axe', `${safeName(name)}.json`),
      JSON.stringify({ url: page.url(), violations }, null, 2),
    );
  }
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.equal(
    bad.length,
    0,
    `axe-core found ${bad.length} serious or critical accessibility violation(s) on «${name}» (${page.url()}):\n${describeViolations(bad)}`,
  );
  return violations;
}

function safeName(name) {
  return name.replace(/[^\p{L}\p{N}._-]+/gu, '-');
}

/** Saves a full-page PNG to <artifacts>/<name>.png and returns its path. */
export async function shot(page, name) {
  await mkdir(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${safeName(name)}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** The visible text of a locator, whitespace collapsed. */
export async function text(locator) {
  return (await locator.innerText()).replace(/\s+/g, ' ').trim();
}

/** A body's id from the JSON API, by exact name. */
export async function bodyId(page, name) {
  const resp = await page.request.get('/api/v1/bodies');
  assert.equal(resp.status(), 200);
  const bodies = await resp.json();
  const b = bodies.find((x) => x.name === name);
  assert.ok(b, `no body named «${name}» among ${bodies.map((x) => x.name).join(', ')}`);
  return b.id;
}

/** The JSON list of a body's offerings (first page of 100). */
export async function offerings(page, body, query = '') {
  const resp = await page.request.get(`/api/v1/offerings?body=${body}&per_page=100${query}`);
  assert.equal(resp.status(), 200);
  return resp.json();
}

/** Fails if the page logged script errors since it was opened. */
export function assertNoScriptErrors(page) {
  assert.deepEqual(page.errors, [], `script errors on the page:\n${page.errors.join('\n')}`);
}
