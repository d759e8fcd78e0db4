// Journey 5, on the demo: the MFC's service owner opens a service's delivery chain from its
// page, adds a stage after the first in the editor (a refused save keeps what was typed),
// saves, and sees the new version with the new stage. The chain page and the editor, with
// and without errors, are checked with axe.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { bodyId, checkA11y, launchBrowser, navigateBy, newPage, shot, signIn, startDemo, text, visit } from './helpers.mjs';

const MFC = 'МФЦ городского округа (демо)';
const SERVICE = 'Рассмотрение обращений граждан';
const OWNER = 'owner@mfc.okno.example';

describe('a service owner edits a delivery chain', { timeout: 120_000 }, () => {
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

  test('adds a stage after the first and saves it as a new version', async () => {
    const mfc = await bodyId(page, MFC);
    await visit(page, `/offerings?body=${mfc}&q=${encodeURIComponent('обращений')}`);
    await navigateBy(page, page.getByRole('link', { name: SERVICE, exact: true }));
    await navigateBy(page, page.getByRole('link', { name: 'Цепочка оказания', exact: true }));
    const flow = page.locator('ol.chain-flow').first();
    assert.match(await text(flow), /Регистрация обращения/);
    const before = Number(await text(page.locator('p.meta strong')));
    assert.ok(before >= 1, 'the page names the current version');
    const stagesBefore = await flow.locator(':scope > li').count();
    await checkA11y(page, 'chain page');
    await shot(page, 'chain-page');

    await navigateBy(page, page.getByRole('link', { name: 'Изменить', exact: true }));
    assert.match(await text(page.locator('main')), new RegExp(`Сохранить как версию ${before + 1}`));
    await checkA11y(page, 'chain editor');

    // The button says which stage it adds after, for those who hear the page.
    await navigateBy(page, page.getByRole('button', { name: /^Добавить этап после этого — Этап 1:/ }));
    const added = page.getByRole('group', { name: 'Этап 2', exact: true });
    await added.getByLabel('Название этапа', { exact: true }).fill('Проверка полномочий представителя');
    await added.getByLabel('Сколько', { exact: true }).fill('2');

    // «What the client sees» is left empty: refused, and what was typed stays.
    const refused = await navigateBy(page, page.getByRole('button', { name: /^Сохранить как версию/ }).first());
    assert.equal(refused.status(), 422);
    const summary = page.locator('.error-summary');
    assert.match(await text(summary), /Вариант 1, этап 2 · Что видит заявитель на этом этапе: Заполните это поле/);
    await checkA11y(page, 'chain editor with errors');
    const href = await summary.getByRole('link').first().getAttribute('href');
    assert.equal(href, '#f-v0-s1-client_sees');
    assert.equal(await page.locator(href).count(), 1, 'the summary link reaches the field');
    const stage2 = page.getByRole('group', { name: 'Этап 2: Проверка полномочий представителя', exact: true });
    assert.equal(await stage2.getByLabel('Название этапа', { exact: true }).inputValue(), 'Проверка полномочий представителя');
    await stage2.getByLabel('Что видит заявитель на этом этапе', { exact: true }).fill('Проверяем доверенность представителя.');

    await navigateBy(page, page.getByRole('button', { name: /^Сохранить как версию/ }).first());
    assert.match(await text(page.locator('.notice')), new RegExp(`сохранена как версия ${before + 1}`));
    assert.equal(Number(await text(page.locator('p.meta strong'))), before + 1);
    const steps = page.locator('ol.chain-flow').first().locator(':scope > li');
    assert.equal(await steps.count(), stagesBefore + 1);
    assert.match(await text(steps.nth(1)), /Проверка полномочий представителя.*2 рабочих дня.*Проверяем доверенность представителя/);

    const resp = await page.request.get(page.url().replace(/\/chain\?.*$/, '/chain').replace('/offerings/', '/api/v1/offerings/'));
    const json = await resp.json();
    assert.equal(json.version, before + 1);
    assert.equal(json.chain.variants[0].stages[1].name, 'Проверка полномочий представителя');
    await shot(page, 'chain-saved');
  });
});
