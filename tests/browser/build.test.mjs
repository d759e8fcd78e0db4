// Journey 2, on an empty database (`okno serve`): build a body's catalogue from scratch
// through the forms only — body, unit, employee, client segment, a product, a service
// that hands the product over — with refused input shown GOV.UK style; then edit the
// service, delete the product and see the service become «only a service».

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertNoScriptErrors,
  checkA11y,
  launchBrowser,
  navigateBy,
  newPage,
  offerings,
  shot,
  startEmpty,
  text,
  visit,
} from './helpers.mjs';

const BODY = 'Управление цифрового развития (тест)';
const BODY_SHORT = 'УЦР';
const UNIT = 'Отдел цифровых сервисов';
const EMPLOYEE = 'Соколова Анна Петровна';
const NEW_SEGMENT = 'Жители микрорайона';
const PRODUCT = 'Справка о подключении к городскому Wi-Fi';
const SERVICE = 'Подключение к городскому Wi-Fi';
const SERVICE_RENAMED = 'Подключение жилого дома к городскому Wi-Fi';

/** The `id` in /things/{id} of the current page. */
const idFromUrl = (page) => new URL(page.url()).pathname.split('/')[2];

/** The hrefs of the error summary's links. */
const summaryLinks = (page) => page.locator('.error-summary ul a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));

describe('building a catalogue from scratch', { timeout: 60_000 }, () => {
  let server;
  let browser;
  let page;
  // Filled in as the journey goes.
  const ids = {};

  before(async () => {
    server = await startEmpty();
    browser = await launchBrowser();
    page = await newPage(browser, server.url);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('the empty home page says what to do next', async () => {
    await visit(page, '/');
    assert.match(await text(page.locator('p.empty')), /^Органов пока нет\. Добавьте первый орган/);
    assert.equal(await page.locator('ul.cards').count(), 0);
    await checkA11y(page, 'empty home');
    await shot(page, 'build-home-empty');
    // The other lists say so too instead of failing.
    for (const path of ['/offerings', '/client-map', '/segments', '/units', '/transfer']) {
      await visit(page, path);
      assert.match(await text(page.locator('p.empty')), /^Органов пока нет/, `${path} has an empty state`);
    }
  });

  test('a body: refused when the name is empty, then created', async () => {
    await visit(page, '/');
    await navigateBy(page, page.getByRole('link', { name: 'Добавить орган' }));
    assert.equal(new URL(page.url()).pathname, '/bodies/new');
    assert.equal(await text(page.locator('h1')), 'Новый орган');
    await checkA11y(page, 'new body form');

    // Submitted without a name: 422, an error summary linking to the field, input kept.
    await page.getByLabel('Краткое название').fill(BODY_SHORT);
    await page.getByLabel('Описание').fill('Тестовый орган для браузерных тестов');
    const refused = await navigateBy(page, page.getByRole('button', { name: 'Сохранить' }));
    assert.equal(refused.status(), 422, 'a refused form answers 422');
    const summary = page.locator('.error-summary');
    assert.ok(await summary.isVisible(), 'the error summary is shown');
    assert.equal(await text(summary.locator('h2')), 'Исправьте ошибки');
    assert.deepEqual(await summaryLinks(page), ['#f-name']);
    assert.equal(await text(summary.locator('a[href="#f-name"]')), 'Заполните это поле');
    // The message is beside the field too, and the field is marked invalid.
    assert.equal(await page.locator('#f-name').getAttribute('aria-invalid'), 'true');
    assert.match(await text(page.locator('#f-name-error')), /Заполните это поле/);
    assert.match(await page.locator('#f-name').getAttribute('aria-describedby'), /f-name-error/);
    // What was typed is kept.
    assert.equal(await page.getByLabel('Краткое название').inputValue(), BODY_SHORT);
    assert.equal(await page.getByLabel('Описание').inputValue(), 'Тестовый орган для браузерных тестов');
    // The summary takes the focus, and its link moves the focus to the field.
    assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('error-summary')), true);
    await summary.locator('a[href="#f-name"]').click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'f-name');
    await checkA11y(page, 'new body form with an error');
    await shot(page, 'build-body-error');

    await page.getByLabel('Название', { exact: true }).fill(BODY);
    await navigateBy(page, page.getByRole('button', { name: 'Сохранить' }));
    assert.match(new URL(page.url()).pathname, /^\/bodies\/[0-9a-f-]{36}$/);
    assert.equal(await text(page.locator('.notice')), 'Создано');
    assert.equal(await text(page.locator('h1')), BODY);
    ids.body = idFromUrl(page);
    await checkA11y(page, 'body page');
  });

  test('in English a refused form speaks English, the hidden «Error:» prefix too', async () => {
    await visit(page, '/settings?lang=en&back=/bodies/new');
    try {
      assert.equal(await page.locator('html').getAttribute('lang'), 'en');
      assert.equal(await text(page.locator('h1')), 'New body');
      const refused = await navigateBy(page, page.getByRole('button', { name: 'Save' }));
      assert.equal(refused.status(), 422);
      assert.equal(await text(page.locator('.error-summary h2')), 'There is a problem');
      assert.equal(await text(page.locator('.error-summary a[href="#f-name"]')), 'Fill in this field');
      // The visually hidden prefix is read aloud before the message beside the field.
      assert.equal((await page.locator('#f-name-error').textContent()).trim(), 'Error: Fill in this field');
      await checkA11y(page, 'new body form with an error, in English');
    } finally {
      await visit(page, '/settings?lang=ru&back=/');
    }
    assert.equal(await page.locator('html').getAttribute('lang'), 'ru');
  });

  test('a unit from the body page, and an employee in it', async () => {
    await visit(page, `/bodies/${ids.body}`);
    await navigateBy(page, page.locator('ul.tiles').getByRole('link', { name: /^Подразделения/ }));
    assert.equal(new URL(page.url()).pathname, '/units');
    assert.match(await text(page.locator('p.empty')), /^Подразделений пока нет/);
    await navigateBy(page, page.getByRole('link', { name: 'Добавить подразделение' }));
    assert.equal(await text(page.locator('h1')), 'Новое подразделение');
    await page.getByLabel('Название', { exact: true }).fill(UNIT);
    await navigateBy(page, page.getByRole('button', { name: 'Сохранить' }));
    assert.match(new URL(page.url()).pathname, /^\/units\/[0-9a-f-]{36}$/);
    assert.equal(await text(page.locator('.notice')), 'Создано');
    assert.equal(await text(page.locator('h1')), UNIT);
    ids.unit = idFromUrl(page);
    assert.match(await text(page.locator('main')), /Сотрудников пока нет/);
    await checkA11y(page, 'unit page');

    await navigateBy(page, page.getByRole('link', { name: 'Добавить сотрудника' }));
    assert.equal(await text(page.locator('h1')), 'Новый сотрудник');
    assert.equal(await page.getByLabel('Подразделение').inputValue(), ids.unit, 'the unit is chosen already');
    await page.getByLabel('Фамилия, имя, отчество').fill(EMPLOYEE);
    await page.getByLabel('Должность').fill('Главный специалист');
    await page.getByLabel('Служебная почта').fill('sokolova@example.ru');
    await checkA11y(page, 'new employee form');
    await navigateBy(page, page.getByRole('button', { name: 'Сохранить' }));
    assert.equal(new URL(page.url()).pathname, `/units/${ids.unit}`);
    assert.equal(await text(page.locator('.notice')), 'Создано');
    assert.match(await text(page.locator('ul.employees')), new RegExp(`${EMPLOYEE}, Главный специалист`));
  });

  test('the body has the standard client segments, and a new one is added', async () => {
    await visit(page, `/segments?body=${ids.body}`);
    const names = (await page.locator('ul.segment-list li a').allInnerTexts()).map((s) => s.trim());
    assert.ok(names.includes('Граждане'), `«Граждане» in ${names.join(', ')}`);
    await checkA11y(page, 'segments');

    await navigateBy(page, page.getByRole('link', { name: 'Добавить категорию клиентов' }));
    assert.equal(await text(page.locator('h1')), 'Новая категория клиентов');
    await page.getByLabel('Название', { exact: true }).fill(NEW_SEGMENT);
    await page.getByLabel('Внешний', { exact: true }).check();
    await page.getByLabel('Описание').fill('Жители домов, подключаемых к сети');
    await checkA11y(page, 'new segment form');
    await navigateBy(page, page.getByRole('button', { name: 'Сохранить' }));
    assert.match(new URL(page.url()).pathname, /^\/segments\/[0-9a-f-]{36}$/);
    assert.equal(await text(page.locator('h1')), NEW_SEGMENT);
    assert.equal(await text(page.locator('main .caption')), 'Внешний');
    assert.match(await text(page.locator('p.empty')), /^Для этой категории пока ничего не производится/);

    const resp = await page.request.get(`/api/v1/segments?body=${ids.body}`);
    const segments = await resp.json();
    const byName = (n) => segments.find((s) => s.name === n);
    assert.equal(byName(NEW_SEGMENT)?.side, 'external');
    ids.citizens = byName('Граждане').id;
    ids.residents = byName(NEW_SEGMENT).id;
  });

  test('a product through the form', async () => {
    await visit(page, `/offerings?body=${ids.body}`);
    assert.match(await text(page.locator('p.empty')), /^Ничего не найдено/);
    await navigateBy(page, page.getByRole('link', { name: 'Добавить продукт или услугу' }));
    assert.equal(await text(page.locator('h1')), 'Новый продукт или услуга');
    assert.match(await text(page.locator('main')), /В органе пока нет продуктов/);

    await page.locator('#f-name').fill(PRODUCT);
    await page.locator('#f-description').fill('Документ о том, что дом подключён к сети');
    await page.getByLabel('Продукт', { exact: true }).check();
    // Without script, CSS alone hides the service-only fields once «Продукт» is chosen.
    assert.equal(await page.locator('#f-service_kind').isVisible(), false, 'service fields hidden for a product');
    await page.getByLabel('Тип продукта').selectOption({ label: 'Документ' });
    await page.getByLabel('Подразделение-владелец').selectOption({ label: UNIT });
    await page.locator(`#seg-${ids.citizens}`).check();
    await page.getByLabel('Что получает: Граждане', { exact: true }).fill('подтверждение подключения');
    await page.getByLabel('Опубликовано', { exact: true }).check();
    await checkA11y(page, 'product form');
    await shot(page, 'build-product-form');
    await navigateBy(page, page.getByRole('button', { name: 'Создать' }));

    assert.match(new URL(page.url()).pathname, /^\/offerings\/[0-9a-f-]{36}$/);
    assert.equal(await text(page.locator('.notice')), 'Создано');
    assert.equal(await text(page.locator('h1')), PRODUCT);
    assert.equal(await text(page.locator('main .caption').first()), 'Продукт · Документ');
    assert.equal(await text(page.locator('main p strong.tag')), 'Опубликовано');
    assert.match(await text(page.locator('main dl.summary-list').first()), /Граждане подтверждение подключения/);
    ids.product = idFromUrl(page);
    await checkA11y(page, 'product page');
  });

  test('a service: refused with a bad fee and no clients, nothing saved; then created', async () => {
    const before = (await offerings(page, ids.body)).total;
    assert.equal(before, 1);
    await visit(page, `/offerings/new?body=${ids.body}`);
    await page.locator('#f-name').fill(SERVICE);
    await page.getByLabel('Услуга', { exact: true }).check();
    assert.equal(await page.locator('#f-product_type').isVisible(), false, 'product fields hidden for a service');
    await page.getByLabel('Вид услуги').selectOption({ label: 'Государственная или муниципальная услуга' });
    await page.getByLabel('Подразделение-владелец').selectOption({ label: UNIT });
    await page.locator(`#out-${ids.product}`).check();
    await page.getByLabel(`Когда выдаётся: ${PRODUCT}`, { exact: true }).fill('после подключения дома');
    await page.locator('#f-fee').fill('abc');
    await page.getByLabel('Опубликовано', { exact: true }).check();

    const refused = await navigateBy(page, page.getByRole('button', { name: 'Создать' }));
    assert.equal(refused.status(), 422);
    const links = await summaryLinks(page);
    assert.ok(links.includes('#f-fee'), `a link to the fee in ${links.join(', ')}`);
    assert.ok(links.includes('#f-segments'), `a link to the segments in ${links.join(', ')}`);
    assert.equal(links.length, 2, `exactly the two problems: ${links.join(', ')}`);
    assert.equal(
      await text(page.locator('.error-summary a[href="#f-fee"]')),
      'Укажите сумму в рублях, например 350 или 350,50',
    );
    assert.equal(
      await text(page.locator('.error-summary a[href="#f-segments"]')),
      'Чтобы опубликовать, укажите хотя бы одну категорию клиентов',
    );
    // Everything typed is kept.
    assert.equal(await page.locator('#f-name').inputValue(), SERVICE);
    assert.equal(await page.locator('#f-fee').inputValue(), 'abc');
    assert.equal(await page.getByLabel('Услуга', { exact: true }).isChecked(), true);
    assert.equal(await page.getByLabel('Вид услуги').inputValue(), 'regulated');
    assert.equal(await page.locator(`#out-${ids.product}`).isChecked(), true);
    assert.equal(await page.getByLabel('Опубликовано', { exact: true }).isChecked(), true);
    assert.equal(await page.locator('#f-fee').getAttribute('aria-invalid'), 'true');
    // The summary's links lead to the fields.
    await page.locator('.error-summary a[href="#f-segments"]').click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'f-segments');
    await page.locator('.error-summary a[href="#f-fee"]').click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'f-fee');
    // Nothing was created.
    assert.equal((await offerings(page, ids.body)).total, before, 'a refused form creates nothing');
    await checkA11y(page, 'service form with errors');
    await shot(page, 'build-service-error');

    // Fixed: free of charge, two client segments with what they get, channels and a term.
    await page.locator('#f-fee').fill('0');
    await page.locator(`#seg-${ids.citizens}`).check();
    await page.getByLabel('Что получает: Граждане', { exact: true }).fill('интернет дома без визита в офис');
    await page.locator(`#seg-${ids.residents}`).check();
    await page.getByLabel(`Что получает: ${NEW_SEGMENT}`, { exact: true }).fill('сеть во всём доме');
    await page.getByLabel('Лично', { exact: true }).check();
    await page.getByLabel('Электронно', { exact: true }).check();
    await page.getByLabel('Срок предоставления').fill('5');
    await page.getByLabel('Единица срока').selectOption({ label: 'рабочих дней' });
    await page.getByLabel('Ответственный сотрудник').selectOption({ label: `${EMPLOYEE} — Главный специалист` });
    await shot(page, 'build-service-form');
    await navigateBy(page, page.getByRole('button', { name: 'Создать' }));
    assert.match(new URL(page.url()).pathname, /^\/offerings\/[0-9a-f-]{36}$/);
    assert.equal(await text(page.locator('.notice')), 'Создано');
    assert.equal(await text(page.locator('h1')), SERVICE);
    ids.service = idFromUrl(page);
    assert.equal((await offerings(page, ids.body)).total, before + 1);
    assertNoScriptErrors(page);
  });

  test('the error beside the client segments is tied to their group, as for every other field', async () => {
    await visit(page, `/offerings/new?body=${ids.body}`);
    await page.locator('#f-name').fill('Черновик без клиентов');
    await page.getByLabel('Подразделение-владелец').selectOption({ label: UNIT });
    await page.getByLabel('Вид услуги').selectOption({ label: 'Другая услуга' });
    await page.getByLabel('Опубликовано', { exact: true }).check();
    const refused = await navigateBy(page, page.getByRole('button', { name: 'Создать' }));
    assert.equal(refused.status(), 422);
    assert.deepEqual(await summaryLinks(page), ['#f-segments']);
    // A screen reader announces the message on the checkboxes only if the fieldset's
    // aria-describedby names it (the generic fields do this; GOV.UK's pattern).
    const group = page.locator('fieldset:has(> legend#f-segments)');
    const message = group.locator('.field-error');
    assert.match(await text(message), /Чтобы опубликовать, укажите хотя бы одну категорию клиентов$/);
    const errorId = await message.getAttribute('id');
    const describedBy = (await group.getAttribute('aria-describedby')) ?? '';
    assert.ok(
      errorId && describedBy.split(/\s+/).includes(errorId),
      `the segments fieldset's aria-describedby («${describedBy}») names its error message (id «${errorId}»)`,
    );
  });

  test('the service and the product point to each other; the client map shows both', async () => {
    await visit(page, `/offerings/${ids.service}`);
    assert.equal(await text(page.locator('main .caption').first()), 'Услуга · Государственная или муниципальная услуга');
    assert.equal(await text(page.locator('h2:text-is("Материальный результат услуги") + p')), 'Клиент получает продукт:');
    assert.equal(
      await text(page.locator('h2:text-is("Материальный результат услуги") + p + ul')),
      `${PRODUCT} — после подключения дома`,
    );
    const details = await text(page.locator('h2:text-is("Сведения") + dl'));
    assert.match(details, /Срок 5 рабочих дней/);
    assert.match(details, /Плата, ₽ Бесплатно/);
    assert.match(details, /Каналы получения Лично, Электронно/);
    assert.match(details, new RegExp(`Ответственный сотрудник ${EMPLOYEE}`));
    const clients = await text(page.locator('h2:text-is("Кто клиенты") + h3 + dl'));
    assert.match(clients, /Граждане интернет дома без визита в офис/);
    assert.match(clients, new RegExp(`${NEW_SEGMENT} сеть во всём доме`));
    await checkA11y(page, 'service page');
    await shot(page, 'build-service');

    await navigateBy(page, page.getByRole('link', { name: PRODUCT, exact: true }));
    assert.equal(await text(page.locator('h1')), PRODUCT);
    assert.deepEqual(
      (await page.locator('h2:text-is("Выдаётся в результате услуг") + ul li').allInnerTexts()).map((s) => s.trim()),
      [SERVICE],
    );

    await visit(page, `/client-map?body=${ids.body}`);
    const rows = (await page.locator('h2:text-is("По продуктам и услугам") + table tbody tr td:first-child').allInnerTexts()).map((s) =>
      s.trim(),
    );
    assert.deepEqual(rows.sort(), [PRODUCT, SERVICE].sort());
    const svg = await page.locator('main svg[role="group"]').textContent();
    assert.ok(svg.includes(UNIT), 'the diagram shows the unit');
    const units = await text(page.locator('h2:text-is("По подразделениям") + table tbody'));
    assert.ok(units.includes(PRODUCT) && units.includes(SERVICE), `the unit produces both: ${units}`);
    await shot(page, 'build-client-map');
    await checkA11y(page, 'client map of the new body');
  });

  test('editing the service name', async () => {
    await visit(page, `/offerings/${ids.service}`);
    await navigateBy(page, page.locator('main p.actions').getByRole('link', { name: 'Изменить' }));
    assert.equal(new URL(page.url()).pathname, `/offerings/${ids.service}/edit`);
    assert.equal(await page.locator('#f-name').inputValue(), SERVICE);
    assert.equal(await page.locator('#f-fee').inputValue(), '0');
    assert.equal(await page.locator(`#seg-${ids.residents}`).isChecked(), true);
    await checkA11y(page, 'service edit form');
    await page.locator('#f-name').fill(SERVICE_RENAMED);
    await navigateBy(page, page.getByRole('button', { name: 'Сохранить' }));
    assert.equal(new URL(page.url()).pathname, `/offerings/${ids.service}`);
    assert.equal(await text(page.locator('.notice')), 'Изменения сохранены');
    assert.equal(await text(page.locator('h1')), SERVICE_RENAMED);
    // Everything else stayed as it was.
    assert.match(await text(page.locator('h2:text-is("Сведения") + dl')), /Срок 5 рабочих дней/);
  });

  test('deleting the product after a confirmation; the service becomes only a service', async () => {
    await visit(page, `/offerings/${ids.product}`);
    await navigateBy(page, page.locator('main p.actions').getByRole('link', { name: 'Удалить' }));
    assert.equal(new URL(page.url()).pathname, `/offerings/${ids.product}/delete`);
    assert.equal(await text(page.locator('h1')), 'Удалить безвозвратно?');
    assert.equal(await text(page.locator('main p.lead')), PRODUCT);
    await checkA11y(page, 'delete confirmation');
    await navigateBy(page, page.getByRole('button', { name: 'Да, удалить' }));
    assert.equal(new URL(page.url()).pathname, '/offerings');
    assert.equal(await text(page.locator('.notice')), 'Удалено');
    const names = (await page.locator('div.results table tbody tr td:first-child').allInnerTexts()).map((s) => s.trim());
    assert.deepEqual(names, [SERVICE_RENAMED]);
    assert.equal((await page.request.get(`/api/v1/offerings/${ids.product}`)).status(), 404);
    await visit(page, `/offerings/${ids.product}`, 404);

    await visit(page, `/offerings/${ids.service}`);
    assert.equal(
      await text(page.locator('h2:text-is("Материальный результат услуги") + p')),
      'Только услуга: материального продукта клиент не получает.',
    );
    assertNoScriptErrors(page);
  });
});
