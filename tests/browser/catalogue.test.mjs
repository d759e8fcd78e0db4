// Journey 1, on the demo: a visitor finds a body, reads its catalogue, filters and
// searches it, opens an offering, switches language and low-vision mode, reads the client
// map and compares it with the JSON API; then the catalogue on a phone.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
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

const AUDIT = 'Контрольно-счётная палата (демо)';
const MFC = 'МФЦ городского округа (демо)';
const SEARCHED = 'Обработка данных по запросу инспекции';

describe('catalogue on the demo', { timeout: 60_000 }, () => {
  let server;
  let browser;
  let page;
  let audit;

  before(async () => {
    server = await startDemo();
    browser = await launchBrowser();
    page = await newPage(browser, server.url);
    // As the demo's administrator: drafts are in the catalogue, and the audit trail opens.
    await signIn(page);
    audit = await bodyId(page, AUDIT);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('the home page lists the two demo bodies', async () => {
    await visit(page, '/');
    assert.equal(await page.locator('html').getAttribute('lang'), 'ru');
    assert.equal(await page.locator('h1').count(), 1, 'one h1 per page');
    assert.equal(await text(page.locator('h1')), 'Продукты и услуги органа и их клиенты');
    const names = await page.locator('ul.cards li.card h3').allInnerTexts();
    assert.deepEqual(names.map((n) => n.trim()).sort(), [AUDIT, MFC].sort());
    // Each card says how many products and services the body has.
    const auditCard = page.locator('li.card', { hasText: AUDIT });
    assert.match(await text(auditCard.locator('p.meta')), /^16 продуктов и услуг$/);
    // The skip link leads to the main content.
    assert.equal(await page.locator('a.skip-link').getAttribute('href'), '#main');
    assert.equal(await page.locator('main#main').count(), 1);
    // It is the first thing the keyboard reaches, and it shows itself then.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.className), 'skip-link');
    const box = await page.locator('a.skip-link').boundingBox();
    assert.ok(box && box.x >= 0 && box.y >= 0, 'the focused skip link is on screen');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'main', 'Enter moves the focus to the main content');
    await checkA11y(page, 'home');
    await shot(page, 'home');
  });

  test('the catalogue of the audit body: filter by kind, search, no pagination for 16 items', async () => {
    await visit(page, '/');
    const card = page.locator('li.card', { hasText: AUDIT });
    await navigateBy(page, card.getByRole('link', { name: 'Каталог', exact: true }));
    assert.equal(new URL(page.url()).pathname, '/offerings');
    assert.equal(new URL(page.url()).searchParams.get('body'), audit);
    assert.match(await text(page.locator('h1')), /^Каталог продуктов и услуг/);
    assert.equal(await text(page.locator('h1 .caption')), AUDIT);
    assert.equal(await text(page.locator('nav.breadcrumbs')), `Главная ${AUDIT}`);

    const rows = page.locator('div.results table tbody tr');
    const allCount = Number(await text(page.locator('p.count strong')));
    assert.equal(allCount, 16);
    assert.equal(await rows.count(), 16);
    // 16 items fit on one page of 20: no pagination.
    assert.equal(await page.locator('nav.pagination').count(), 0, 'no pagination for 16 items');
    await checkA11y(page, 'catalogue');
    await shot(page, 'catalogue');

    // Filter: only services.
    await page.getByLabel('Продукт или услуга').selectOption({ label: 'Услуга' });
    await navigateBy(page, page.getByRole('button', { name: 'Показать' }));
    assert.equal(new URL(page.url()).searchParams.get('kind'), 'service');
    assert.equal(await page.getByLabel('Продукт или услуга').inputValue(), 'service', 'the filter stays chosen');
    const serviceCount = Number(await text(page.locator('p.count strong')));
    assert.ok(serviceCount > 0 && serviceCount < allCount, `the count changes: ${allCount} → ${serviceCount}`);
    assert.equal(await rows.count(), serviceCount);
    const kinds = await page.locator('div.results table tbody tr td:nth-child(2)').allInnerTexts();
    for (const k of kinds) assert.match(k.trim(), /^Услуга: /, `every row is a service: «${k}»`);
    const api = await offerings(page, audit, '&kind=service');
    assert.equal(api.total, serviceCount, 'the page and the API agree');
    await checkA11y(page, 'catalogue filtered by kind');

    // Search, from a clean slate.
    await navigateBy(page, page.getByRole('link', { name: 'Сбросить фильтры' }));
    assert.equal(Number(await text(page.locator('p.count strong'))), allCount);
    await page.getByLabel('Поиск по названию и описанию').fill('данных');
    await navigateBy(page, page.getByRole('button', { name: 'Показать' }));
    assert.equal(new URL(page.url()).searchParams.get('q'), 'данных');
    const found = (await page.locator('div.results table tbody tr td:first-child').allInnerTexts()).map((s) => s.trim());
    assert.ok(found.includes(SEARCHED), `«${SEARCHED}» is found: ${found.join('; ')}`);
    assert.ok(found.length < allCount, 'the search narrows the list');
    assert.equal(Number(await text(page.locator('p.count strong'))), found.length);

    // A search that finds nothing says what to do next.
    await page.getByLabel('Поиск по названию и описанию').fill('абракадабра-нет-такого');
    await navigateBy(page, page.getByRole('button', { name: 'Показать' }));
    assert.equal(Number(await text(page.locator('p.count strong'))), 0);
    assert.match(await text(page.locator('p.empty')), /Ничего не найдено/);
    assertNoScriptErrors(page);
  });

  test('an offering page shows its clients and what the service hands over', async () => {
    await visit(page, `/offerings?body=${audit}&q=${encodeURIComponent('данных')}`);
    await navigateBy(page, page.getByRole('link', { name: SEARCHED, exact: true }));
    assert.match(new URL(page.url()).pathname, /^\/offerings\/[0-9a-f-]{36}$/);
    assert.equal(await text(page.locator('h1')), SEARCHED);
    assert.match(await text(page.locator('main .caption').first()), /^Услуга · /);
    const h2s = (await page.locator('main h2').allInnerTexts()).map((s) => s.trim());
    assert.ok(h2s.includes('Кто клиенты'), `h2 «Кто клиенты» in ${h2s.join(' | ')}`);
    assert.ok(h2s.includes('Материальный результат услуги'), `h2 «Материальный результат услуги» in ${h2s.join(' | ')}`);

    const id = new URL(page.url()).pathname.split('/').pop();
    const json = await (await page.request.get(`/api/v1/offerings/${id}`)).json();
    assert.ok(json.segments.length > 0, 'the demo service has clients');
    const clients = (await page.locator('main dl.summary-list').first().locator('dt').allInnerTexts()).map((s) => s.trim());
    assert.deepEqual(clients.sort(), json.segments.map((s) => s.name).sort(), 'every client segment is listed');
    const outputs = page.locator('h2:text-is("Материальный результат услуги") + p + ul li');
    if (json.outputs.length === 0) {
      assert.match(await text(page.locator('h2:text-is("Материальный результат услуги") + p')), /^Только услуга/);
    } else {
      assert.equal(await text(page.locator('h2:text-is("Материальный результат услуги") + p')), 'Клиент получает продукт:');
      assert.equal(await outputs.count(), json.outputs.length);
      assert.match(await text(outputs.first()), new RegExp(`^${json.outputs[0].name}`));
    }
    // Dates read as «12 марта 2026».
    const updated = await text(page.locator('h2:text-is("Сведения") + dl div:has(> dt:text-is("Изменено")) dd'));
    assert.match(updated, /^\d{1,2} (января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря) \d{4} · Версия \d+$/);
    await checkA11y(page, 'offering');
    await shot(page, 'offering');

    // A service without a material product says so.
    const services = (await offerings(page, audit, '&kind=service')).items;
    const onlyService = services.find((s) => s.outputs.length === 0);
    assert.ok(onlyService, 'the demo has a service without outputs');
    await visit(page, `/offerings/${onlyService.id}`);
    assert.equal(
      await text(page.locator('h2:text-is("Материальный результат услуги") + p')),
      'Только услуга: материального продукта клиент не получает.',
    );

    // A product handed over by a service links back to it.
    const withOutput = services.find((s) => s.outputs.length > 0);
    assert.ok(withOutput, 'the demo has a service with an output');
    await visit(page, `/offerings/${withOutput.id}`);
    await navigateBy(page, page.locator('h2:text-is("Материальный результат услуги") + p + ul').getByRole('link').first());
    assert.match(await text(page.locator('main .caption').first()), /^Продукт · /);
    const providers = (await page.locator('h2:text-is("Выдаётся в результате услуг") + ul li').allInnerTexts()).map((s) => s.trim());
    assert.ok(providers.includes(withOutput.name), `«${withOutput.name}» in ${providers.join('; ')}`);
    await checkA11y(page, 'product handed over by a service');
  });

  test('the language switch changes html[lang] and the texts, and back', async () => {
    await visit(page, `/offerings?body=${audit}`);
    await navigateBy(page, page.locator('.header-tools').getByRole('link', { name: 'English' }));
    assert.equal(new URL(page.url()).pathname, '/offerings', 'back on the same page');
    assert.equal(new URL(page.url()).searchParams.get('body'), audit);
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    assert.match(await text(page.locator('h1')), /^Catalogue of products and services/);
    assert.equal(await text(page.locator('p.count')), 'Found: 16');
    await checkA11y(page, 'catalogue in English');
    await shot(page, 'catalogue-en');
    await navigateBy(page, page.locator('.header-tools').getByRole('link', { name: 'Русский' }));
    assert.equal(await page.locator('html').getAttribute('lang'), 'ru');
    assert.match(await text(page.locator('h1')), /^Каталог продуктов и услуг/);
  });

  test('the low-vision link adds class lowvision on body, and the standard view removes it', async () => {
    await visit(page, `/offerings?body=${audit}`);
    assert.equal(await page.locator('body.lowvision').count(), 0);
    await navigateBy(page, page.getByRole('link', { name: 'Версия для слабовидящих' }));
    assert.equal(await page.locator('body.lowvision').count(), 1);
    assert.equal(new URL(page.url()).pathname, '/offerings');
    // Large type: the base font is bigger than in the standard view.
    const size = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
    assert.ok(size >= 24, `large type in low-vision mode: ${size}px`);
    await checkA11y(page, 'catalogue in low-vision mode');
    await shot(page, 'catalogue-lowvision');
    await navigateBy(page, page.getByRole('link', { name: 'Обычная версия' }));
    assert.equal(await page.locator('body.lowvision').count(), 0);
  });

  test('in low-vision mode no text is smaller than the standard view’s body text', async () => {
    await visit(page, `/offerings?body=${audit}`);
    const standard = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
    const small = [];
    await visit(page, '/settings?view=lowvision&back=/');
    try {
      for (const path of ['/', `/offerings?body=${audit}`, `/client-map?body=${audit}`]) {
        await visit(page, path);
        const found = await page.evaluate((min) => {
          const out = new Set();
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          while (walker.nextNode()) {
            const el = walker.currentNode.parentElement;
            if (!walker.currentNode.textContent.trim() || el.closest('svg, .visually-hidden, .skip-link')) continue;
            if (!el.getBoundingClientRect().width) continue;
            const size = parseFloat(getComputedStyle(el).fontSize);
            if (size < min) out.add(`«${walker.currentNode.textContent.trim().slice(0, 30)}» (${el.tagName.toLowerCase()}${el.className ? '.' + String(el.className).replace(/ /g, '.') : ''}) ${size}px`);
          }
          return [...out];
        }, standard);
        small.push(...found.map((f) => `${path}: ${f}`));
      }
    } finally {
      await visit(page, '/settings?view=normal&back=/');
    }
    assert.equal(small.length, 0, `low-vision mode leaves text smaller than ${standard}px:\n${small.join('\n')}`);
  });

  test('the audit trail lists the demo’s changes, shows before and after, and says the chain is intact', async () => {
    // Anonymous visitors are sent to sign in; an administrator sees the trail.
    const anonymous = await newPage(browser, server.url);
    await visit(anonymous, '/audit?entity=offering');
    assert.equal(new URL(anonymous.url()).pathname, '/login');
    await anonymous.context().close();
    await auditTrail(page);
  });

  async function auditTrail(page) {
    await visit(page, '/audit?entity=offering');
    assert.equal(await text(page.locator('h1')), 'Журнал изменений');
    assert.match(await text(page.locator('.notice')), /Цепочка записей не нарушена/);
    const rows = page.locator('main table tbody tr');
    assert.ok((await rows.count()) > 0, 'entries are listed');
    await rows.first().locator('summary').click();
    assert.ok(await rows.first().locator('pre.json').first().isVisible(), 'the change opens in place');
    await checkA11y(page, 'audit');
    await shot(page, 'audit');
  }

  test('the sign-in page is reachable from the header and accessible', async () => {
    const anonymous = await newPage(browser, server.url);
    await visit(anonymous, '/');
    await navigateBy(anonymous, anonymous.locator('.header-tools').getByRole('link', { name: 'Войти' }));
    assert.equal(new URL(anonymous.url()).pathname, '/login');
    assert.equal(await text(anonymous.locator('h1')), 'Войти');
    await checkA11y(anonymous, 'login');
    await anonymous.context().close();
  });

  test('the client map: diagram, three tables, and the same data as JSON', async () => {
    await visit(page, `/bodies/${audit}`);
    await navigateBy(page, page.locator('ul.tiles').getByRole('link', { name: 'Карта клиентов' }));
    assert.equal(new URL(page.url()).pathname, '/client-map');
    assert.equal(await text(page.locator('h1')), `Карта клиентов ${AUDIT}`);
    const svg = page.locator('main svg[role="group"]');
    assert.equal(await svg.count(), 1, 'the diagram is an svg with role img');
    assert.ok(await svg.isVisible());
    assert.equal(await svg.getAttribute('aria-labelledby'), 'map-svg-title');
    assert.equal((await page.locator('#map-svg-title').textContent()).trim(), 'Схема: подразделения, продукты и услуги, клиенты');
    const h2s = (await page.locator('main h2').allInnerTexts()).map((s) => s.trim());
    for (const h of ['По продуктам и услугам', 'По категориям клиентов', 'По подразделениям']) {
      assert.ok(h2s.includes(h), `h2 «${h}» in ${h2s.join(' | ')}`);
    }
    const byOffering = page.locator('h2:text-is("По продуктам и услугам") + table tbody tr');
    const rows = await byOffering.count();
    assert.equal(await page.locator('h2:text-is("По категориям клиентов") ~ table').count() >= 2, true);
    assert.ok((await page.locator('h2:text-is("По подразделениям") + table tbody tr').count()) > 0);

    const link = page.getByRole('link', { name: 'Те же данные в JSON' });
    const href = await link.getAttribute('href');
    assert.equal(href, `/api/v1/client-map?body=${audit}`);
    const resp = await page.request.get(href);
    assert.equal(resp.status(), 200);
    assert.match(resp.headers()['content-type'], /^application\/json/);
    const map = await resp.json();
    assert.equal(map.offerings.length, rows, 'one table row per offering in the JSON');
    const rowNames = (await byOffering.locator('td:first-child').allInnerTexts()).map((s) => s.trim());
    assert.deepEqual(rowNames.sort(), map.offerings.map((o) => o.name).sort());
    await shot(page, 'client-map');
    await checkA11y(page, 'client map');
  });

  test('the client map in low-vision mode', async () => {
    await visit(page, `/client-map?body=${audit}`);
    await navigateBy(page, page.getByRole('link', { name: 'Версия для слабовидящих' }));
    try {
      assert.equal(await page.locator('body.lowvision').count(), 1);
      assert.equal(await page.locator('main svg[role="group"]').count(), 1);
      await shot(page, 'client-map-lowvision');
      await checkA11y(page, 'client map in low-vision mode');
    } finally {
      await visit(page, '/settings?view=normal&back=/');
    }
  });

  test('the catalogue and the client map never make the page scroll sideways', async () => {
    const sizes = [1280, 1024, 800];
    try {
      for (const width of sizes) {
        await page.setViewportSize({ width, height: 900 });
        for (const path of [`/offerings?body=${audit}`, `/client-map?body=${audit}`]) {
          await visit(page, path);
          const { scrollWidth, clientWidth } = await page.evaluate(() => ({
            scrollWidth: document.documentElement.scrollWidth,
            clientWidth: document.documentElement.clientWidth,
          }));
          assert.ok(scrollWidth <= clientWidth, `${path} at ${width} px scrolls sideways: ${scrollWidth} > ${clientWidth}`);
        }
      }
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  test('on a desktop the catalogue table shows every column without scrolling, in both views', async () => {
    const hidden = [];
    try {
      for (const view of ['normal', 'lowvision']) {
        await visit(page, `/settings?view=${view}&back=/`);
        for (const width of [1600, 1280, 1024]) {
          await page.setViewportSize({ width, height: 900 });
          await visit(page, `/offerings?body=${audit}`);
          const cut = await page.locator('div.results').evaluate((el) => el.scrollWidth - el.clientWidth);
          if (cut > 0) hidden.push(`${view} view at ${width} px: ${cut} px of the table hidden behind a scroll`);
        }
      }
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
      await visit(page, '/settings?view=normal&back=/');
    }
    assert.equal(hidden.length, 0, `the «Статус» column is cut off:\n${hidden.join('\n')}`);
  });

  test('the catalogue on a 390 px wide phone', async () => {
    const phone = await newPage(browser, server.url, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    try {
      await visit(phone, `/offerings?body=${audit}`);
      // Not signed in: the public sees the 15 published, not the draft.
      assert.equal(await phone.locator('div.results table tbody tr').count(), 15);
      // Tables turn into stacked cards: the header row is moved off screen and every cell
      // carries its column's name.
      const theadLeft = await phone.locator('div.results table thead').evaluate((el) => el.getBoundingClientRect().right);
      assert.ok(theadLeft < 0, 'the header row is off screen on a phone');
      const firstCell = phone.locator('div.results table tbody tr').first().locator('td').nth(1);
      const before = await firstCell.evaluate((el) => getComputedStyle(el, '::before').content);
      assert.match(before, /Тип или вид/);
      // Nothing makes the page scroll sideways.
      const { scrollWidth, innerWidth } = await phone.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth: window.innerWidth,
      }));
      assert.ok(scrollWidth <= innerWidth, `no horizontal scrolling on a phone: ${scrollWidth} > ${innerWidth}`);
      await checkA11y(phone, 'catalogue on a phone');
      await shot(phone, 'catalogue-phone');
    } finally {
      await phone.context().close();
    }
  });

  // Last, because it adds offerings to the demo: past 20 items the list is paginated,
  // and the page links keep the filters.
  test('past 20 items the catalogue is paginated and the page links keep the filters', async () => {
    const units = await (await page.request.get(`/api/v1/units?body=${audit}`)).json();
    // The session's requests carry its CSRF token, as a script on the page would.
    await visit(page, '/');
    const csrf = await page.locator('.header-tools input[name=_csrf]').getAttribute('value');
    // 8 demo products + 13 = 21: two pages even with the filter «Продукт».
    for (let i = 1; i <= 13; i++) {
      const resp = await page.request.post('/api/v1/offerings', {
        data: { body_id: audit, name: `Проверка страниц ${i}`, kind: 'product', product_type: 'document', owner_unit_id: units[0].id },
        headers: { 'x-csrf-token': csrf },
      });
      assert.equal(resp.status(), 201, await resp.text());
    }
    assert.equal((await offerings(page, audit)).total, 29);
    await visit(page, `/offerings?body=${audit}&kind=product`);
    const products = Number(await text(page.locator('p.count strong')));
    assert.ok(products > 20, `more than 20 products now: ${products}`);
    const rows = page.locator('div.results table tbody tr');
    assert.equal(await rows.count(), 20);
    const nav = page.locator('nav.pagination');
    assert.equal(await nav.getAttribute('aria-label'), 'Страницы');
    assert.equal(await text(nav.locator('span')), 'Страница 1 из 2');
    assert.equal(await nav.locator('a[rel="prev"]').count(), 0);
    const firstPage = await rows.locator('td:first-child').allInnerTexts();
    await navigateBy(page, nav.getByRole('link', { name: /Следующая/ }));
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('page'), '2');
    assert.equal(url.searchParams.get('kind'), 'product', 'the filter is kept');
    assert.equal(url.searchParams.get('body'), audit);
    assert.equal(await text(page.locator('nav.pagination span')), 'Страница 2 из 2');
    assert.equal(await rows.count(), products - 20);
    const secondPage = await rows.locator('td:first-child').allInnerTexts();
    assert.equal(secondPage.filter((n) => firstPage.includes(n)).length, 0, 'page 2 shows other items');
    await checkA11y(page, 'catalogue page 2');
    await navigateBy(page, page.locator('nav.pagination').getByRole('link', { name: /Предыдущая/ }));
    assert.equal(new URL(page.url()).searchParams.get('page'), '1');
    assert.equal(await rows.count(), 20);
  });
});
