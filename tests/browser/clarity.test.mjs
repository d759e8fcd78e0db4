// The plain-language checker as a civil servant uses it: paste a reply, see the hard
// places marked in the text with what to write instead.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkA11y, launchBrowser, navigateBy, newPage, shot, startEmpty, text, visit } from './helpers.mjs';

const HEAVY =
  'В целях рассмотрения Вашего обращения было принято решение о проведении проверки в рамках установленного порядка.\n\n' +
  'Рассмотрев обращение, сообщаем, что в соответствии со ст. 12 Федерального закона № 59-ФЗ и ст. 5 Закона № 210-ФЗ ответ будет направлен.';

describe('checking a text for plain Russian', { timeout: 60_000 }, () => {
  let server;
  let browser;
  let page;

  before(async () => {
    server = await startEmpty();
    browser = await launchBrowser();
    page = await newPage(browser, server.url);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('a pasted reply comes back marked, with findings and a score', async () => {
    await visit(page, '/');
    await navigateBy(page, page.locator('nav.site-nav').getByRole('link', { name: 'Проверка текста' }));
    assert.equal(await text(page.locator('h1')), 'Проверка текста на понятность');
    await page.getByLabel('Текст', { exact: true }).fill(HEAVY);
    await navigateBy(page, page.getByRole('button', { name: 'Проверить' }));
    assert.match(await text(page.locator('#cl-score')), /^Понятность: \d+\.\d из 10$/);
    const marks = page.locator('.marked-text mark');
    assert.ok((await marks.count()) >= 3, 'several places are marked');
    assert.ok((await marks.allInnerTexts()).includes('В целях'), 'the denominal preposition is marked where it stands');
    // A number beside the mark leads to the finding, which says what to write instead.
    await page.locator('.marked-text sup a').first().click();
    assert.equal(new URL(page.url()).hash, '#f-1');
    const first = page.locator('ol.findings li#f-1');
    assert.ok((await text(first)).length > 20, 'the finding explains itself');
    // The text stays in the box, to edit and check again.
    assert.equal(await page.getByLabel('Текст', { exact: true }).inputValue(), HEAVY);
    await checkA11y(page, 'clarity');
    await shot(page, 'clarity');
  });

  test('an empty form is refused with a message beside the field', async () => {
    await visit(page, '/clarity');
    const resp = await navigateBy(page, page.getByRole('button', { name: 'Проверить' }));
    assert.equal(resp.status(), 422);
    assert.match(await text(page.locator('.error-summary')), /Заполните это поле/);
  });
});
