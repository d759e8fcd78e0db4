// Journey 3, on the demo: the MFC body's catalogue goes out as CSV and comes back. A file
// with a bad row is refused whole, naming the row; a good file adds its new row.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import {
  assertNoScriptErrors,
  bodyId,
  checkA11y,
  launchBrowser,
  navigateBy,
  newPage,
  offerings,
  shot,
  signIn,
  startDemo,
  text,
  visit,
} from './helpers.mjs';

const MFC = 'МФЦ городского округа (демо)';
const NEW_NAME = 'Справка о составе семьи (импорт)';
const BAD_NAME = 'Справка, которой не будет';
const NO_SUCH_UNIT = 'Отдел, которого нет';

/** Parses RFC 4180 CSV (quotes, doubled quotes, line breaks inside quotes). */
function parseCsv(textIn) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < textIn.length; i++) {
    const c = textIn[i];
    if (quoted) {
      if (c === '"' && textIn[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && textIn[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

const csvCell = (s) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** One CSV line for `values` (title → value) in the order of `header`. */
function csvLine(header, values) {
  for (const k of Object.keys(values)) assert.ok(header.includes(k), `the export has a column «${k}»`);
  return header.map((h) => csvCell(values[h] ?? '')).join(',') + '\r\n';
}

describe('catalogue import and export on the demo', { timeout: 60_000 }, () => {
  let server;
  let browser;
  let page;
  let mfc;
  let exported; // the downloaded CSV, as text (BOM included)
  let header;
  let rowsBefore;

  before(async () => {
    server = await startDemo();
    browser = await launchBrowser();
    page = await newPage(browser, server.url);
    // Import and export are for those who edit the catalogue.
    await signIn(page);
    mfc = await bodyId(page, MFC);
    rowsBefore = (await offerings(page, mfc)).total;
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** Uploads a file through the form on the transfer page; returns the response. */
  async function upload(name, content, mimeType = 'text/csv') {
    await visit(page, `/transfer?body=${mfc}`);
    await page.getByLabel('Файл XLSX или CSV').setInputFiles({ name, mimeType, buffer: Buffer.from(content, 'utf8') });
    return navigateBy(page, page.getByRole('button', { name: 'Загрузить' }));
  }

  test('the page of the MFC body offers the CSV, which has the header row', async () => {
    await visit(page, `/bodies/${mfc}`);
    await navigateBy(page, page.locator('ul.tiles').getByRole('link', { name: 'Импорт и экспорт каталога' }));
    assert.equal(new URL(page.url()).pathname, '/transfer');
    assert.equal(new URL(page.url()).searchParams.get('body'), mfc);
    assert.equal(await text(page.locator('h1')), `Импорт и экспорт каталога ${MFC}`);
    await checkA11y(page, 'transfer');
    await shot(page, 'transfer');

    const link = page.getByRole('link', { name: 'Текстовая таблица (CSV)' });
    assert.equal(await link.getAttribute('href'), `/bodies/${mfc}/catalogue.csv`);
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    assert.equal(download.suggestedFilename(), 'catalogue.csv');
    exported = await readFile(await download.path(), 'utf8');
    assert.ok(exported.startsWith('\uFEFF'), 'a BOM, so that Excel shows Cyrillic');
    const rows = parseCsv(exported.slice(1));
    header = rows[0];
    assert.ok(header.includes('Название'), `the header row has «Название»: ${header.join(', ')}`);
    for (const title of ['ID', 'Вид', 'Тип', 'Подразделение', 'Клиенты']) assert.ok(header.includes(title), `column «${title}»`);
    assert.equal(rows.length - 1, rowsBefore, 'one row per offering');
    const names = rows.slice(1).map((r) => r[header.indexOf('Название')]);
    assert.ok(names.includes('Выписка из реестра муниципального имущества'), names.join('; '));

    // The XLSX link answers too.
    const xlsx = await page.request.get(`/bodies/${mfc}/catalogue.xlsx`);
    assert.equal(xlsx.status(), 200);
    assert.match(xlsx.headers()['content-type'], /spreadsheetml/);
  });

  test('uploading without a file, or a file of another type, is refused with a message', async () => {
    await visit(page, `/transfer?body=${mfc}`);
    const none = await navigateBy(page, page.getByRole('button', { name: 'Загрузить' }));
    assert.equal(none.status(), 422);
    assert.equal(await text(page.locator('.error-summary a[href="#f-file"]')), 'Выберите файл');

    const txt = await upload('catalogue.txt', 'Название\nЧто-то\n', 'text/plain');
    assert.equal(txt.status(), 422);
    assert.equal(await text(page.locator('.error-summary a[href="#f-file"]')), 'Загрузите файл XLSX или CSV');
    assert.equal((await offerings(page, mfc)).total, rowsBefore);
  });

  test('a file with an unknown unit in one row is refused whole, naming the row', async () => {
    assert.ok(header, 'the export was downloaded');
    const badRow = rowsBefore + 2; // the header is row 1
    const file =
      exported +
      csvLine(header, { Название: BAD_NAME, Вид: 'продукт', Тип: 'документ', Статус: 'черновик', Подразделение: NO_SUCH_UNIT });
    const resp = await upload('catalogue.csv', file);
    assert.equal(resp.status(), 422, 'a refused file answers 422');
    const summary = page.locator('.error-summary');
    assert.ok(await summary.isVisible());
    assert.equal(await text(summary.locator('h2')), 'Исправьте ошибки');
    const items = (await summary.locator('li').allInnerTexts()).map((s) => s.trim());
    assert.equal(items.length, 1, `one problem: ${items.join(' | ')}`);
    assert.ok(items[0].startsWith(`Строка ${badRow}`), `the problem names row ${badRow}: «${items[0]}»`);
    assert.ok(items[0].includes(NO_SUCH_UNIT), `the problem names the unknown unit: «${items[0]}»`);
    assert.equal(await summary.locator('a').first().getAttribute('href'), '#f-file');
    assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('error-summary')), true);
    await checkA11y(page, 'transfer with an error');
    await shot(page, 'transfer-error');

    // Nothing was written: not the bad row, not the good ones.
    const after = await offerings(page, mfc);
    assert.equal(after.total, rowsBefore);
    assert.ok(!after.items.some((o) => o.name === BAD_NAME));
    await visit(page, `/offerings?body=${mfc}`);
    assert.equal(Number(await text(page.locator('p.count strong'))), rowsBefore);

    // The message is in the page's language and names the column by the title the file
    // has («Подразделение»), not by an internal code: checked last, so that the checks
    // above still run while this fails.
    assert.ok(items[0].includes('Подразделение'), `the column is named as in the file: «${items[0]}»`);
    const outsideQuotes = items[0].replace(/«[^»]*»/g, '');
    assert.doesNotMatch(outsideQuotes, /[A-Za-z]/, `the message is in Russian: «${items[0]}»`);
  });

  test('a valid file that adds one row: «добавлено 1», and the new offering is in the catalogue', async () => {
    assert.ok(header, 'the export was downloaded');
    const rows = parseCsv(exported.slice(1));
    const unit = rows[1][header.indexOf('Подразделение')];
    const file =
      exported +
      csvLine(header, {
        Название: NEW_NAME,
        Вид: 'продукт',
        Тип: 'документ',
        Статус: 'опубликовано',
        Подразделение: unit,
        Описание: 'Справка для получения льгот',
        Клиенты: 'Граждане: подтверждают состав семьи',
        'Плата, ₽': '0',
      });
    const resp = await upload('catalogue.csv', file);
    assert.equal(resp.status(), 200);
    assert.equal(await page.locator('.error-summary').count(), 0);
    const notice = await text(page.locator('.notice'));
    assert.match(notice, /добавлено 1(?!\d)/, `the page reports one added: «${notice}»`);
    assert.equal(notice, `Загружено: добавлено 1, обновлено ${rowsBefore}.`);
    await checkA11y(page, 'transfer done');
    await shot(page, 'transfer-done');

    await visit(page, `/offerings?body=${mfc}`);
    assert.equal(Number(await text(page.locator('p.count strong'))), rowsBefore + 1);
    await page.getByLabel('Поиск по названию и описанию').fill('составе семьи');
    await navigateBy(page, page.getByRole('button', { name: 'Показать' }));
    await navigateBy(page, page.getByRole('link', { name: NEW_NAME, exact: true }));
    assert.equal(await text(page.locator('h1')), NEW_NAME);
    assert.equal(await text(page.locator('main .caption').first()), 'Продукт · Документ');
    assert.match(await text(page.locator('h2:text-is("Кто клиенты") + h3 + dl')), /Граждане подтверждают состав семьи/);
    assertNoScriptErrors(page);
  });
});
