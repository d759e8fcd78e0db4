// Journey 6, on the demo: the MFC's service owner opens «Показатели», goes from the worst
// services to one service's page with its chain drawn as a flow and its monthly trend,
// enters what the service cost (a refused amount keeps what was typed), and sees the cost
// per transaction; then anyone opens the public figures. Each page is checked with axe.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { bodyId, checkA11y, launchBrowser, navigateBy, newPage, shot, signIn, startDemo, text, visit } from './helpers.mjs';

const MFC = 'МФЦ городского округа (демо)';
const OWNER = 'owner@mfc.okno.example';

describe('a service owner reads the dashboards and enters costs', { timeout: 120_000 }, () => {
  let server;
  let browser;
  let page;

  before(async () => {
    server = await startDemo();
    browser = await launchBrowser();
    page = await newPage(browser, server.url);
    await signIn(page, OWNER);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('goes from the overview to a service flow and enters a cost', async () => {
    const mfc = await bodyId(page, MFC);
    await visit(page, `/analytics?body=${mfc}`);
    const main = page.locator('main');
    assert.match(await text(main), /Показатели обслуживания/);
    assert.match(await text(main), /Этапы, требующие внимания/);
    // The demo has a year of history: the overview has services with an index.
    const rows = page.locator('table', { has: page.locator('caption', { hasText: 'Услуги с заявками' }) }).locator('tbody tr');
    assert.ok((await rows.count()) >= 1, 'services with requests are listed');
    await checkA11y(page, 'body overview');
    await shot(page, 'dashboard-overview');

    await navigateBy(page, rows.first().getByRole('link').first());
    assert.equal(await page.locator('svg.flow-svg').count(), 1, 'the chain is drawn as a flow');
    assert.equal(await page.locator('svg.trend-svg').count(), 1, 'and the monthly trend');
    assert.ok((await page.locator('svg.flow-svg g.flow-stage').count()) >= 2, 'a box per stage');
    await checkA11y(page, 'offering dashboard');
    await shot(page, 'dashboard-offering');

    // A bad amount is refused and what was typed stays.
    const form = page.locator('form[action$="/costs"]');
    const today = new Date();
    const first = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 1));
    const next = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + 1, 1));
    const iso = (d) => d.toISOString().slice(0, 10);
    await form.getByLabel('Первый день').fill(iso(first));
    await form.getByLabel('День после последнего').fill(iso(next));
    await form.getByLabel('Сумма, ₽').fill('много');
    const refused = await navigateBy(page, form.getByRole('button', { name: 'Внести затраты' }));
    assert.equal(refused.status(), 422);
    assert.match(await text(page.locator('.error-summary')), /Укажите сумму в рублях/);
    assert.equal(await page.locator('form[action$="/costs"]').getByLabel('Первый день').inputValue(), iso(first));
    await checkA11y(page, 'cost form with errors');

    const again = page.locator('form[action$="/costs"]');
    await again.getByLabel('Сумма, ₽').fill('150 000');
    await again.getByLabel('Примечание').fill('Фонд оплаты труда отдела');
    await navigateBy(page, again.getByRole('button', { name: 'Внести затраты' }));
    assert.match(await text(page.locator('main')), /Фонд оплаты труда отдела/);
    assert.match(await text(page.locator('main')), /150 000,00 ₽|150000,00 ₽/);
  });

  test('anyone reads the public figures, without a sign-in', async () => {
    const anon = await newPage(browser, server.url);
    await visit(anon, '/transparency');
    assert.match(await text(anon.locator('main')), /Открытые показатели обслуживания/);
    assert.ok((await anon.locator('table').count()) >= 1, 'a table per body');
    await checkA11y(anon, 'transparency page');
    await shot(anon, 'transparency');
  });
});
